import * as tf from '@tensorflow/tfjs-core';
import { focalElements } from './fused.js';
import { InvalidOptionError, ShapeMismatchError } from '@tfjs-imbalance/weight-schemes';
import { checkOptionNames, checkRange, describe, checkFloat32Backend } from '@tfjs-imbalance/weight-schemes/internal';
import { REDUCTIONS, checkReduction, reduce, type Reduction } from './reduction.js';
import { asTensor, checkBroadcastsTo, checkSameShape, checkValues, shapeOf, type TensorInput } from './tensor-input.js';

/** What the predictions are: logits (before the sigmoid) or probabilities. */
export type PredictionKind = 'logits' | 'probabilities';

/** Arguments of {@link binaryCrossEntropy}. */
export interface BinaryCrossEntropyArgs {
  /** What `yPred` holds. Defaults to `'logits'` (stable for any finite logit). */
  readonly from?: PredictionKind;
  /**
   * PyTorch's `weight`: anything that broadcasts to [N, C] without changing
   * it: per element [N, C], per sample [N, 1], or per class [C]. Defaults to no weighting.
   */
  readonly weights?: TensorInput;
  /** PyTorch's `pos_weight`: one multiplier per class [C] for the positive term. Defaults to 1 for every class. */
  readonly posWeight?: TensorInput;
  /** How the element-wise loss is reduced. Defaults to `'mean'`, as PyTorch. */
  readonly reduction?: Reduction;
  /** The clip of probabilities, with `from: 'probabilities'`, as tfjs-layers does. Defaults to `1e-7`. */
  readonly epsilon?: number;
  /** Whether to read the inputs back and reject NaN, Infinity and labels outside [0, 1]. Defaults to `true`. */
  readonly validate?: boolean;
}

const BCE_ARGS = ['from', 'weights', 'posWeight', 'reduction', 'epsilon', 'validate'] as const;

/**
 * Checks `from`.
 * @internal
 */
export function checkFrom(argument: string, from: unknown): PredictionKind {
  if (from !== 'logits' && from !== 'probabilities') {
    throw new InvalidOptionError(argument, `must be 'logits' or 'probabilities', got ${describe(from)}.`);
  }
  return from;
}

/**
 * The element-wise binary cross-entropy with a per-class `posWeight`, without
 * weights. Call inside `tf.tidy`. On logits it uses the stable form
 * (1−y)·x + (1+(p−1)·y)·softplus(−x), finite for any finite logit.
 * @internal
 */
export function elementwiseBce(
  yTrue: tf.Tensor,
  yPred: tf.Tensor,
  from: PredictionKind,
  posWeight: tf.Tensor | undefined,
  epsilon: number,
): tf.Tensor {
  // One custom op with the closed-form gradient c·σ(x) − p·y, as PyTorch's (autodiff of the stable form differs at x = 0):
  // the focal terms with γ = 0 and no α are exactly BCE.
  if (from === 'logits') return focalElements(yTrue, yPred, 0, -1, posWeight);
  const p = tf.clipByValue(yPred, epsilon, 1 - epsilon);
  const pos = tf.mul(yTrue, tf.log(p));
  const neg = tf.mul(tf.sub(1, yTrue), tf.log(tf.sub(1, p)));
  return tf.neg(tf.add(posWeight === undefined ? pos : tf.mul(posWeight, pos), neg));
}

/**
 * Reads and checks the inputs of an element-wise binary loss: same shapes,
 * broadcastable weights, and (when `validate`) finite values in range. Call
 * inside `tf.tidy`.
 * @internal
 */
