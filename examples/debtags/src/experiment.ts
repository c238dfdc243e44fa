import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { FBetaAccumulator, averagePrecision, type FBetaScores } from '@tfjs-imbalance/fbeta-metric';
import { compareTreatments, type SearchObjective, type Treatment } from '@tfjs-imbalance/search';
import { priorBias, type ClassCounts } from '@tfjs-imbalance/weight-schemes';
import { SparseDense, sparseMatMulOp } from './sparse-dense.js';
import { CONFIG_ENV, type ModelConfig } from './worker-model.js';

/** The tensors of one split: packed sparse TF-IDF rows [N, 2L] and multi-hot labels [N, C]. */
export interface SplitTensors {
  readonly x: tf.Tensor2D;
  readonly y: tf.Tensor2D;
}

/** Everything a run trains and scores on. */
export interface ExperimentData {
  readonly train: SplitTensors;
  readonly val: SplitTensors;
  readonly test: SplitTensors;
  /** The training split's class counts. */
  readonly counts: ClassCounts;
  /** The number of TF-IDF features. */
  readonly features: number;
  /** The classes of the bottom third by training support, the tail the re-weighting is for. */
  readonly tail: readonly number[];
}

/** Training settings shared by every configuration. */
export interface TrainSettings {
  readonly epochs: number;
  readonly batchSize: number;
  readonly learningRate: number;
  /** L2 penalty λ·Σw² on the weights, on the loss averaged over samples and classes. */
  readonly l2: number;
  readonly patience: number;
  readonly beta: number;
  readonly seed: number;
}

/** What one search reports as it goes. */
export interface Progress {
  start(name: string, epochs: number, batches: number): void;
  batch(epoch: number, batch: number, loss: number): void;
  epoch(epoch: number, valF: number): void;
  stop(): void;
}

/** Validation scores with thresholds tuned by 2-fold cross-fitting (tuned on one half, scored on the other). */
export interface CrossFitted {
  readonly micro: number;
  readonly macro: number;
  /** Macro F-beta over the bottom third of classes by training support. */
  readonly tail: number;
}

/** The outcome of one candidate of the search, with its test scores. */
export interface RunResult {
  readonly config: Treatment;
  readonly epochsRun: number;
  /** The epoch whose weights were kept (best validation objective). */
  readonly bestEpoch: number;
  /** The epoch at which the search's budget stopped it, or null. */
  readonly prunedAt: number | null;
  /** Why it stopped where it did, in the search's words. */
  readonly stopReason: string;
  /** Its validation gain in the search's objective over plain training, with the noise interval (null for plain training). */
  readonly gain: { readonly estimate: number; readonly low: number; readonly high: number } | null;
  /** Validation micro F-beta at threshold 0.5, at the kept epoch. */
  readonly valF: number;
  /** Validation scores with cross-fitted tuned thresholds: what the search selects on. */
  readonly valTuned: CrossFitted;
  /** Whether the search's trade-off admits it (validation micro within maxMicroDrop of plain training's). */
  readonly eligible: boolean;
  /** Test scores at threshold 0.5 and with per-class thresholds tuned on the whole validation split. */
  readonly test: FBetaScores;
  readonly testTuned: FBetaScores;
  /** Test average precision (threshold-free, as the long-tail papers report): micro and macro over the classes. */
  readonly testAP: { readonly micro: number; readonly macro: number };
  readonly thresholds: number[];
  readonly seconds: number;
  /** Mean seconds per training epoch, validation scoring included. */
  readonly epochSeconds: number;
}

/**
 * The model: a logistic regression over sparse TF-IDF features (one
 * SparseDense layer, C logits), its bias set to the class priors' log-odds.
 * Its weights start at zero, so every configuration starts from the same
 * model.
 */
/** Writes the model's settings where worker-model.js reads them (a temporary file, named in the environment); returns its folder. */
function writeModelConfig(data: ExperimentData, s: TrainSettings): string {
  const config: ModelConfig = { inputDim: data.features, units: data.train.y.shape[1], biasInit: priorBias(data.counts), l2: s.l2, width: data.train.x.shape[1], learningRate: s.learningRate };
  const dir = mkdtempSync(join(tmpdir(), 'debtags-model-'));
  writeFileSync(join(dir, 'model.json'), JSON.stringify(config));
  process.env[CONFIG_ENV] = join(dir, 'model.json');
  return dir;
}

