#!/usr/bin/env node
/**
 * `npm run conformance -- FILE...`: runs every case of the reference vectors
 * through the public API of the built packages. One line per family, then
 * `N passed, N failed, N skipped`. Exits non-zero on any failure, any skipped
 * case, a malformed file, or (with `--pins PINS.json`) a file whose number of
 * cases or compared values differs from its pin. `--write-pins` rewrites the
 * pins file from this run instead of checking it.
 */
import { describeBackend, selectBackend } from '@tfjs-imbalance/backend';
import { conform } from './report.js';

const args = process.argv.slice(2);
let pinsFile: string | undefined;
let writePins = false;
let usage = false;
const files: string[] = [];
for (let i = 0; i < args.length; i++) {
  const a = args[i]!;
  if (a === '--pins') {
    pinsFile = args[++i];
    usage ||= pinsFile === undefined;
  } else if (a === '--write-pins') writePins = true;
  else files.push(a);
}
if (usage || files.length === 0 || (writePins && pinsFile === undefined)) {
  console.error('usage: npm run conformance -- [--pins PINS.json [--write-pins]] conformance/fixtures/public-*.json');
  process.exit(2);
}
console.log(describeBackend(await selectBackend()));
process.exit(await conform(files, { ...(pinsFile === undefined ? {} : { pinsFile }), writePins }));