export function binaryInputs(
  yTrue: TensorInput,
  yPred: TensorInput,
  weights: TensorInput | undefined,
  from: PredictionKind,
  validate: boolean,
  extra: ReadonlyArray<readonly [string, tf.Tensor, number, number]> = [],
): { y: tf.Tensor; x: tf.Tensor; w: tf.Tensor | undefined } {
  checkFloat32Backend(tf, 'the loss');
  const t = asTensor('yTrue', yTrue);
  const x = asTensor('yPred', yPred);
  checkSameShape(t, x);
  const w = weights === undefined ? undefined : asTensor('weights', weights);
  if (w !== undefined) checkBroadcastsTo('weights', w, x);
  if (validate) {
    checkValues([
      ['yTrue', t, 0, 1],
      ['yPred', x, from === 'logits' ? -Infinity : 0, from === 'logits' ? Infinity : 1],
      ...(w === undefined ? [] : ([['weights', w, 0, Infinity]] as const)),
      ...extra,
    ]);
  }
  // Integer logits would make every op integer arithmetic (truncated values): compute in float32.
  return { y: tf.cast(t, 'float32'), x: x.dtype === 'float32' ? x : tf.cast(x, 'float32'), w };
}

/**
 * Checks a `posWeight` tensor against the class axis.
 * @internal
 */
export function checkPosWeight(pw: tf.Tensor, yPred: tf.Tensor): void {
  const C = yPred.shape[yPred.rank - 1];
  if (pw.rank !== 1 || pw.shape[0] !== C) {
    throw new ShapeMismatchError(
      'posWeight',
      `has shape ${shapeOf(pw)} but needs one value per class, [${C}], for predictions of shape ${shapeOf(yPred)}.`,
    );
  }
}

/**
 * Weighted binary cross-entropy, with PyTorch's `weight` and `pos_weight`
 * (`F.binary_cross_entropy_with_logits`): for each element,
 * −w·[p·y·log σ(x) + (1−y)·log(1−σ(x))]. Stable in float32 for any finite
 * logit (no NaN or Infinity in values or gradients). Every intermediate
 * tensor is disposed.
 *
 * Defaults: `yPred` holds logits (`from: 'logits'`), no weights, no `pos_weight`, reduced by the mean.
 *
 * @param yTrue - Targets in [0, 1] (multi-hot or soft), shape [N, C].
 * @param yPred - Logits (or probabilities with `from: 'probabilities'`), shape [N, C].
 * @param args - See {@link BinaryCrossEntropyArgs}.
 * @returns The loss, reduced as asked.
 *
 * @example The reference recipe: per-sample weights from class weights, on logits
 * ```ts
 * const w = sampleWeights(labels, classWeights(countMultiHot(labels), 'ins'), { emptyRowWeight: 0 });
 * const loss = binaryCrossEntropy(tf.tensor2d(labels), logits, { weights: tf.tensor2d(w, [w.length, 1]) });
 * ```
 *
 * @example Gradients
 * ```ts
 * const grad = tf.grad((x: tf.Tensor) => binaryCrossEntropy(y, x, { posWeight: [3, 1] }))(logits);
 * ```
 */
export function binaryCrossEntropy(yTrue: TensorInput, yPred: TensorInput, args: BinaryCrossEntropyArgs = {}): tf.Tensor {
  checkOptionNames('args', args, BCE_ARGS);
  const from = checkFrom('args.from', args.from ?? 'logits');
  const reduction = checkReduction('args.reduction', args.reduction ?? 'mean', REDUCTIONS);
  const epsilon = checkRange('args.epsilon', args.epsilon ?? 1e-7, { min: 0, minExclusive: true, max: 0.5, maxExclusive: true, hint: 'log(0) is −∞; the default is 1e-7.' });
  return tf.tidy(() => {
    const pw = args.posWeight === undefined ? undefined : asTensor('posWeight', args.posWeight);
    const { y, x, w } = binaryInputs(yTrue, yPred, args.weights, from, args.validate ?? true, pw === undefined ? [] : [['posWeight', pw, 0, Infinity]]);
    if (pw !== undefined) checkPosWeight(pw, x);
    const el = elementwiseBce(y, x, from, pw, epsilon);
    return reduce(w === undefined ? el : tf.mul(el, w), reduction);
  });
}
