import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { FBetaAccumulator, fbetaCallback, tuneThresholds, type FBetaScores } from '@tfjs-imbalance/fbeta-metric';
import { sampleWeightCallback } from '@tfjs-imbalance/sample-weight-callback';
import { weightedBinaryCrossentropy } from '@tfjs-imbalance/weighted-loss';
import type { ClassCounts, SchemeConfig } from '@tfjs-imbalance/weight-schemes';

/** The tensors of one split. */
export interface SplitTensors {
  readonly x: tf.Tensor2D;
  readonly y: tf.Tensor2D;
}

/** Training settings shared by every scheme. */
export interface TrainSettings {
  readonly epochs: number;
  readonly batchSize: number;
  readonly hidden: number;
  readonly learningRate: number;
  readonly patience: number;
  readonly beta: number;
  readonly seed: number;
}

/** What one training run reports as it goes. */
export interface Progress {
  start(name: string, epochs: number, batches: number): void;
  batch(epoch: number, batch: number, loss: number): void;
  epoch(epoch: number, valF: number): void;
  stop(): void;
}

/** The outcome of one scheme. */
export interface RunResult {
  readonly name: string;
  readonly scheme: SchemeConfig;
  /** Epochs trained, and the epoch whose weights were kept (best validation F-beta). */
  readonly epochsRun: number;
  readonly bestEpoch: number;
  /** Best validation F-beta at threshold 0.5 (micro). */
  readonly valF: number;
  /** Test scores at threshold 0.5 and with per-class thresholds tuned on validation. */
  readonly test: FBetaScores;
  readonly testTuned: FBetaScores;
  readonly thresholds: number[];
  readonly seconds: number;
}

/** The same seeded model for every scheme: hashed features → Dense(relu) → Dense(C logits). */
export function buildModel(dim: number, classes: number, s: TrainSettings): tfl.LayersModel {
  const init = (k: number) => tfl.initializers.glorotUniform({ seed: s.seed + k });
  return tfl.sequential({
    layers: [
      tfl.layers.dense({ units: s.hidden, inputShape: [dim], activation: 'relu', kernelInitializer: init(1) }),
      tfl.layers.dense({ units: classes, kernelInitializer: init(2) }),
    ],
  });
}

/** Keeps a copy of the weights of the epoch with the best monitored value, and restores them at the end (tfjs' earlyStopping cannot). */
class RestoreBest extends tfl.Callback {
  private best = -Infinity;
  private weights: tf.Tensor[] | undefined;
  bestEpoch = -1;
  epochsRun = 0;
  constructor(private readonly monitor: string) {
    super();
  }
  override async onEpochEnd(epoch: number, logs?: tfl.Logs): Promise<void> {
    this.epochsRun = epoch + 1;
    const v = logs?.[this.monitor] ?? -Infinity;
    if (v > this.best) {
      this.best = v;
      this.bestEpoch = epoch;
      tf.dispose(this.weights);
      this.weights = this.model.getWeights().map((w) => tf.clone(w));
    }
  }
  override async onTrainEnd(): Promise<void> {
    if (this.weights !== undefined) {
      this.model.setWeights(this.weights);
      tf.dispose(this.weights);
      this.weights = undefined;
    }
  }
  get bestValue(): number {
    return this.best;
  }
}

function logitsOf(model: tfl.LayersModel, x: tf.Tensor2D): Float32Array {
  return tf.tidy(() => (model.predict(x, { batchSize: 1024 }) as tf.Tensor).dataSync() as Float32Array);
}

/** Trains one scheme from the same initial weights and scores it on test, at 0.5 and with tuned thresholds. */
export async function runScheme(
  name: string,
  scheme: SchemeConfig,
  counts: ClassCounts,
  data: { train: SplitTensors; val: SplitTensors; test: SplitTensors },
  s: TrainSettings,
  progress: Progress,
): Promise<RunResult> {
  const t0 = performance.now();
  const [N, dim] = data.train.x.shape;
  const C = data.train.y.shape[1];
  const model = buildModel(dim, C, s);
  // Plain training: every sample weighs 1 ('max' of unit class weights; empty rows get 1 too).
  const loss = weightedBinaryCrossentropy({ numClasses: C, combine: scheme.name === 'none' ? 'max' : 'sum' });
  const optimizer = tf.train.adam(s.learningRate);
  model.compile({ optimizer, loss });
  const restore = new RestoreBest('val_fbeta');
  progress.start(name, s.epochs, Math.ceil(N / s.batchSize));
  let epoch = 0;
  try {
    await model.fit(data.train.x, data.train.y, {
      epochs: s.epochs,
      batchSize: s.batchSize,
      shuffle: false, // the caller shuffles the rows with a seed, so runs repeat exactly
      verbose: 0,
      yieldEvery: 'never',
      callbacks: [
        sampleWeightCallback({ losses: loss, scheme, counts }),
        fbetaCallback({ validationData: [data.val.x, data.val.y], beta: s.beta, from: 'logits', batchSize: 2048 }),
        restore,
        tfl.callbacks.earlyStopping({ monitor: 'val_fbeta', mode: 'max', patience: s.patience }),
        new tfl.CustomCallback({
          onEpochBegin: async (e) => void (epoch = e),
          onBatchEnd: async (b, logs) => progress.batch(epoch, b, logs?.['loss'] ?? Number.NaN),
          onEpochEnd: async (e, logs) => progress.epoch(e, logs?.['val_fbeta'] ?? Number.NaN),
        }),
      ],
    });
  } finally {
    progress.stop();
  }
  const valLogits = logitsOf(model, data.val.x);
  const testLogits = logitsOf(model, data.test.x);
  const yVal = { data: data.val.y.dataSync(), shape: [data.val.y.shape[0], C] as [number, number] };
  const yTest = { data: data.test.y.dataSync(), shape: [data.test.y.shape[0], C] as [number, number] };
  const asMatrix = (v: Float32Array, rows: number) => ({ data: v, shape: [rows, C] as [number, number] });
  const { thresholds } = tuneThresholds(yVal, asMatrix(valLogits, yVal.shape[0]), { beta: s.beta, from: 'logits' });
  const score = (threshold: number | number[]) =>
    new FBetaAccumulator({ beta: s.beta, from: 'logits', threshold })
      .update(yTest, asMatrix(testLogits, yTest.shape[0]))
      .result();
  const result: RunResult = {
    name,
    scheme,
    epochsRun: restore.epochsRun,
    bestEpoch: restore.bestEpoch,
    valF: restore.bestValue,
    test: score(0.5),
    testTuned: score(thresholds),
    thresholds,
    seconds: (performance.now() - t0) / 1000,
  };
  model.dispose();
  optimizer.dispose();
  loss.dispose();
  return result;
}
