import * as tf from '@tensorflow/tfjs-core';
import { InvalidOptionError, OutOfRangeError, ShapeMismatchError } from '@tfjs-imbalance/weight-schemes';
import { asRows } from '../../core/binary-inputs.js';
import { asTensor, checkEpsilon, checkFrom, checkOptionNames, checkReduction, describe, log1pAccurate, optionNames, type PredictionKind, reduce, shapeOf, type TensorInput } from '../kit.js';
import { checkFloat32Backend } from '@tfjs-imbalance/weight-schemes/internal';
import { checkValues, validateByDefault } from '../../core/tensor-input.js';

/**
 * Reductions of the softmax cross-entropy:
 * - `'none'`: one loss per sample [N] (per position [N, ...] for [N, ..., C] predictions);
 * - `'mean'`: the mean over the batch (Keras and tfjs);
 * - `'sum'`;
 * - `'weighted-mean'`: the sum divided by the sum of the samples' class weights (PyTorch's `reduction='mean'` with `weight`).
 */
export type SoftmaxReduction = 'none' | 'mean' | 'sum' | 'weighted-mean';

/** Arguments of {@link softmaxCrossEntropy}. */
export interface SoftmaxCrossEntropyArgs {
  /** What `yPred` holds: logits or softmax probabilities. Defaults to `'logits'`. */
  readonly from?: PredictionKind;
  /** One weight per class [C], PyTorch's `weight`. Defaults to 1 for every class. */
  readonly classWeights?: TensorInput;
  /** How the per-sample loss is reduced. Defaults to `'mean'`. */
  readonly reduction?: SoftmaxReduction;
  /** The clip of probabilities, with `from: 'probabilities'`. Defaults to `1e-7`. */
  readonly epsilon?: number;
  /** Whether to read the inputs back and reject NaN, Infinity and bad labels. Defaults to `true`, but `false` on WebGL and WebGPU, where the read would block (stall WebGL, lose the WebGPU device): pass `true` to check there anyway. */
  readonly validate?: boolean;
  /**
   * PyTorch's `ignore_index` (Keras' `ignore_class`): the class index of
   * positions without a label, for class-index labels. They lose 0 and leave
   * every mean: `'mean'` divides by the labelled positions (Keras),
   * `'weighted-mean'` by their class weights (PyTorch). Defaults to none.
   */
  readonly ignoreIndex?: number;
}

const CE_ARGS = optionNames<SoftmaxCrossEntropyArgs>()('from', 'classWeights', 'reduction', 'epsilon', 'validate', 'ignoreIndex');

/**
 * Turns sparse labels [N] or [N, 1] into one-hot [N, C]; one-hot or soft
 * labels [N, C] pass through. An index equal to `ignore` becomes a row of
 * zeros (no label: it loses 0 and weighs 0). Call inside `tf.tidy`.
 * @internal
 */
export function toOneHot(labels: tf.Tensor, yPred: tf.Tensor, ignore?: number): tf.Tensor {
  const [N, C] = yPred.shape as [number, number];
  if (isSparse(labels, yPred)) {
    if (labels.shape[0] !== N) {
      throw new ShapeMismatchError('yTrue', `has ${labels.shape[0]} class indices (shape ${shapeOf(labels)}) but yPred has ${N} rows (shape ${shapeOf(yPred)}).`);
    }
    // tf.oneHot of −1 is a row of zeros (the fill takes the labels' dtype: wasm's where misreads mixed dtypes).
    const indices = ignore === undefined ? labels : tf.where(tf.equal(labels, ignore), tf.fill(labels.shape, -1, labels.dtype), labels);
    return tf.oneHot(tf.cast(tf.reshape(indices, [N]), 'int32'), C);
  }
  if (!tf.util.arraysEqual(labels.shape, yPred.shape)) {
    throw new ShapeMismatchError(
      'yTrue',
      `has shape ${shapeOf(labels)} but yPred has shape ${shapeOf(yPred)}; pass class indices [${N}] or one-hot labels [${N}, ${C}].`,
    );
  }
  return tf.cast(labels, 'float32');
}

/** Whether labels are class indices ([N] or [N, 1]; [N, ...] or [N, ..., 1] for [N, ..., C] predictions) rather than one-hot or soft rows. @internal */
export function isSparse(labels: tf.Tensor, yPred: tf.Tensor): boolean {
  const C = yPred.shape[yPred.rank - 1]!;
  return labels.rank === yPred.rank - 1 || (labels.rank === yPred.rank && labels.shape[labels.rank - 1] === 1 && C !== 1);
}

/**
 * Checks one-hot or soft label rows: values in [0, 1] and each row summing to 1. Reads them back.
 * @internal
 */
