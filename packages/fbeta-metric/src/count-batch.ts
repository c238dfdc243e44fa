import * as tf from '@tensorflow/tfjs-core';
import { checkFloat32Backend } from '@tfjs-imbalance/weight-schemes/internal';
import { binarize, checkBatchShapes, checksPass, columnSums, positionRows, throwBadValues, toTensor, validRange, type BatchInput } from './batch-statistics.js';
import type { ConfusionCounts } from './confusion-counts.js';
import type { ResolvedFBetaArgs } from './prediction-options.js';
import { readSampleWeights, rowWeights, sampleCount, SamplesTally, type SampleWeightInput } from './sample-weights.js';

/** One batch made ready to count: counted already (the cpu route), or a packed tensor to read and finish. */
type PreparedBatch =
  | { readonly counts: ConfusionCounts; readonly release: () => void }
  | { readonly packed: tf.Tensor; readonly finish: (v: Float32Array, read: (t: tf.Tensor) => Promise<ArrayLike<number>> | ArrayLike<number>) => ConfusionCounts | Promise<ConfusionCounts>; readonly release: () => void };

/**
 * The confusion counts of one batch, with synchronous reads.
 * @internal
 */
export function countBatch(yTrueIn: BatchInput, yPredIn: BatchInput, args: ResolvedFBetaArgs, samplesAverage: boolean, sampleWeight?: SampleWeightInput): ConfusionCounts {
  const batch = prepareBatch(yTrueIn, yPredIn, args, samplesAverage, readSampleWeights(sampleWeight, true));
  try {
    if ('counts' in batch) return batch.counts;
    const v = batch.packed.dataSync() as Float32Array;
    batch.packed.dispose();
    return batch.finish(v, (t) => t.dataSync()) as ConfusionCounts;
  } finally {
    batch.release();
  }
}

/**
 * {@link countBatch} with asynchronous reads only: no blocking read on WebGL and WebGPU.
 * @internal
 */
export async function countBatchAsync(yTrueIn: BatchInput, yPredIn: BatchInput, args: ResolvedFBetaArgs, samplesAverage: boolean, sampleWeight?: SampleWeightInput): Promise<ConfusionCounts> {
  const weights = await readSampleWeights(sampleWeight, false);
  const batch = prepareBatch(yTrueIn, yPredIn, args, samplesAverage, weights);
  try {
    if ('counts' in batch) return batch.counts;
    const v = (await batch.packed.data()) as Float32Array;
    batch.packed.dispose();
    return await batch.finish(v, (t) => t.data());
  } finally {
    batch.release();
  }
}

function prepareBatch(yTrueIn: BatchInput, yPredIn: BatchInput, args: ResolvedFBetaArgs, samplesAverage: boolean, sampleWeights: Float64Array | undefined): PreparedBatch {
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
    const N = yTrue.shape[0]!;
    const w = sampleWeights === undefined ? undefined : rowWeights(sampleWeights, sampleCount(yTrueIn), N, `yTrue [${t.tensor.shape.join(', ')}]`);
    const total = w === undefined ? N : w.reduce((s, x) => s + x, 0);
    const multilabel = args.task === 'multilabel';
    const samples = multilabel && samplesAverage;
    // On the cpu backend, or for arrays, the data is already in JS: one pass there beats a dozen tfjs kernels, sums in
    // float64, and reads nothing back from a GPU.
    if (multilabel && (tf.getBackend() === 'cpu' || (t.values !== undefined && p.values !== undefined))) {
      const counts = countMultilabelJs(yTrue, yPred, args, numClasses, samples, t.values ?? yTrue.dataSync(), p.values ?? yPred.dataSync(), w, total);
      return { counts, release };
    }
    checkFloat32Backend(tf, 'the F-beta counts');
    // One read-back per batch: per-class sums (weighted by the rows' weights: a matMul with them), the value ranges
    // that validate the inputs and, for the samples average, each row's hit, true and predicted counts (whole
    // numbers, exact in float32), summed in float64 here.
    const packed = tf.tidy(() => {
      const { truth, pred, checks } = binarize(yTrue, yPred, args, numClasses);
      const hits = tf.mul(truth, pred);
      const weightRow = w === undefined ? undefined : tf.tensor2d(Float32Array.from(w), [1, N]);
      const sums = (m: tf.Tensor) => (weightRow === undefined ? columnSums(m) : tf.reshape(tf.matMul(weightRow, m as tf.Tensor2D), [-1]));
      const parts: tf.Tensor[] = [sums(hits), sums(pred), sums(truth), tf.stack([...checks])];
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
      const counts: ConfusionCounts = {
        tp,
        fp: tp.map((x, k) => Math.max(0, v[C + k]! - x)),
        fn: tp.map((x, k) => Math.max(0, v[2 * C + k]! - x)),
        samples: total,
      };
      if (!samples) return counts;
      const tally = new SamplesTally(args.beta);
      for (let n = 0, k = 3 * C + 4; n < N; n++, k += 3) tally.add(v[k]!, v[k + 1]!, v[k + 2]!, w === undefined ? 1 : w[n]!);
      return { ...counts, ...tally.counts() };
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
 * (weighted by the rows' weights) and the samples statistics in float64.
 * `total` is the rows' summed weight (N without weights).
 */
function countMultilabelJs(
  yTrue: tf.Tensor,
  yPred: tf.Tensor,
  args: ResolvedFBetaArgs,
  C: number,
  samples: boolean,
  yd: ArrayLike<number>,
  pd: ArrayLike<number>,
  w: Float64Array | undefined,
  total: number,
): ConfusionCounts {
  const N = yTrue.shape[0]!;
  const thr = typeof args.threshold === 'number' ? new Array<number>(C).fill(args.threshold) : args.threshold;
  const cut = thr.map((t) => Math.fround(args.from === 'logits' ? Math.log(t / (1 - t)) : t));
  const tp = new Float64Array(C);
  const predicted = new Float64Array(C);
  const truthful = new Float64Array(C);
  let [yMin, yMax, pMin, pMax] = [Infinity, -Infinity, Infinity, -Infinity];
  let [yNaN, pNaN] = [false, false];
  const tally = new SamplesTally(args.beta);
  for (let n = 0; n < N; n++) {
    const wn = w === undefined ? 1 : w[n]!;
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
        truthful[c]! += wn;
        trues++;
      }
      if (pred) {
        predicted[c]! += wn;
        preds++;
        if (truth) {
          tp[c]! += wn;
          hits++;
        }
      }
    }
    if (samples) tally.add(hits, trues, preds, wn);
  }
  // A NaN poisons its range, so the checks reject it.
  if (!checksPass([yNaN ? NaN : yMin, yMax], validRange(yTrue, 'yTrue', args, C))) throwBadValues('yTrue', yTrue, args, C, yd);
  if (!checksPass([pNaN ? NaN : pMin, pMax], validRange(yPred, 'yPred', args, C))) throwBadValues('yPred', yPred, args, C, pd);
  const counts: ConfusionCounts = {
    tp: Array.from(tp),
    fp: Array.from(predicted, (x, c) => x - tp[c]!),
    fn: Array.from(truthful, (x, c) => x - tp[c]!),
    samples: total,
  };
  return samples ? { ...counts, ...tally.counts() } : counts;
}
