import * as tf from '@tensorflow/tfjs-core';
import {
  EmptyInputError,
  NonFiniteValueError,
  OutOfRangeError,
  ShapeMismatchError,
  toDenseMatrix,
  type LabelMatrix,
} from '@tfjs-imbalance/weight-schemes';
import { describe, isTensorLike } from '@tfjs-imbalance/weight-schemes/internal';
import type { ResolvedPredictionArgs } from './prediction-options.js';

/** Labels or predictions: a tensor, a [N, C] matrix of numbers, or a [N] vector of class indices. */
export type BatchInput = tf.Tensor | LabelMatrix | ArrayLike<number>;

/**
 * The per-batch tensors F-beta is built from. Created inside a `tf.tidy`.
 * @internal
 */
export interface BatchTensors {
  /** The binarised truth [N, C] (float32 0/1). */
  readonly truth: tf.Tensor2D;
  /** The binarised predictions [N, C] (float32 0/1). */
  readonly pred: tf.Tensor2D;
  /** [min, max] of the labels, then of the predictions (scalars). */
  readonly checks: readonly [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor];
}

/**
 * Turns an input into a tensor, validating array shapes. The caller disposes
 * the result only when `owned` is true. For JS input, `values` are the
 * values the tensor was made from, so they can be read without a read-back.
 * @internal
 */
export function toTensor(argument: string, x: BatchInput): { tensor: tf.Tensor; owned: boolean; values?: Float32Array } {
  if (x instanceof tf.Tensor) return { tensor: x, owned: false };
  if (isTensorLike(x)) {
    throw new ShapeMismatchError(argument, 'is a tensor from another copy of @tensorflow/tfjs-core; install a single copy.');
  }
  const matrix = (m: { data: ArrayLike<number>; rows: number; cols: number }) => {
    const values = Float32Array.from(m.data);
    return { tensor: tf.tensor2d(values, [m.rows, m.cols]), owned: true, values };
  };
  if (x !== null && typeof x === 'object' && !Array.isArray(x) && 'data' in x && 'shape' in x) {
    return matrix(toDenseMatrix(argument, x, { values: 'finite' }));
  }
  if (Array.isArray(x) || ArrayBuffer.isView(x)) {
    const first = (x as ArrayLike<unknown>)[0];
    if (typeof first === 'object' && first !== null) return matrix(toDenseMatrix(argument, x as LabelMatrix, { values: 'finite' }));
    const values = Float32Array.from(x as ArrayLike<number>);
    return { tensor: tf.tensor1d(values), owned: true, values };
  }
  throw new ShapeMismatchError(argument, `expected a tensor or an array of numbers, got ${describe(x)}.`);
}

/**
 * Per-position outputs [N, ..., C] (class axis last) as rows [M, C], every
 * position a row, so scores pool the positions per class: labels of the same
 * shape, or class indices [N, ...] (or [N, ..., 1]), become [M, C] and [M].
 * Returns `undefined` for rank-2 batches and for shapes that do not line up
 * (which {@link checkBatchShapes} then names). Call inside `tf.tidy`.
 * @internal
 */
export function positionRows(yTrue: tf.Tensor, yPred: tf.Tensor): [tf.Tensor, tf.Tensor] | undefined {
  if (yPred.rank <= 2 && yTrue.rank <= 2) return undefined;
  const C = yPred.shape[yPred.rank - 1]!;
  const positions = yPred.shape.slice(0, -1);
  const rows = (t: tf.Tensor) => tf.reshape(t, [-1, t.shape[t.rank - 1]!]);
  if (tf.util.arraysEqual(yTrue.shape, yPred.shape)) return [rows(yTrue), rows(yPred)];
  const indices = tf.util.arraysEqual(yTrue.shape, positions) || (yTrue.rank === yPred.rank && C !== 1 && yTrue.shape[yTrue.rank - 1] === 1 && tf.util.arraysEqual(yTrue.shape.slice(0, -1), positions));
  return indices && yPred.rank > 2 ? [tf.reshape(yTrue, [-1]), rows(yPred)] : undefined;
}

/**
 * Checks the shapes of a batch before any math and returns the number of
 * classes C.
 * @internal
 */
