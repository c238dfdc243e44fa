#!/usr/bin/env node
/**
 * `npm run conformance -- FILE...`: runs every case of the reference vectors
 * through the public API of the built packages. One line per family, then
 * `N passed, N failed`; exits non-zero on any failure or malformed file.
 */
import { describeBackend, selectBackend } from '@tfjs-imbalance/backend';
import { runFile, type FileResult } from './runner.js';

const files = process.argv.slice(2);
if (files.length === 0) {
  console.error('usage: npm run conformance -- conformance/fixtures/public-*.json');
  process.exit(2);
}
console.log(describeBackend(await selectBackend()));
let passed = 0;
let failed = 0;
let broken = false;
for (const file of files) {
  let r: FileResult;
  try {
    r = await runFile(file);
  } catch (e) {
    console.error(`${file}: ERROR ${e instanceof Error ? e.message : String(e)}`);
    broken = true;
    continue;
  }
  const n = (s: string) => r.cases.filter((c) => c.status === s).length;
  const [p, f, s] = [n('passed'), n('failed'), n('skipped')];
  passed += p;
  failed += f;
  console.log(`${r.family}: ${p + f} run, ${p} passed, ${f} failed, ${s} skipped${r.unsupported ? ` (unsupported: ${r.unsupported})` : ''}`);
  for (const c of r.cases.filter((c) => c.status === 'failed')) {
    console.log(`  FAILED ${c.name}`);
    for (const d of c.details.slice(0, 5)) console.log(`    ${d}`);
    if (c.details.length > 5) console.log(`    … and ${c.details.length - 5} more`);
  }
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 || broken ? 1 : 0);
