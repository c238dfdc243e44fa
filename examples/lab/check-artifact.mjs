#!/usr/bin/env node
// The Node side of the round trip: loads an unpacked lab zip's classifier
// through its own predict.mjs (loadClassifier on wasm, else cpu), predicts
// the rows the page exported in predictions.json, and prints how far its
// probabilities are from the page's, as JSON.
//   node check-artifact.mjs DIR
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const dir = resolve(process.argv[2] ?? '.');
const page = JSON.parse(readFileSync(join(dir, 'predictions.json'), 'utf8'));
const results = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8'));
const { predict, backend, classifier } = await import(pathToFileURL(join(dir, 'predict.mjs')).href);
const t0 = performance.now();
const mine = await predict(page.header, page.records);
const seconds = (performance.now() - t0) / 1000;
const selected = results.runs.find((r) => r.name === results.selected);
let maxDiff = 0;
let values = 0;
// A decision (probability above the class's threshold) that differs from the page's, where the page's probability
// is further than 1e-4 from the threshold: float32 rounding cannot explain it.
let decisionsOff = 0;
page.probabilities.forEach((row, n) =>
  row.forEach((p, c) => {
    const q = mine.probabilities[n][c];
    const t = selected.thresholds[c];
    maxDiff = Math.max(maxDiff, Math.abs(p - q));
    if (p > t !== q > t && Math.abs(p - t) > 1e-4) decisionsOff++;
    values++;
  }),
);
console.log(
  JSON.stringify({
    backend,
    rows: page.records.length,
    values,
    maxDiff,
    seconds,
    sameLabels: JSON.stringify(mine.labels) === JSON.stringify(page.predicted),
    decisionsOff,
    sameThresholds: JSON.stringify(classifier.thresholds) === JSON.stringify(selected.thresholds),
    sameClasses: JSON.stringify(classifier.labels) === JSON.stringify(results.classes),
    treatment: classifier.metadata.treatment.name,
    selected: results.selected,
    verdict: classifier.metadata.selection?.verdict === results.verdict,
  }),
);
classifier.dispose();
