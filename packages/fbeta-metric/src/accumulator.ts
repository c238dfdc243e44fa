import * as tf from '@tensorflow/tfjs-core';
import { EmptyInputError, InvalidOptionError, ShapeMismatchError } from '@tfjs-imbalance/weight-schemes';
import { checkOptionNames, describe, checkFloat32Backend, optionNames } from '@tfjs-imbalance/weight-schemes/internal';
import { binarize, checkBatchShapes, checksPass, columnSums, positionRows, throwBadValues, toTensor, validRange, type BatchInput } from './batch-statistics.js';
import { addConfusionCounts, type ConfusionCounts } from './confusion-counts.js';
import { checkZeroDivision, fbetaCoefficients, fbetaScores, type FBetaScores, type ZeroDivision } from './fbeta-scores.js';
import { PREDICTION_ARGS, resolveFBetaArgs, type PredictionArgs, type ResolvedFBetaArgs } from './prediction-options.js';

/** Arguments of {@link FBetaAccumulator} and {@link confusionCounts}. */
export interface FBetaAccumulatorArgs extends PredictionArgs {
  /** β > 0 of the samples average, and of {@link FBetaAccumulator.result}. Defaults to `0.5`. */
  readonly beta?: number;
  /** The value of a score whose denominator is 0, as scikit-learn's `zero_division`. Defaults to `0`. */
  readonly zeroDivision?: ZeroDivision;
  /**
   * Also track the per-sample statistics of the `samples` average
   * (multi-label only). It costs three more passes over each batch, about 20%,
   * so it is off unless asked for. Defaults to `false`.
   */
  readonly samplesAverage?: boolean;
}

const ACCUMULATOR_ARGS = optionNames<FBetaAccumulatorArgs>()(...PREDICTION_ARGS, 'beta', 'zeroDivision', 'samplesAverage');

/**
 * The confusion counts of one batch: per-class TP, FP and FN, and the
 * per-sample F-beta sum for the samples average. Every tensor it makes is
 * disposed; invalid labels or predictions throw with their position.
 *
 * Defaults: multi-label probabilities (`from: 'probabilities'`) positive above 0.5.
 *
 * @param yTrue - Multi-hot labels [N, C]; for multiclass, [N] indices or one-hot [N, C].
 * @param yPred - Scores [N, C] (probabilities or logits); for multiclass also [N] indices.
 * @param args - See {@link FBetaAccumulatorArgs}.
 * @returns The counts of this batch.
 *
 * @example
 * ```ts
 * const c = confusionCounts([[1, 0], [1, 1]], [[0.9, 0.2], [0.4, 0.7]]);
 * // c.tp = [1, 1], c.fp = [0, 0], c.fn = [1, 0]
 * ```
 */
export function confusionCounts(yTrue: BatchInput, yPred: BatchInput, args: FBetaAccumulatorArgs = {}): ConfusionCounts {
  const resolved = resolveFBetaArgs(args, 'args', ACCUMULATOR_ARGS);
  if (args.zeroDivision !== undefined) checkZeroDivision('args.zeroDivision', args.zeroDivision);
  return countBatch(yTrue, yPred, resolved, checkSamplesAverage(args.samplesAverage));
}

function checkSamplesAverage(v: unknown): boolean {
  if (v !== undefined && typeof v !== 'boolean') {
    throw new InvalidOptionError('args.samplesAverage', `must be true or false, got ${describe(v)}.`);
  }
  return v ?? false;
}

/** One batch made ready to count: counted already (the cpu route), or a packed tensor to read and finish. */
type PreparedBatch =
  | { readonly counts: ConfusionCounts; readonly release: () => void }
  | { readonly packed: tf.Tensor; readonly finish: (v: Float32Array, read: (t: tf.Tensor) => Promise<ArrayLike<number>> | ArrayLike<number>) => ConfusionCounts | Promise<ConfusionCounts>; readonly release: () => void };

function countBatch(yTrueIn: BatchInput, yPredIn: BatchInput, args: ResolvedFBetaArgs, samplesAverage: boolean): ConfusionCounts {
  const batch = prepareBatch(yTrueIn, yPredIn, args, samplesAverage);
  try {
    if ('counts' in batch) return batch.counts;
    const v = batch.packed.dataSync() as Float32Array;
    batch.packed.dispose();
    return batch.finish(v, (t) => t.dataSync()) as ConfusionCounts;
  } finally {
    batch.release();
  }
}

