/**
 * The lab's kit for Node, bundled as `lab-kit.mjs` into the zip the page
 * hands out: the same table reader, features and search arguments as the
 * page's worker, so `predict.mjs` featurises rows as the page did and
 * `reproduce.mjs` makes the same call to `compareTreatments`. tfjs and the
 * library's packages stay outside the bundle: the user installs them.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { decodeUtf8, parseTable, type Table } from '../shared/table.js';

export { featurize, prepare, vectorizerFrom, type FeatureState, type Prepared } from '../shared/features.js';
export { checkSettings, searchArgs, tensorsOf, treatmentsOf, type LabSettings } from '../shared/search.js';
export { checkSpec, type ColumnSpec } from '../shared/spec.js';
export { LabError, parseTable, type Table } from '../shared/table.js';

/** Reads a CSV or TSV file as the page does (UTF-8 only; `'auto'` detects the separator). */
export function readTable(path: string, delimiter = 'auto'): Table {
  const name = basename(path);
  return parseTable(name, decodeUtf8(name, readFileSync(path)), delimiter);
}

/** Starts the wasm backend, else cpu; returns its name. */
export async function nodeBackend(): Promise<string> {
  const skipped: string[] = [];
  for (const name of ['wasm', 'cpu']) {
    try {
      if (await tf.setBackend(name)) {
        await tf.ready();
        return name;
      }
      skipped.push(`${name}: it does not start here`);
    } catch (e) {
      skipped.push(`${name}: ${(e as Error).message}`);
    }
  }
  throw new Error(`no TensorFlow.js backend starts (${skipped.join('; ')})`);
}
