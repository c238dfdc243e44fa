/**
 * The demo's model as a module, for the search's worker threads
 * (`compareTreatments({ workers })`): a thread cannot receive the demo's
 * closure, so it rebuilds the same model from the settings the demo writes
 * to the JSON file named by `DEBTAGS_MODEL_CONFIG` (worker threads see the
 * parent's environment).
 */
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { SparseDense } from './sparse-dense.js';

/** What the model and its optimizer are built from. */
export interface ModelConfig {
  readonly inputDim: number;
  readonly units: number;
  readonly biasInit: number[];
  readonly l2: number;
  readonly width: number;
  readonly learningRate: number;
}

/** The environment variable that names the config file. */
export const CONFIG_ENV = 'DEBTAGS_MODEL_CONFIG';

let cached: ModelConfig | undefined;
const config = (): ModelConfig => {
  const path = process.env[CONFIG_ENV];
  if (path === undefined) throw new Error(`${CONFIG_ENV} is not set: the demo sets it to its model's settings before the search starts`);
  return (cached ??= JSON.parse(readFileSync(path, 'utf8')) as ModelConfig);
};

/** The demo's logistic regression on sparse TF-IDF rows. */
export const model = (): tfl.LayersModel => {
  const c = config();
  return tfl.sequential({ layers: [new SparseDense({ inputDim: c.inputDim, units: c.units, biasInit: c.biasInit, l2: c.l2, inputShape: [c.width] })] });
};

/** Adam at the demo's learning rate. */
export const optimizer = (): tf.Optimizer => tf.train.adam(config().learningRate);