export function checkLabelRows(labels: tf.Tensor): void {
  const [N, C] = labels.shape as [number, number];
  const d = labels.dataSync();
  for (let n = 0; n < N; n++) {
    let sum = 0;
    for (let c = 0; c < C; c++) {
      const v = d[n * C + c]!;
      if (!(v >= 0 && v <= 1)) {
        throw new OutOfRangeError('yTrue', `value at row ${n}, column ${c} of shape [${N}, ${C}] is ${v}; one-hot and soft labels lie in [0, 1].`);
      }
      sum += v;
    }
    if (Math.abs(sum - 1) > 1e-4) {
      throw new OutOfRangeError(
        'yTrue',
        `row ${n} of shape [${N}, ${C}] sums to ${sum}; one-hot and soft labels are distributions that sum to 1 (or pass class indices [${N}]).`,
      );
    }
  }
}

/**
 * Checks the predictions of a softmax loss: [N, C] (or [N, ..., C], class axis last), N ≥ 1.
 * @internal
 */
export function checkSoftmaxPred(yPred: tf.Tensor): void {
  if (yPred.rank < 2 || yPred.size === 0) {
    throw new ShapeMismatchError('yPred', `must be a non-empty [N, C] matrix of scores (or [N, ..., C] with the class axis last), got shape ${shapeOf(yPred)}.`);
  }
}

/**
 * Checks sparse labels: whole numbers in [0, C), or the ignored index. Reads them back.
 * @internal
 */
export function checkSparseLabels(labels: tf.Tensor, C: number, ignoreIndex?: number): void {
  const data = labels.dataSync();
  const k = Array.prototype.findIndex.call(data, (v: number) => !((Number.isInteger(v) && v >= 0 && v < C) || v === ignoreIndex));
  if (k >= 0) {
    throw new OutOfRangeError(
      'yTrue',
      `class index ${k} is ${data[k]}; indices must be whole numbers in [0, ${C})${ignoreIndex === undefined ? '' : ` or the ignored index ${ignoreIndex}`}.`,
    );
  }
}

/**
 * The per-sample log-probabilities log p [N, C], stable for logits: PyTorch's
 * (x − max) − log Σ exp(x − max). The usual x − logSumExp(x) loses half an
 * ulp of max |x| (ln 2 came out 0.693359 at x = 1e4). A logit `shift` (the
 * logit adjustment) is added after centring, where it is not rounded away
 * next to large logits. Call inside `tf.tidy`.
 * @internal
 */
export function logProbabilities(yPred: tf.Tensor, from: PredictionKind, epsilon: number, shift?: tf.Tensor): tf.Tensor {
  if (from === 'logits') {
    let z = tf.sub(yPred, tf.max(yPred, 1, true));
    if (shift !== undefined) {
      z = tf.add(z, shift);
      z = tf.sub(z, tf.max(z, 1, true));
    }
    // log Σ exp(z) = log1p(the other terms): the max contributes exactly 1 (each tie 1 more), and a confident
    // row's small remainder would round away in a float32 sum next to it.
    const top = tf.sub(1, tf.sign(tf.neg(z))); // 1 at the max (z = 0), else 0; sign has a (zero) gradient, equal has none
    const rest = tf.add(tf.sum(tf.mul(tf.exp(z), tf.sub(1, top)), 1, true), tf.sub(tf.sum(top, 1, true), 1));
    return tf.sub(z, log1pAccurate(rest));
  }
  // A row of zeros would divide 0 by 0: its probabilities are clipped to ε instead of NaN.
  const p = tf.div(yPred, tf.maximum(tf.sum(yPred, 1, true), epsilon));
  return tf.log(tf.clipByValue(p, epsilon, 1 - epsilon));
}

/** The inputs of a softmax loss as rows, checked: see {@link softmaxRows}. @internal */
export interface SoftmaxRows {
  /** The predictions as rows [M, C]. */
  readonly x: tf.Tensor;
  /** One-hot (or soft) targets [M, C]; an ignored position's row is all 0. */
  readonly y: tf.Tensor;
  /** The class weights [C], if given. */
  readonly w: tf.Tensor | undefined;
  /** The shape of the positions, yPred's shape without its class axis: the shape of `'none'`. */
  readonly positions: number[];
  /** Whether the inputs were read back and checked. */
  readonly validate: boolean;
}

/**
 * Reads and checks the inputs of a softmax loss: predictions [N, C] or
 * [N, ..., C] (each position a row), class indices or one-hot labels, class
 * weights [C] and an ignored index, and (when `validate`) their values. Call
 * inside `tf.tidy`.
 * @internal
 */