/** {@link countBatch} with asynchronous reads only: no blocking read on WebGL and WebGPU. */
async function countBatchAsync(yTrueIn: BatchInput, yPredIn: BatchInput, args: ResolvedFBetaArgs, samplesAverage: boolean): Promise<ConfusionCounts> {
  const batch = prepareBatch(yTrueIn, yPredIn, args, samplesAverage);
  try {
    if ('counts' in batch) return batch.counts;
    const v = (await batch.packed.data()) as Float32Array;
    batch.packed.dispose();
    return await batch.finish(v, (t) => t.data());
  } finally {
    batch.release();
  }
}

function prepareBatch(yTrueIn: BatchInput, yPredIn: BatchInput, args: ResolvedFBetaArgs, samplesAverage: boolean): PreparedBatch {
  const t = toTensor('yTrue', yTrueIn);
  let p: ReturnType<typeof toTensor> | undefined;
  let flat: [tf.Tensor, tf.Tensor] | undefined;
  const release = () => {
    if (t.owned) t.tensor.dispose();
    if (p?.owned) p.tensor.dispose();
    if (flat !== undefined) tf.dispose(flat);
  };
  try {
    p = toTensor('yPred', yPredIn);
    // Per-position outputs [N, ..., C]: every position is a row, pooled per class.
    flat = tf.tidy(() => positionRows(t.tensor, p!.tensor));
    const yTrue = flat?.[0] ?? t.tensor;
    const yPred = flat?.[1] ?? p.tensor;
    const numClasses = checkBatchShapes(yTrue, yPred, args);
    const { a, b, c } = fbetaCoefficients(args.beta);
    const multilabel = args.task === 'multilabel';
    const samples = multilabel && samplesAverage;
    // On the cpu backend, or for arrays, the data is already in JS: one pass there beats a dozen tfjs kernels, sums in
    // float64, and reads nothing back from a GPU.
    if (multilabel && (tf.getBackend() === 'cpu' || (t.values !== undefined && p.values !== undefined))) {
      const counts = countMultilabelJs(yTrue, yPred, args, numClasses, samples, t.values ?? yTrue.dataSync(), p.values ?? yPred.dataSync());
      return { counts, release };
    }
    checkFloat32Backend(tf, 'the F-beta counts');
    // One read-back per batch: per-class sums, the value ranges that validate
    // the inputs and, for the samples average, each row's hit, true and
    // predicted counts (whole numbers, exact in float32), summed in float64 here.
    const packed = tf.tidy(() => {
      const { truth, pred, checks } = binarize(yTrue, yPred, args, numClasses);
      const hits = tf.mul(truth, pred);
      const parts: tf.Tensor[] = [columnSums(hits), columnSums(pred), columnSums(truth), tf.stack([...checks])];
      if (samples) parts.push(tf.reshape(tf.stack([tf.sum(hits, 1), tf.sum(truth, 1), tf.sum(pred, 1)], 1), [-1]));
      return tf.concat(parts);
    });
    const finish = (v: Float32Array, read: (t: tf.Tensor) => Promise<ArrayLike<number>> | ArrayLike<number>): ConfusionCounts | Promise<ConfusionCounts> => {
      const C = numClasses;
      const check = Array.from(v.subarray(3 * C, 3 * C + 4));
      // The error path reads the offending tensor for a precise message, as the caller reads (sync or async).
      for (const [argument, tensor, range] of [['yTrue', yTrue, check.slice(0, 2)], ['yPred', yPred, check.slice(2, 4)]] as const) {
        if (!checksPass(range, validRange(tensor, argument, args, C))) {
          const values = read(tensor);
          if (values instanceof Promise) return values.then((d) => throwBadValues(argument, tensor, args, C, d));
          throwBadValues(argument, tensor, args, C, values);
        }
      }
      const tp = Array.from(v.subarray(0, C));
      const N = yTrue.shape[0]!;
      const counts: ConfusionCounts = {
        tp,
        fp: tp.map((x, k) => v[C + k]! - x),
        fn: tp.map((x, k) => v[2 * C + k]! - x),
        samples: N,
      };
      if (!samples) return counts;
      // Per row: F = (1+β²)·tp / (β²·true + pred); a row with neither true nor predicted labels has F undefined.
      let fSum = 0;
      let defined = 0;
      for (let n = 0, k = 3 * C + 4; n < N; n++, k += 3) {
        const denom = b * v[k + 1]! + c * v[k + 2]!;
        if (denom > 0) {
          fSum += v[k]! / denom;
          defined++;
        }
      }
      return { ...counts, samplesFSum: a * fSum, samplesUndefined: N - defined };
    };
    return { packed, finish, release };
  } catch (e) {
    release();
    throw e;
  }
}