export function checkBatchShapes(yTrue: tf.Tensor, yPred: tf.Tensor, args: ResolvedPredictionArgs): number {
  const ts = `[${yTrue.shape.join(', ')}]`;
  const ps = `[${yPred.shape.join(', ')}]`;
  let numClasses: number | undefined;
  if (args.task === 'multilabel') {
    if (yTrue.rank !== 2 || yPred.rank !== 2) {
      throw new ShapeMismatchError(
        yTrue.rank !== 2 ? 'yTrue' : 'yPred',
        `multi-label F-beta needs rank-2 [N, C] labels and predictions (or [N, ..., C] of one shape, class axis last), got yTrue ${ts} and yPred ${ps}. ` +
          "For class indices use task: 'multiclass'; for one sample, reshape to [1, C].",
      );
    }
    if (yTrue.shape[0] !== yPred.shape[0] || yTrue.shape[1] !== yPred.shape[1]) {
      throw new ShapeMismatchError('yPred', `has shape ${ps} but yTrue has shape ${ts}; they must match.`);
    }
    numClasses = yTrue.shape[1]!;
  } else {
    for (const [name, t] of [['yTrue', yTrue], ['yPred', yPred]] as const) {
      if (t.rank !== 1 && t.rank !== 2) {
        throw new ShapeMismatchError(
          name,
          `multi-class F-beta needs [N] class indices or [N, C] scores, got shape [${t.shape.join(', ')}].`,
        );
      }
    }
    if (yTrue.shape[0] !== yPred.shape[0]) {
      throw new ShapeMismatchError('yPred', `has ${yPred.shape[0]} rows (shape ${ps}) but yTrue has ${yTrue.shape[0]} (shape ${ts}).`);
    }
    if (yTrue.rank === 2 && yPred.rank === 2 && yTrue.shape[1] !== yPred.shape[1]) {
      throw new ShapeMismatchError('yPred', `has shape ${ps} but yTrue has shape ${ts}; the class axes must match.`);
    }
    numClasses = yPred.rank === 2 ? yPred.shape[1] : yTrue.rank === 2 ? yTrue.shape[1] : args.numClasses;
    if (numClasses === undefined) {
      throw new ShapeMismatchError(
        'numClasses',
        `is needed when both yTrue ${ts} and yPred ${ps} are class indices; pass numClasses.`,
      );
    }
  }
  if (args.numClasses !== undefined && numClasses !== args.numClasses) {
    throw new ShapeMismatchError(
      'yPred',
      `has ${numClasses} classes (shape ${ps}) but numClasses is ${args.numClasses}; use one class order everywhere.`,
    );
  }
  if (Array.isArray(args.threshold) && args.threshold.length !== numClasses) {
    throw new ShapeMismatchError(
      'threshold',
      `has ${args.threshold.length} per-class thresholds but the predictions have ${numClasses} classes (shape ${ps}).`,
    );
  }
  if (yTrue.shape[0] === 0) {
    throw new EmptyInputError('yTrue', `is an empty batch (shape ${ts}); pass at least one row.`);
  }
  return numClasses;
}

/**
 * Binarises a batch. Call inside `tf.tidy` after {@link checkBatchShapes}.
 * `checks` holds [min, max] of the labels and of the predictions (NaN
 * propagates through both): four reductions validate every value, instead of
 * a comparison pass per rule; {@link checksPass} reads them.
 * @internal
 */
export function binarize(
  yTrue: tf.Tensor,
  yPred: tf.Tensor,
  args: ResolvedPredictionArgs,
  numClasses: number,
): BatchTensors {
  const checks = [tf.min(yTrue), tf.max(yTrue), tf.min(yPred), tf.max(yPred)] as const;
  if (args.task === 'multilabel') {
    const thr = typeof args.threshold === 'number' ? [args.threshold] : args.threshold;
    const cut = args.from === 'logits' ? thr.map((t) => Math.log(t / (1 - t))) : thr;
    const cutT = cut.length === 1 ? tf.scalar(cut[0]!) : tf.tensor1d(cut as number[]);
    return {
      truth: tf.sub(1, above(0.5, yTrue)) as tf.Tensor2D, // [y ≥ 0.5] = 1 − [0.5 > y]
      pred: above(yPred, cutT) as tf.Tensor2D, // [p > threshold]
      checks,
    };
  }
  const oneHot = (idx: tf.Tensor) => tf.cast(tf.oneHot(tf.cast(idx, 'int32'), numClasses), 'float32') as tf.Tensor2D;
  if (args.ignoreClass !== undefined && yTrue.rank === 1) {
    // Positions labelled with the ignored class: a row of zeros in the truth (tf.oneHot of −1) and in the predictions,
    // so they add to no count; they are checked as class 0.
    const ignored = tf.equal(yTrue, args.ignoreClass);
    const labels = tf.where(ignored, tf.fill(yTrue.shape, -1, yTrue.dtype), yTrue);
    const checked = tf.where(ignored, tf.zerosLike(yTrue), yTrue);
    const b = binarize(checked, yPred, { ...args, ignoreClass: undefined }, numClasses);
    const labelled = tf.sub(1, tf.cast(tf.reshape(ignored, [-1, 1]), 'float32'));
    return { truth: oneHot(labels), pred: tf.mul(b.pred, labelled) as tf.Tensor2D, checks: b.checks };
  }
  const isIndex = (t: tf.Tensor) => tf.all(tf.equal(t, tf.floor(t)));
  // One-hot labels must have exactly one positive per row; indices must be whole numbers.
  const shapeOk =
    yTrue.rank === 2
      ? tf.all(tf.equal(tf.sum(tf.cast(tf.greaterEqual(yTrue, 0.5), 'float32'), 1), 1))
      : isIndex(yTrue);
  const predOk = yPred.rank === 2 ? tf.scalar(true) : isIndex(yPred);
  return {
    truth: oneHot(yTrue.rank === 2 ? tf.argMax(yTrue, 1) : yTrue),
    pred: oneHot(yPred.rank === 2 ? tf.argMax(yPred, 1) : yPred),
    // A failed structural check poisons that input's minimum, so checksPass rejects it.
    checks: [
      tf.where(shapeOk, checks[0], tf.scalar(Number.NaN)),
      checks[1],
      tf.where(predOk, checks[2], tf.scalar(Number.NaN)),
      checks[3],
    ],
  };
}

