import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import {
  FBetaAccumulator,
  addConfusionCounts,
  averagePrecision,
  confusionCounts,
  earlyStopping,
  fbetaCallback,
  fbetaScores,
  tuneThresholds,
  type FBetaScores,
  type TuneThresholdsOptions,
} from '@tfjs-imbalance/fbeta-metric';
import { sampleWeightCallback } from '@tfjs-imbalance/sample-weight-callback';
import {
  asymmetricLoss,
  distributionBalancedLoss,
  weightedBinaryCrossentropy,
  weightedBinaryFocalCrossentropy,
  type WeightedLoss,
} from '@tfjs-imbalance/weighted-loss';
import { posWeight, priorBias, type ClassCounts, type CombineRule, type SchemeConfig } from '@tfjs-imbalance/weight-schemes';
import { SparseDense, sparseMatMulOp } from './sparse-dense.js';

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

/** One configuration of the search: a loss, its weighting and its schedule. */
export interface RunConfig {
  readonly name: string;
  readonly scheme: SchemeConfig;
  readonly combine: CombineRule;
  readonly emptyRowWeight: number | 'as-class';
  /** PyTorch's pos_weight, (N − n_c)/n_c per class. */
  readonly posWeight: boolean;
  /** Deferred re-weighting (DRW): uniform weights before this epoch. */
  readonly deferUntilEpoch: number;
  /** The focal loss's γ; `undefined` for binary cross-entropy. */
  readonly focalGamma?: number;
  /** A long-tail loss instead of the weighted BCE: the Distribution-Balanced loss (DB-focal, official defaults) or the Asymmetric Loss. */
  readonly loss?: 'db' | 'asl';
}

/** What one training run reports as it goes. */
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

/** The outcome of one configuration. */
export interface RunResult {
  readonly config: RunConfig;
  readonly epochsRun: number;
  /** The epoch whose weights were kept (best validation micro F-beta at 0.5). */
  readonly bestEpoch: number;
  /** Best validation micro F-beta at threshold 0.5. */
  readonly valF: number;
  /** Validation scores with cross-fitted tuned thresholds: what the search selects on. */
  readonly valTuned: CrossFitted;
  /** Test scores at threshold 0.5 and with per-class thresholds tuned on the whole validation split. */
  readonly test: FBetaScores;
  readonly testTuned: FBetaScores;
  /** Test average precision (threshold-free, as the long-tail papers report): micro and macro over the classes. */
  readonly testAP: { readonly micro: number; readonly macro: number };
  readonly thresholds: number[];
  readonly seconds: number;
  /** Mean seconds per training epoch (validation excluded). */
  readonly epochSeconds: number;
}

/** The options every threshold tuning here uses: the library's defaults, at the run's β. */
export function tuningOptions(beta: number): TuneThresholdsOptions {
  return { beta, from: 'logits' };
}


/**
 * The model: a logistic regression over sparse TF-IDF features (one
 * SparseDense layer, C logits), its bias set to the class priors' log-odds.
 * Its weights start at zero, so every configuration starts from the same
 * model.
 */
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

function rowsOf(m: Matrix, keep: (i: number) => boolean): Matrix {
  const [N, C] = m.shape;
  const idx = Array.from({ length: N }, (_, i) => i).filter(keep);
  const out = new Float32Array(idx.length * C);
  idx.forEach((i, k) => out.set(m.data.subarray(i * C, (i + 1) * C), k * C));
  return { data: out, shape: [idx.length, C] };
}

/**
 * Validation scores with thresholds tuned by 2-fold cross-fitting: tuned on
 * the even rows and scored on the odd ones, and the reverse, the confusion
 * counts summed. Thresholds tuned and scored on the same rows would flatter
 * every configuration by how much it overfits them; this does not.
 */
export function crossFitted(y: Matrix, logits: Matrix, beta: number, tail: readonly number[]): CrossFitted {
  const folds = [(i: number) => i % 2 === 0, (i: number) => i % 2 === 1];
  const counts = folds
    .map((inFold, k) => {
      const other = folds[1 - k]!;
      const { thresholds } = tuneThresholds(rowsOf(y, inFold), rowsOf(logits, inFold), tuningOptions(beta));
      return confusionCounts(rowsOf(y, other), rowsOf(logits, other), { beta, from: 'logits', threshold: thresholds });
    })
    .reduce(addConfusionCounts);
  const s = fbetaScores(counts, { beta });
  return { micro: s.micro.f, macro: s.macro.f, tail: tailF(s, tail) };
}