/**
 * The multi-label counts of one batch in one JS pass (the route for the cpu
 * backend, and for arrays on any backend): [y ≥ 0.5] against [score > cut], with the cut in float32 as the
 * tensor route compares, the value ranges checked on the way, per-class sums
 * and the samples statistics in float64.
 */
function countMultilabelJs(
  yTrue: tf.Tensor,
  yPred: tf.Tensor,
  args: ResolvedFBetaArgs,
  C: number,
  samples: boolean,
  yd: ArrayLike<number>,
  pd: ArrayLike<number>,
): ConfusionCounts {
  const N = yTrue.shape[0]!;
  const thr = typeof args.threshold === 'number' ? new Array<number>(C).fill(args.threshold) : args.threshold;
  const cut = thr.map((t) => Math.fround(args.from === 'logits' ? Math.log(t / (1 - t)) : t));
  const tp = new Float64Array(C);
  const predicted = new Float64Array(C);
  const truthful = new Float64Array(C);
  let [yMin, yMax, pMin, pMax] = [Infinity, -Infinity, Infinity, -Infinity];
  let [yNaN, pNaN] = [false, false];
  let fSum = 0;
  let defined = 0;
  const { a, b, c } = fbetaCoefficients(args.beta);
  for (let n = 0; n < N; n++) {
    let hits = 0;
    let trues = 0;
    let preds = 0;
    for (let c = 0; c < C; c++) {
      const yv = yd[n * C + c]!;
      const pv = pd[n * C + c]!;
      if (yv < yMin) yMin = yv;
      if (yv > yMax) yMax = yv;
      if (pv < pMin) pMin = pv;
      if (pv > pMax) pMax = pv;
      if (yv !== yv) yNaN = true;
      if (pv !== pv) pNaN = true;
      const truth = yv >= 0.5;
      const pred = pv > cut[c]!;
      if (truth) {
        truthful[c]!++;
        trues++;
      }
      if (pred) {
        predicted[c]!++;
        preds++;
        if (truth) {
          tp[c]!++;
          hits++;
        }
      }
    }
    const denom = b * trues + c * preds;
    if (denom > 0) {
      fSum += hits / denom;
      defined++;
    }
  }
  // A NaN poisons its range, so the checks reject it.
  if (!checksPass([yNaN ? NaN : yMin, yMax], validRange(yTrue, 'yTrue', args, C))) throwBadValues('yTrue', yTrue, args, C, yd);
  if (!checksPass([pNaN ? NaN : pMin, pMax], validRange(yPred, 'yPred', args, C))) throwBadValues('yPred', yPred, args, C, pd);
  const counts: ConfusionCounts = {
    tp: Array.from(tp),
    fp: Array.from(predicted, (x, c) => x - tp[c]!),
    fn: Array.from(truthful, (x, c) => x - tp[c]!),
    samples: N,
  };
  return samples ? { ...counts, samplesFSum: a * fSum, samplesUndefined: N - defined } : counts;
}

/**
 * An exact, streaming F-beta: {@link FBetaAccumulator.update} it with
 * batches, read every score with {@link FBetaAccumulator.result}. It holds
 * only per-class TP, FP and FN counts (plus two numbers for the samples
 * average), takes tensors or arrays, and leaks no tensors.
 *
 * @example F0.5 over a validation set, batch by batch
 * ```ts
 * const acc = new FBetaAccumulator({ beta: 0.5, from: 'logits' });
 * for (const [x, y] of batches) {
 *   const logits = model.predict(x) as tf.Tensor;
 *   acc.update(y, logits);
 *   logits.dispose();
 * }
 * const { micro, macro, f } = acc.result();
 * ```
 */