/**
 * The range every value of an input must lie in: [0, 1] for labels and
 * probabilities, [0, C − 1] for class indices, any finite value for scores and logits.
 * @internal
 */
export function validRange(t: tf.Tensor, what: 'yTrue' | 'yPred', args: ResolvedPredictionArgs, numClasses: number): [number, number] {
  if (args.task === 'multiclass' && t.rank === 1) return [0, numClasses - 1];
  if (what === 'yPred' && (args.task === 'multiclass' || args.from === 'logits')) return [-Infinity, Infinity];
  return [0, 1];
}

/**
 * [a > b] as float32, by the cheaper route on this backend: step(a − b) is
 * exact in floating point and 4× cheaper than a comparison + cast on wasm,
 * while on cpu the comparison is the cheaper one (measured in bench/).
 * @internal
 */
export function above(a: tf.Tensor | number, b: tf.Tensor | number): tf.Tensor {
  return tf.getBackend() === 'cpu' ? tf.cast(tf.greater(a, b), 'float32') : tf.step(tf.sub(a, b));
}

/**
 * Column sums [C] of a [N, C] matrix as a matMul with a row of ones: a
 * reduction over axis 0 transposes first on some backends (wasm), a matMul does not.
 * @internal
 */
export function columnSums(m: tf.Tensor): tf.Tensor {
  return tf.reshape(tf.matMul(tf.ones([1, m.shape[0]!]), m as tf.Tensor2D), [-1]);
}

/**
 * Whether an input's [min, max] (NaN if any value was NaN) lies in its valid range.
 * @internal
 */
export function checksPass([lo, hi]: number[], [min, max]: [number, number]): boolean {
  return Number.isFinite(lo!) && Number.isFinite(hi!) && lo! >= min && hi! <= max;
}

/**
 * Throws a precise error for invalid values, after a batch reported some.
 * Only runs on the error path, so it may read tensors back (`values`: the
 * tensor's values already read, where a synchronous read is not possible).
 * @internal
 */
export function throwBadValues(
  argument: 'yTrue' | 'yPred',
  t: tf.Tensor,
  args: ResolvedPredictionArgs,
  numClasses: number,
  values?: ArrayLike<number>,
): never {
  const data = values ?? t.dataSync();
  const cols = t.rank === 2 ? t.shape[1]! : 1;
  const where = (k: number) => (t.rank === 2 ? `row ${Math.floor(k / cols)}, column ${k % cols}` : `index ${k}`);
  const shape = `[${t.shape.join(', ')}]`;
  const nonFinite = Array.prototype.findIndex.call(data, (v: number) => !Number.isFinite(v));
  if (nonFinite >= 0) {
    throw new NonFiniteValueError(
      argument,
      `value at ${where(nonFinite)} of shape ${shape} is ${data[nonFinite]}; check the data or the model for NaN/Infinity.`,
    );
  }
  const isIndices = args.task === 'multiclass' && t.rank === 1;
  if (isIndices) {
    const k = Array.prototype.findIndex.call(data, (v: number) => !(Number.isInteger(v) && v >= 0 && v < numClasses));
    throw new OutOfRangeError(
      argument,
      `class index at ${where(k)} is ${data[k]}; indices must be whole numbers in [0, ${numClasses}).`,
    );
  }
  const k = Array.prototype.findIndex.call(data, (v: number) => v < 0 || v > 1);
  if (k >= 0) {
    const what = argument === 'yTrue' ? 'labels' : 'probabilities';
    throw new OutOfRangeError(
      argument,
      `value at ${where(k)} of shape ${shape} is ${data[k]}; ${what} must lie in [0, 1].` +
        (argument === 'yPred' ? " If these are logits, pass from: 'logits'." : ''),
    );
  }
  throw new ShapeMismatchError(
    argument,
    `one-hot labels of shape ${shape} need exactly one value ≥ 0.5 per row; pass class indices or fix the rows.`,
  );
}
