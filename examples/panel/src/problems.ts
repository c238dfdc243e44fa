/**
 * The panel: user-like problems on which the search is judged besides the
 * debtags demo. They differ in what decides how a search behaves: the
 * architecture (linear, MLP, MLP with dropout), the optimiser and learning
 * rate (1e-3 to 0.2), the batch size (16 to 256), the number of classes
 * (25 to 150) and the imbalance (from 12:1 to 260:1 between the most and
 * least frequent class). Their data is dense and synthetic ({@link generate}),
 * not text.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import type { DataSpec } from './generate.js';

/** One user-like problem: its data, model and training settings. */
export interface Problem {
  readonly name: string;
  /** One line on what it stands for. */
  readonly about: string;
  readonly data: DataSpec;
  /** A fresh, uncompiled model that outputs logits. */
  model(features: number, classes: number): tfl.LayersModel;
  optimizer(): tf.Optimizer;
  readonly batchSize: number;
  readonly epochs: number;
}

const dense = (units: number, extra: Partial<{ activation: 'relu'; inputShape: number[] }> = {}) => tfl.layers.dense({ units, ...extra });

/** The problems, by name. */
export const PROBLEMS: readonly Problem[] = [
  {
    name: 'zipf-mlp',
    about: 'the new user of the search issue: 150 labels with Zipf-like counts, an MLP 200→128→150, Adam 1e-3, batch 64',
    data: { features: 200, classes: 150, rows: { train: 12000, validation: 3000, test: 3000 }, prevalence: { top: 0.24, bottom: 11 / 12000 }, signal: { min: 3, max: 7 } },
    model: (D, C) => tfl.sequential({ layers: [dense(128, { activation: 'relu', inputShape: [D] }), dense(C)] }),
    optimizer: () => tf.train.adam(1e-3),
    batchSize: 64,
    epochs: 20,
  },
  {
    name: 'linear-sgd',
    about: 'a linear model (logistic regression per class) trained by SGD with momentum (0.2, 0.9), batch 256, 40 labels, 75:1',
    data: { features: 100, classes: 40, rows: { train: 8000, validation: 2000, test: 2000 }, prevalence: { top: 0.3, bottom: 0.004 }, signal: { min: 3, max: 7 }, noiseFeatures: 20 },
    model: (D, C) => tfl.sequential({ layers: [dense(C, { inputShape: [D] })] }),
    optimizer: () => tf.train.momentum(0.2, 0.9),
    batchSize: 256,
    epochs: 40,
  },
  {
    name: 'dropout-mlp',
    about: 'a deeper MLP with dropout 0.3 after each hidden layer, Adam 3e-3, batch 32, 60 labels, 175:1',
    data: { features: 64, classes: 60, rows: { train: 10000, validation: 2500, test: 2500 }, prevalence: { top: 0.35, bottom: 0.002 }, signal: { min: 3, max: 7 } },
    model: (D, C) =>
      tfl.sequential({
        layers: [dense(256, { activation: 'relu', inputShape: [D] }), tfl.layers.dropout({ rate: 0.3 }), dense(128, { activation: 'relu' }), tfl.layers.dropout({ rate: 0.3 }), dense(C)],
      }),
    optimizer: () => tf.train.adam(3e-3),
    batchSize: 32,
    epochs: 15,
  },
  {
    name: 'small-data',
    about: 'little data (3,000 training rows), many features, 25 labels, 12:1, an MLP 300→64→25, Adam 1e-2, batch 16',
    data: { features: 200, classes: 25, rows: { train: 3000, validation: 1000, test: 1000 }, prevalence: { top: 0.12, bottom: 0.01 }, signal: { min: 3, max: 7 }, noiseFeatures: 100 },
    model: (D, C) => tfl.sequential({ layers: [dense(64, { activation: 'relu', inputShape: [D] }), dense(C)] }),
    optimizer: () => tf.train.adam(1e-2),
    batchSize: 16,
    epochs: 30,
  },
];

/** A problem by name, or an error listing the names. */
export function problemNamed(name: string): Problem {
  const p = PROBLEMS.find((q) => q.name === name);
  if (p === undefined) throw new Error(`unknown problem "${name}"; choose from ${PROBLEMS.map((q) => q.name).join(', ')}.`);
  return p;
}