export class FBetaAccumulator {
  private readonly args: ResolvedFBetaArgs;
  private readonly zeroDivision: ZeroDivision;
  private readonly samplesAverage: boolean;
  private total: ConfusionCounts | undefined;

  /**
   * @param args - See {@link FBetaAccumulatorArgs}.
   */
  constructor(args: FBetaAccumulatorArgs = {}) {
    this.args = resolveFBetaArgs(args, 'args', ACCUMULATOR_ARGS);
    this.zeroDivision = checkZeroDivision('args.zeroDivision', args.zeroDivision ?? 0);
    this.samplesAverage = checkSamplesAverage(args.samplesAverage);
  }

  /**
   * Adds one batch.
   *
   * @param yTrue - Labels, as for {@link confusionCounts}.
   * @param yPred - Predictions, as for {@link confusionCounts}.
   * @returns This accumulator, for chaining.
   */
  update(yTrue: BatchInput, yPred: BatchInput): this {
    return this.add(countBatch(yTrue, yPred, this.args, this.samplesAverage));
  }

  /**
   * {@link FBetaAccumulator.update} with asynchronous reads only: the way to
   * count on WebGPU, where tfjs' synchronous reads fail, and on WebGL, where
   * they stall the GPU. `fbetaCallback` uses it.
   *
   * @param yTrue - Labels, as for {@link confusionCounts}.
   * @param yPred - Predictions, as for {@link confusionCounts}.
   * @returns This accumulator, once the batch is counted.
   *
   * @example
   * ```ts
   * await acc.updateAsync(yBatch, logitsBatch);
   * ```
   */
  async updateAsync(yTrue: BatchInput, yPred: BatchInput): Promise<this> {
    return this.add(await countBatchAsync(yTrue, yPred, this.args, this.samplesAverage));
  }

  private add(batch: ConfusionCounts): this {
    if (this.total !== undefined && this.total.tp.length !== batch.tp.length) {
      throw new ShapeMismatchError(
        'yPred',
        `has ${batch.tp.length} classes but earlier batches had ${this.total.tp.length}; ` +
          'every batch must use the same classes (call reset() to start over).',
      );
    }
    this.total = this.total === undefined ? batch : addConfusionCounts(this.total, batch);
    return this;
  }

  /**
   * Adds counts from elsewhere (another accumulator or shard).
   *
   * @param counts - Counts over the same classes.
   * @returns This accumulator, for chaining.
   */
  merge(counts: ConfusionCounts): this {
    if (this.total !== undefined && this.total.tp.length !== counts.tp.length) {
      throw new ShapeMismatchError(
        'counts',
        `has ${counts.tp.length} classes but this accumulator has ${this.total.tp.length}; merge counts over the same classes.`,
      );
    }
    this.total = this.total === undefined ? counts : addConfusionCounts(this.total, counts);
    return this;
  }

  /**
   * @returns The counts so far, or `undefined` before the first update.
   */
  counts(): ConfusionCounts | undefined {
    return this.total;
  }

  /**
   * Every score over the batches so far.
   *
   * @param options - Overrides of `zeroDivision` for this reading. Defaults to the constructor's.
   * @returns The scores; see {@link FBetaScores}.
   */
  result(options: { readonly zeroDivision?: ZeroDivision } = {}): FBetaScores {
    checkOptionNames('options', options, ['zeroDivision']);
    if (this.total === undefined) {
      throw new EmptyInputError('result', 'no batch was added yet; call update(yTrue, yPred) first.');
    }
    return fbetaScores(this.total, { beta: this.args.beta, zeroDivision: options.zeroDivision ?? this.zeroDivision });
  }

  /**
   * The accumulator's settings as JSON; `new FBetaAccumulator(config)` rebuilds it (without its counts).
   *
   * @returns The config.
   */
  getConfig(): FBetaAccumulatorArgs {
    const { task, from, threshold, numClasses, beta } = this.args;
    return {
      task,
      from,
      threshold: typeof threshold === 'number' ? threshold : [...threshold],
      beta,
      zeroDivision: this.zeroDivision,
      samplesAverage: this.samplesAverage,
      ...(numClasses === undefined ? {} : { numClasses }),
    };
  }

  /** Forgets every batch, for instance at the start of an epoch. */
  reset(): void {
    this.total = undefined;
  }
}