export function buildModel(data: ExperimentData, s: TrainSettings): tfl.LayersModel {
  const C = data.train.y.shape[1];
  return tfl.sequential({
    layers: [
      new SparseDense({
        inputDim: data.features,
        units: C,
        biasInit: priorBias(data.counts),
        l2: s.l2,
        inputShape: [data.train.x.shape[1]],
      }),
    ],
  });
}

/** A [N, C] matrix view of a flat array. */
export interface Matrix {
  readonly data: Float32Array;
  readonly shape: [number, number];
}

function matrixOf(t: tf.Tensor): Matrix {
  return { data: t.dataSync() as Float32Array, shape: t.shape as [number, number] };
}

function logitsOf(model: tfl.LayersModel, x: tf.Tensor2D): Matrix {
  // Not inside tf.tidy: it would walk the returned typed array element by element.
  const out = model.predict(x, { batchSize: 2048 }) as tf.Tensor;
  try {
    return matrixOf(out);
  } finally {
    out.dispose();
  }
}

/** Macro F-beta over some classes. */
export function tailF(s: FBetaScores, classes: readonly number[]): number {
  return classes.reduce((a, c) => a + s.f[c]!, 0) / classes.length;
}

/** What {@link runSearch} returns. */
export interface SearchOutcome {
  readonly runs: RunResult[];
  readonly selected: RunResult;
  /** The search's own verdict, with its interval. */
  readonly verdict: string;
  /** The sum of the runs' seconds over plain training's. */
  readonly costRatio: number;
  readonly seed: number;
  /** The pruning rule, in words. */
  readonly budget: string;
}

/** The search's settings from the command line. */
export interface SearchSettings {
  readonly candidates: readonly Treatment[];
  readonly maxMicroDrop: number;
  readonly objective: SearchObjective;
  /** Worker threads for the candidates after plain training (0: one after another, in this thread). */
  readonly workers: number;
  /** What early stopping watches on validation. */
  readonly stopOn: 'micro' | 'objective';
}

/**
 * The search, on the library's public API: `compareTreatments` trains each
 * candidate on this model and the training split, prunes and selects on
 * validation only; each run's trained model is scored on test as it ends
 * (the search never sees the test split).
 */
export async function runSearch(data: ExperimentData, s: TrainSettings, search: SearchSettings, progress: Progress): Promise<SearchOutcome> {
  const yTest = matrixOf(data.test.y);
  const batches: tf.Tensor[] = [];
  try {
    return await searchOn(data, s, search, progress, yTest, batches);
  } finally {
    tf.dispose(batches);
  }
}

/**
 * The training split as a dataset of its batches, sliced once, in order (the
 * rows were shuffled with a seed): `fit` on tensors gathers every batch by
 * index again each epoch, and wasm's gather is not vectorised (about 6 ms of
 * a 1,024-row batch of 200-tag labels and sparse rows). The same batches in
 * the same order train exactly as `fit` with `shuffle: false` does. Each
 * epoch's iterator hands out clones, which `fitDataset` disposes.
 */
function batchedOnce(split: SplitTensors, batchSize: number, made: tf.Tensor[]) {
  const N = split.x.shape[0];
  const slices: { xs: tf.Tensor; ys: tf.Tensor }[] = [];
  for (let start = 0; start < N; start += batchSize) {
    const size = Math.min(batchSize, N - start);
    const xs = tf.slice(split.x, [start, 0], [size, -1]);
    const ys = tf.slice(split.y, [start, 0], [size, -1]);
    made.push(xs, ys);
    slices.push({ xs, ys });
  }
  return {
    size: slices.length,
    iterator: async () => {
      let k = 0;
      return {
        next: async () => {
          const b = slices[k++];
          return b === undefined ? { value: undefined, done: true as const } : { value: { xs: tf.clone(b.xs), ys: tf.clone(b.ys) }, done: false as const };
        },
      };
    },
  };
}