/** Macro F-beta over some classes. */
export function tailF(s: FBetaScores, classes: readonly number[]): number {
  return classes.reduce((a, c) => a + s.f[c]!, 0) / classes.length;
}

function makeLoss(config: RunConfig, counts: ClassCounts): WeightedLoss {
  const common = {
    numClasses: counts.positives.length,
    combine: config.combine,
    emptyRowWeight: config.emptyRowWeight,
    ...(config.posWeight ? { posWeight: posWeight(counts, { emptyClass: 'max' }) } : {}),
  };
  if (config.loss === 'db') return distributionBalancedLoss({ ...common, classCounts: counts });
  if (config.loss === 'asl') return asymmetricLoss(common);
  return config.focalGamma === undefined
    ? weightedBinaryCrossentropy(common)
    : weightedBinaryFocalCrossentropy({ ...common, gamma: config.focalGamma });
}

/** Trains one configuration from the same initial model and scores it on validation (for the search) and test. */
export async function runConfig(config: RunConfig, data: ExperimentData, s: TrainSettings, progress: Progress): Promise<RunResult> {
  const t0 = performance.now();
  const N = data.train.x.shape[0];
  const model = buildModel(data, s);
  const loss = makeLoss(config, data.counts);
  const optimizer = tf.train.adam(s.learningRate);
  model.compile({ optimizer, loss });
  // Stops after `patience` epochs without a better val_fbeta, and keeps the best epoch's weights.
  const restore = earlyStopping({ monitor: 'val_fbeta', mode: 'max', patience: s.patience, restoreBestWeights: true });
  progress.start(config.name, s.epochs, Math.ceil(N / s.batchSize));
  let epoch = 0;
  let trainSeconds = 0;
  let epochStart = 0;
  try {
    await model.fit(data.train.x, data.train.y, {
      epochs: s.epochs,
      batchSize: s.batchSize,
      shuffle: false, // the caller shuffles the rows with a seed, so runs repeat exactly
      verbose: 0,
      yieldEvery: 'never',
      callbacks: [
        new tfl.CustomCallback({
          onEpochBegin: async (e) => {
            epoch = e;
            epochStart = performance.now();
          },
          onBatchEnd: async (b, logs) => progress.batch(epoch, b, logs?.['loss'] ?? Number.NaN),
        }),
        sampleWeightCallback({ losses: loss, scheme: config.scheme, counts: data.counts, deferUntilEpoch: config.deferUntilEpoch }),
        new tfl.CustomCallback({ onEpochEnd: async () => void (trainSeconds += (performance.now() - epochStart) / 1000) }),
        fbetaCallback({ validationData: [data.val.x, data.val.y], beta: s.beta, from: 'logits', batchSize: 2048 }),
        restore,
        new tfl.CustomCallback({ onEpochEnd: async (e, logs) => progress.epoch(e, logs?.['val_fbeta'] ?? Number.NaN) }),
      ],
    });
  } finally {
    progress.stop();
  }
  const yVal = matrixOf(data.val.y);
  const yTest = matrixOf(data.test.y);
  const valLogits = logitsOf(model, data.val.x);
  const testLogits = logitsOf(model, data.test.x);
  const { thresholds } = tuneThresholds(yVal, valLogits, tuningOptions(s.beta));
  const score = (threshold: number | number[]) =>
    new FBetaAccumulator({ beta: s.beta, from: 'logits', threshold }).update(yTest, testLogits).result();
  const result: RunResult = {
    config,
    epochsRun: restore.epochsRun,
    bestEpoch: restore.bestEpoch,
    valF: restore.best,
    valTuned: crossFitted(yVal, valLogits, s.beta, data.tail),
    test: score(0.5),
    testTuned: score(thresholds),
    testAP: (({ micro, macro }) => ({ micro, macro }))(averagePrecision(yTest, testLogits)),
    thresholds,
    seconds: (performance.now() - t0) / 1000,
    epochSeconds: trainSeconds / Math.max(1, restore.epochsRun),
  };
  model.dispose();
  optimizer.dispose();
  loss.dispose();
  return result;
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