export function softmaxRows(
  yTrue: TensorInput,
  yPred: TensorInput,
  from: PredictionKind,
  args: { readonly classWeights?: TensorInput | undefined; readonly ignoreIndex?: number | undefined; readonly validate?: boolean | undefined },
): SoftmaxRows {
  const labels = asTensor('yTrue', yTrue);
  const xIn = asTensor('yPred', yPred);
  checkSoftmaxPred(xIn);
  const C = xIn.shape[xIn.rank - 1]!;
  const w = args.classWeights === undefined ? undefined : asTensor('classWeights', args.classWeights);
  if (w !== undefined && (w.rank !== 1 || w.shape[0] !== C)) {
    throw new ShapeMismatchError('classWeights', `has shape ${shapeOf(w)} but needs one weight per class, [${C}], for yPred ${shapeOf(xIn)}.`);
  }
  const ignore = args.ignoreIndex;
  if (ignore !== undefined && !Number.isInteger(ignore)) throw new InvalidOptionError('args.ignoreIndex', `must be a whole class index (such as -100 or 255), got ${describe(ignore)}.`);
  const sparse = isSparse(labels, xIn);
  const positions = xIn.shape.slice(0, -1);
  if (ignore !== undefined && !sparse) {
    throw new ShapeMismatchError('yTrue', `holds one-hot rows (shape ${shapeOf(labels)}), but ignoreIndex applies to class indices; pass class indices [${positions.join(', ')}].`);
  }
  // [N, ..., C] predictions: each position is a row (class axis last, as Keras).
  if (xIn.rank > 2 && !tf.util.arraysEqual(sparse ? labels.shape.slice(0, positions.length) : labels.shape, sparse ? positions : xIn.shape)) {
    throw new ShapeMismatchError('yTrue', `has shape ${shapeOf(labels)} but yPred has shape ${shapeOf(xIn)}; pass class indices [${positions.join(', ')}] or one-hot labels ${shapeOf(xIn)}.`);
  }
  const x = asRows(xIn);
  const rows = sparse ? tf.reshape(labels, [-1]) : asRows(labels);
  const validate = args.validate ?? validateByDefault();
  if (validate) {
    if (sparse) checkSparseLabels(rows, C, ignore);
    else checkLabelRows(rows);
    checkValues([
      ...(sparse ? [] : ([['yTrue', rows, 0, 1]] as const)),
      ['yPred', x, from === 'logits' ? -Infinity : 0, from === 'logits' ? Infinity : 1],
      ...(w === undefined ? [] : ([['classWeights', w, 0, Infinity]] as const)),
    ]);
  }
  const y = toOneHot(rows, x, ignore);
  return { x, y, w, positions, validate };
}

/**
 * Softmax cross-entropy with per-class weights, for single-label models:
 * −Σ_c w_c·y_c·log p_c per sample, with sparse or one-hot labels, on logits
 * or probabilities, and both batch conventions (Keras/tfjs mean, or PyTorch's
 * mean over the weight sum).
 *
 * Defaults: logits (`from: 'logits'`), class weights of 1, the batch mean (Keras' convention; `'weighted-mean'` is PyTorch's).
 *
 * @param yTrue - Class indices [N] (or [N, 1]), or one-hot / soft labels [N, C]; for [N, ..., C] predictions, indices [N, ...] or one-hot [N, ..., C].
 * @param yPred - Logits (or probabilities with `from: 'probabilities'`), [N, C], or [N, ..., C] with the class axis last (each position a row, as Keras).
 * @param args - See {@link SoftmaxCrossEntropyArgs}.
 * @returns The loss, reduced as asked.
 *
 * @example PyTorch's cross_entropy(x, y, weight=w)
 * ```ts
 * softmaxCrossEntropy([0, 2, 1], logits, { classWeights: [0.5, 1, 2], reduction: 'weighted-mean' });
 * ```
 */
export function softmaxCrossEntropy(yTrue: TensorInput, yPred: TensorInput, args: SoftmaxCrossEntropyArgs = {}): tf.Tensor {
  checkOptionNames('args', args, CE_ARGS);
  const from = checkFrom('args.from', args.from ?? 'logits');
  const reduction = checkReduction('args.reduction', args.reduction ?? 'mean', ['none', 'mean', 'sum', 'weighted-mean'] as const);
  const epsilon = checkEpsilon('args.epsilon', args.epsilon);
  checkFloat32Backend(tf, 'the loss');
  return tf.tidy(() => {
    const { x, y, w, positions, validate } = softmaxRows(yTrue, yPred, from, args);
    const wy = w === undefined ? y : tf.mul(y, w);
    const perSample = tf.neg(tf.sum(tf.mul(wy, logProbabilities(x, from, epsilon)), 1));
    if (reduction === 'none') return tf.reshape(perSample, positions);
    if (reduction === 'mean' && args.ignoreIndex !== undefined) return tf.div(tf.sum(perSample), tf.maximum(tf.sum(y), 1)); // Keras' mean over labelled positions
    // PyTorch's mean divides by the summed class weights of the samples; the rest is the shared reduction.
    if (reduction !== 'weighted-mean') return reduce(perSample, reduction);
    const total = tf.sum(wy);
    // The 0/0 check reads the total back: only where the inputs are validated (never a blocking read on WebGL or WebGPU).
    if (validate && !(total.dataSync()[0]! > 0)) {
      throw new OutOfRangeError(
        'classWeights',
        "give every sample of this batch a weight of 0, so the weighted mean is 0/0 (PyTorch returns NaN). Use reduction: 'mean', or give the batch's classes a positive weight.",
      );
    }
    return tf.div(tf.sum(perSample), total);
  });
}
