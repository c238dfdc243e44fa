import * as tf from '@tensorflow/tfjs-core';
import { OutOfRangeError, ShapeMismatchError } from '@tfjs-imbalance/weight-schemes';
import { describe } from '@tfjs-imbalance/weight-schemes/internal';
import type { BatchInput } from './batch-statistics.js';
import { fbetaCoefficients } from './fbeta-scores.js';
import type { ConfusionCounts } from './confusion-counts.js';

/**
 * Sample weights, as Keras' `FBetaScore.update_state(yTrue, yPred, sampleWeight)`
 * and scikit-learn's `sample_weight`: one weight ≥ 0 per sample ([N] or
 * [N, 1]), or, for per-position outputs [N, ..., C], one per position
 * ([N, ...]: a mask of 0s and 1s leaves positions out). Every count a row
 * adds is multiplied by its weight.
 */
export type SampleWeightInput = tf.Tensor | ArrayLike<number>;

/** Reads sample weights into JS, synchronously (cheap backends) or asynchronously (WebGL, WebGPU). @internal */
export function readSampleWeights(w: SampleWeightInput | undefined, sync: true): Float64Array | undefined;
export function readSampleWeights(w: SampleWeightInput | undefined, sync: false): Promise<Float64Array | undefined>;
export function readSampleWeights(w: SampleWeightInput | undefined, sync: boolean): Float64Array | undefined | Promise<Float64Array | undefined> {
  if (w === undefined) return sync ? undefined : Promise.resolve(undefined);
  if (w instanceof tf.Tensor) return sync ? Float64Array.from(w.dataSync()) : w.data().then((d) => Float64Array.from(d));
  if (w === null || typeof w !== 'object' || typeof (w as ArrayLike<number>).length !== 'number') {
    throw new ShapeMismatchError('sampleWeight', `must be one weight per sample (an array or a tensor), got ${describe(w)}.`);
  }
  const flat = Array.isArray(w) ? (w as unknown[]).flat(Infinity as 1) : Array.from(w);
  const out = Float64Array.from(flat as number[]);
  return sync ? out : Promise.resolve(out);
}

/**
 * The weight of each row the counts see (a position of per-position outputs
 * is a row): `w` has one weight per sample (N), repeated over its positions,
 * or one per row (rows). Checks the values: finite and ≥ 0. @internal
 */
export function rowWeights(w: Float64Array, samples: number, rows: number, shapes: string): Float64Array {
  for (let i = 0; i < w.length; i++) {
    if (!(w[i]! >= 0 && w[i]! < Infinity)) {
      throw new OutOfRangeError('sampleWeight', `value ${i} is ${w[i]}; sample weights must be finite and ≥ 0.`);
    }
  }
  if (w.length === rows) return w;
  if (w.length === samples && rows % samples === 0) {
    const per = rows / samples;
    const out = new Float64Array(rows);
    for (let n = 0; n < samples; n++) out.fill(w[n]!, n * per, (n + 1) * per);
    return out;
  }
  throw new ShapeMismatchError(
    'sampleWeight',
    `has ${w.length} values but the batch (${shapes}) has ${samples} samples${rows === samples ? '' : ` and ${rows} positions`}; pass one weight per sample${rows === samples ? '' : ' or per position'}.`,
  );
}

/** A tensor input's first dimension, for {@link rowWeights}. @internal */
export function sampleCount(x: BatchInput): number {
  if (x instanceof tf.Tensor) return x.shape[0] ?? 1;
  const shaped = x as { shape?: readonly number[] };
  if (!Array.isArray(x) && Array.isArray(shaped.shape)) return shaped.shape[0]!;
  return (x as ArrayLike<unknown>).length;
}

/**
 * The per-sample statistics of the `samples` averages (multi-label): for each
 * row, F-beta, precision and recall, summed with the rows' weights, and the
 * weight of the rows where each is undefined (no true and no predicted label
 * for F; no predicted label for precision; no true label for recall), which
 * `zeroDivision` fills in later. @internal
 */
export class SamplesTally {
  private fSum = 0;
  private fUndefined = 0;
  private pSum = 0;
  private pUndefined = 0;
  private rSum = 0;
  private rUndefined = 0;
  private readonly coef: { a: number; b: number; c: number };

  constructor(beta: number) {
    this.coef = fbetaCoefficients(beta);
  }

  /** Adds a row of `hits` true positives, `trues` true labels and `preds` predicted labels, with weight `w`. */
  add(hits: number, trues: number, preds: number, w: number): void {
    const { a, b, c } = this.coef;
    const denom = b * trues + c * preds;
    if (denom > 0) this.fSum += (w * a * hits) / denom;
    else this.fUndefined += w;
    if (preds > 0) this.pSum += (w * hits) / preds;
    else this.pUndefined += w;
    if (trues > 0) this.rSum += (w * hits) / trues;
    else this.rUndefined += w;
  }

  /** The fields of {@link ConfusionCounts} the samples averages read. */
  counts(): Pick<ConfusionCounts, 'samplesFSum' | 'samplesUndefined' | 'samplesPrecisionSum' | 'samplesPrecisionUndefined' | 'samplesRecallSum' | 'samplesRecallUndefined'> {
    return {
      samplesFSum: this.fSum,
      samplesUndefined: this.fUndefined,
      samplesPrecisionSum: this.pSum,
      samplesPrecisionUndefined: this.pUndefined,
      samplesRecallSum: this.rSum,
      samplesRecallUndefined: this.rUndefined,
    };
  }
}
