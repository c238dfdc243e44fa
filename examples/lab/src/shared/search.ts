/**
 * The model and the search's arguments, shared by the page's worker and the
 * downloaded `reproduce.mjs`: the same settings and seed give the same call
 * to `compareTreatments`.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { DEFAULT_TREATMENTS, type CompareTreatmentsArgs } from '@tfjs-imbalance/search';
import { countMultiHot, priorBias } from '@tfjs-imbalance/weight-schemes';
import type { DataSettings, Prepared, SplitName } from './features.js';
import { LabError } from './table.js';

/** The search's settings. */
export interface SearchSettings {
  /** Names from {@link CANDIDATES}; plain training is always first. */
  readonly candidates: readonly string[];
  readonly epochs: number;
  readonly batchSize: number;
  readonly patience: number;
  readonly learningRate: number;
  /** The inverse L2 strength, as scikit-learn's `LogisticRegression(C)` (the demo's 4). */
  readonly inverseL2: number;
  /** Bootstrap resamples of the noise intervals. */
  readonly resamples: number;
  readonly seed: number;
}

/** Everything a lab run is made of. */
export type LabSettings = DataSettings & SearchSettings & { readonly preset: PresetName };

/** The presets offered on the page. */
export type PresetName = 'quick' | 'standard';

/**
 * The candidates: the library's defaults but `prior-bias`, since the model
 * already starts at the class priors' log-odds (as in the debtags demo).
 */
export const CANDIDATES = DEFAULT_TREATMENTS.filter((t) => t.name !== 'prior-bias');

/**
 * quick: three candidates and a few epochs on at most 3,000 rows (about 20 s
 * on WebGL in software, SwiftShader); standard: the demo's candidates and
 * schedule on at most 6,000 rows. The rows are dense, rows × terms float32
 * on the GPU: 6,000 × 4,096 is 98 MB.
 */
export const PRESETS: Readonly<Record<PresetName, Omit<LabSettings, 'seed'>>> = {
  quick: { preset: 'quick', maxRows: 3000, classes: 12, maxTerms: 2048, candidates: ['plain', 'isns', 'db'], epochs: 6, batchSize: 256, patience: 2, learningRate: 0.2, inverseL2: 4, resamples: 200 },
  standard: { preset: 'standard', maxRows: 6000, classes: 29, maxTerms: 4096, candidates: CANDIDATES.map((t) => t.name), epochs: 20, batchSize: 1024, patience: 3, learningRate: 0.2, inverseL2: 4, resamples: 1000 },
};

/** Checks settings from the page or a settings.json. */
export function checkSettings(s: LabSettings): LabSettings {
  const whole = (name: string, v: number, min: number, max: number) => {
    if (!Number.isInteger(v) || v < min || v > max) throw new LabError(`${name} must be a whole number from ${min} to ${max}; it is ${v}.`);
  };
  whole('Classes', s.classes, 2, 500);
  whole('Epochs', s.epochs, 1, 200);
  whole('Seed', s.seed, 0, 2 ** 31 - 1);
  whole('Rows', s.maxRows, 100, 1_000_000);
  const unknown = s.candidates.filter((n) => !CANDIDATES.some((t) => t.name === n));
  if (unknown.length > 0) throw new LabError(`Unknown candidates: ${unknown.join(', ')}; choose from ${CANDIDATES.map((t) => t.name).join(', ')}.`);
  return s;
}

/** The treatments to run, plain training first, in the library's order; `best-scheme+focal` only after a scheme. */
export function treatmentsOf(names: readonly string[]) {
  const chosen = CANDIDATES.filter((t, i) => i === 0 || names.includes(t.name));
  return chosen.some((t) => t.scheme !== undefined && t.scheme !== 'best') ? chosen : chosen.filter((t) => t.scheme !== 'best');
}

/**
 * The demo's model on dense rows: a logistic regression (one dense layer of
 * logits), its kernel starting at zero and its bias at the class priors'
 * log-odds, with scikit-learn's C as an L2 penalty on the loss averaged over
 * rows and classes.
 */
export function modelFactory(dim: number, bias: readonly number[], l2: number): () => tfl.LayersModel {
  return () => {
    const model = tfl.sequential({
      layers: [tfl.layers.dense({ units: bias.length, inputShape: [dim], kernelInitializer: 'zeros', kernelRegularizer: tfl.regularizers.l2({ l2 }) })],
    });
    const start = [tf.zeros([dim, bias.length]), tf.tensor1d(bias as number[])];
    model.layers[0]!.setWeights(start);
    tf.dispose(start);
    return model;
  };
}

/** The splits as tensors; dispose them when done. */
export type SplitTensors = Readonly<Record<SplitName, { readonly x: tf.Tensor2D; readonly y: tf.Tensor2D }>>;

export function tensorsOf(data: Prepared): SplitTensors {
  const C = data.classes.length;
  const of = (k: SplitName) => ({ x: tf.tensor2d(data.x[k], [data.rows[k].length, data.state.dim]), y: tf.tensor2d(data.y[k], [data.rows[k].length, C]) });
  return { train: of('train'), val: of('val'), test: of('test') };
}

/** The arguments of `compareTreatments` for a lab run (add `onProgress` and `onRunEnd` to watch it). */
export function searchArgs(data: Prepared, s: LabSettings, t: SplitTensors): CompareTreatmentsArgs {
  const counts = countMultiHot({ data: data.y.train, shape: [data.rows.train.length, data.classes.length] });
  // scikit-learn's C penalises ½‖w‖² against the summed loss; the losses here average over N rows and C classes.
  const l2 = 1 / (2 * s.inverseL2 * data.rows.train.length * data.classes.length);
  return {
    model: modelFactory(data.state.dim, priorBias(counts), l2),
    optimizer: () => tf.train.adam(s.learningRate),
    train: t.train,
    validation: t.val,
    candidates: treatmentsOf(s.candidates),
    objective: 'macro',
    maxMicroDrop: 0.02,
    beta: 0.5,
    epochs: s.epochs,
    batchSize: s.batchSize,
    patience: s.patience,
    seed: s.seed,
    noise: { resamples: s.resamples },
    verbose: 0,
  };
}