async function searchOn(data: ExperimentData, s: TrainSettings, search: SearchSettings, progress: Progress, yTest: Matrix, batches: tf.Tensor[]): Promise<SearchOutcome> {
  const runs: RunResult[] = [];
  const score = (logits: Matrix, threshold: number | number[]) =>
    new FBetaAccumulator({ beta: s.beta, from: 'logits', threshold }).update(yTest, logits).result();
  // With workers, each thread rebuilds the model from worker-model.js and the settings written here, and slices the
  // training tensors as fit does with shuffle: false: the same batches in the same order as batchedOnce.
  const model = search.workers > 0 ? { workers: { module: new URL('./worker-model.js', import.meta.url), count: search.workers } } : { model: () => buildModel(data, s), optimizer: () => tf.train.adam(s.learningRate) };
  const configDir = search.workers > 0 ? writeModelConfig(data, s) : undefined;
  let comparison: Awaited<ReturnType<typeof compareTreatments>>;
  try {
    comparison = await compareTreatments({
      ...model,
      train: search.workers > 0 ? data.train : batchedOnce(data.train, s.batchSize, batches),
      validation: data.val,
      candidates: search.candidates,
      objective: search.objective,
      maxMicroDrop: search.maxMicroDrop,
      beta: s.beta,
      epochs: s.epochs,
      batchSize: s.batchSize,
      shuffle: false, // the caller shuffled the rows with the seed; the batches are sliced once (see batchedOnce)
      seed: s.seed,
      verbose: 0,
      patience: s.patience,
      stopOn: search.stopOn,
      onProgress: (e) => {
        if (e.type === 'run-start') progress.start(e.name, s.epochs, e.batchesPerEpoch ?? 0);
        else if (e.type === 'batch') progress.batch(e.epoch, e.batch, e.loss);
        else if (e.type === 'epoch') progress.epoch(e.epoch, e.score);
        else progress.stop();
      },
      onRunEnd: (run, model) => {
        const testLogits = logitsOf(model, data.test.x);
        runs.push({
          config: run.treatment,
          epochsRun: run.epochs,
          bestEpoch: run.bestEpoch,
          prunedAt: run.prunedAt ?? null,
          stopReason: run.stop.reason,
          gain: run.gain === undefined ? null : run.gain.objective,
          valF: run.validation.at05.micro,
          valTuned: { micro: run.validation.micro, macro: run.validation.macro, tail: run.validation.bottomThird },
          eligible: run.eligible,
          test: score(testLogits, 0.5),
          testTuned: score(testLogits, run.thresholds),
          testAP: (({ micro, macro }) => ({ micro, macro }))(averagePrecision(yTest, testLogits)),
          thresholds: run.thresholds,
          seconds: run.seconds,
          epochSeconds: run.seconds / Math.max(1, run.epochs),
        });
      },
    });
  } finally {
    if (configDir !== undefined) rmSync(configDir, { recursive: true, force: true });
  }
  const selected = runs.find((r) => r.config.name === comparison.selected.name)!;
  const { verdict, costRatio, seed } = comparison;
  comparison.dispose();
  return { runs, selected, verdict, costRatio, seed, budget: comparison.settings.budget };
}

/**
 * The floor of a training epoch: the model's own math alone, for every batch
 * of one epoch (the sparse product forward and backward, and the Adam
 * update), with no loss, callbacks or fit machinery. A fit epoch's time over
 * this says what the rest costs.
 */
export function epochFloorSeconds(data: ExperimentData, s: TrainSettings): number {
  const [N, width] = data.train.x.shape;
  const C = data.train.y.shape[1];
  const w = tf.variable(tf.zeros([data.features, C]));
  const b = tf.variable(tf.zeros([C]));
  const op = sparseMatMulOp(s.l2);
  const optimizer = tf.train.adam(s.learningRate);
  const batches = Array.from({ length: Math.ceil(N / s.batchSize) }, (_, k) => {
    const start = k * s.batchSize;
    const size = Math.min(s.batchSize, N - start);
    return tf.slice(data.train.x, [start, 0], [size, width]);
  });
  const step = (x: tf.Tensor) =>
    tf.tidy(() => {
      optimizer.minimize(() => tf.mean(tf.add(op(x, w), b)) as tf.Scalar);
    });
  step(batches[0]!); // warm-up
  const t0 = performance.now();
  for (const x of batches) step(x);
  b.dataSync();
  const seconds = (performance.now() - t0) / 1000;
  tf.dispose([...batches, w, b]);
  optimizer.dispose();
  return seconds;
}
