#!/usr/bin/env node
// Loads the classifier saved next to this file with the library's loadClassifier,
// and predicts each row's labels:
//   node predict.mjs rows.csv      (the rows need the columns features.json names)
// As a module: `const { predict } = await import('./predict.mjs')`, then
// `await predict(header, records)` gives { probabilities, labels }.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { loadClassifier } from '@tfjs-imbalance/search';
import { featurize, nodeBackend, readTable } from './lab-kit.mjs';

const here = dirname(fileURLToPath(import.meta.url));
export const backend = await nodeBackend();
export const classifier = await loadClassifier(here);
const features = JSON.parse(readFileSync(join(here, 'features.json'), 'utf8'));

/** Each row's probability per class (σ of the logits) and its labels above the saved thresholds. */
export async function predict(header, records) {
  const x = tf.tensor2d(featurize(features, header, records), [records.length, features.dim]);
  try {
    return { probabilities: await classifier.probabilities(x), labels: await classifier.predict(x) };
  } finally {
    x.dispose();
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const file = process.argv[2];
  if (file === undefined) {
    console.error('usage: node predict.mjs rows.csv');
    process.exit(2);
  }
  const table = readTable(file);
  const { probabilities, labels } = await predict(table.header, table.rows);
  const { treatment, selection } = classifier.metadata;
  console.log(`${treatment.name} on ${backend}; ${selection?.verdict ?? ''}`);
  table.rows.forEach((_, n) => {
    const top = classifier.labels.map((l, c) => [l, probabilities[n][c]]).sort((a, b) => b[1] - a[1]).slice(0, 3);
    console.log(`line ${table.lines[n]}: ${labels[n].join(', ') || '(none)'}   [${top.map(([l, p]) => `${l} ${p.toFixed(4)}`).join(', ')}]`);
  });
  classifier.dispose();
}
