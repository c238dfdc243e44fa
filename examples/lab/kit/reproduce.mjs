#!/usr/bin/env node
// Runs the lab's search again with the library's API: the same data file,
// columns, settings and seed (settings.json), on wasm (else cpu), and sets
// what it finds beside what the page found (results.json).
//   node reproduce.mjs [--json out.json]
// The same seed on the same backend repeats a search exactly; on another
// backend (the page ran on WebGL) float32 rounding differs, so the figures
// agree closely rather than to the last digit.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { compareTreatments, formatComparison } from '@tfjs-imbalance/search';
import { checkSpec, nodeBackend, prepare, readTable, searchArgs, tensorsOf } from './lab-kit.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const { data, delimiter, spec, settings } = JSON.parse(readFileSync(join(here, 'settings.json'), 'utf8'));
const page = JSON.parse(readFileSync(join(here, 'results.json'), 'utf8'));
const backend = await nodeBackend();
const table = readTable(join(here, data), delimiter);
const prepared = prepare(table, spec, checkSpec(table, spec), settings);
const tensors = tensorsOf(prepared);
const comparison = await compareTreatments({ ...searchArgs(prepared, settings, tensors), verbose: process.stdout.isTTY ? 1 : 0 });
console.log(formatComparison(comparison));
console.log(`\nThe page (${page.backend}) selected ${page.selected}; here (${backend}) the search selected ${comparison.selected.name}, seed ${comparison.seed}.`);
const runs = comparison.runs.map((r) => {
  const p = page.runs.find((x) => x.name === r.name);
  return { name: r.name, micro: r.validation.micro, macro: r.validation.macro, pageMicro: p?.validation.micro, pageMacro: p?.validation.macro };
});
for (const r of runs) {
  console.log(`  ${r.name.padEnd(18)} validation micro / macro F0.5 here ${r.micro.toFixed(3)} / ${r.macro.toFixed(3)}, on the page ${r.pageMicro?.toFixed(3) ?? '-'} / ${r.pageMacro?.toFixed(3) ?? '-'}`);
}
const out = process.argv.indexOf('--json');
if (out > 0) writeFileSync(process.argv[out + 1], JSON.stringify({ backend, selected: comparison.selected.name, pageSelected: page.selected, seed: comparison.seed, runs }, null, 1));
comparison.dispose();
for (const s of Object.values(tensors)) tf.dispose([s.x, s.y]);
