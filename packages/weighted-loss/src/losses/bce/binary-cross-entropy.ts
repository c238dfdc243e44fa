import * as tf from '@tensorflow/tfjs-core';
import { asTensor, binaryInputs, checkEpsilon, checkFrom, checkOptionNames, checkReduction, optionNames, type PredictionKind, reduce, type Reduction, REDUCTIONS, type TensorInput } from '../kit.js';
import { posWeightRows } from '../../core/binary-inputs.js';
import { focalElements } from '../focal/terms.js';
import { validateByDefault } from '../../core/tensor-input.js';

/** Arguments of {@link binaryCrossEntropy}. */
export interface BinaryCrossEntropyArgs {
  /** What `yPred` holds. Defaults to `'logits'` (stable for any finite logit). */
  readonly from?: PredictionKind;
  /**
   * PyTorch's `weight`: anything that broadcasts to [N, C] without changing
   * it: per element [N, C], per sample [N, 1], or per class [C]. Defaults to no weighting.
   */
  readonly weights?: TensorInput;
  /**
   * PyTorch's `pos_weight`: the multiplier of the positive term, per class
   * [C] (or [1, C]), or anything that broadcasts to the predictions' shape
   * along the class axis ([N, C], [N, T, C]…), as PyTorch broadcasts it.
   * Defaults to 1 for every class.
   */
  readonly posWeight?: TensorInput;
  /** How the element-wise loss is reduced. Defaults to `'mean'`, as PyTorch. */
  readonly reduction?: Reduction;
  /** The clip of probabilities, with `from: 'probabilities'`, as tfjs-layers does. Defaults to `1e-7`. */
  readonly epsilon?: number;
  /** Whether to read the inputs back and reject NaN, Infinity and labels outside [0, 1]. Defaults to `true`, but `false` on WebGL and WebGPU, where the read would block (stall WebGL, lose the WebGPU device): pass `true` to check there anyway. */
  readonly validate?: boolean;
}

const BCE_ARGS = optionNames<BinaryCrossEntropyArgs>()('from', 'weights', 'posWeight', 'reduction', 'epsilon', 'validate');

/**
 * Weighted binary cross-entropy, with PyTorch's `weight` and `pos_weight`
 * (`F.binary_cross_entropy_with_logits`): for each element,
 * −w·[p·y·log σ(x) + (1−y)·log(1−σ(x))]. Stable in float32 for any finite
 * logit (no NaN or Infinity in values or gradients). Every intermediate
 * tensor is disposed.
 *
 * Defaults: `yPred` holds logits (`from: 'logits'`), no weights, no `pos_weight`, reduced by the mean.
 *
 * @param yTrue - Targets in [0, 1] (multi-hot or soft), shape [N, C], or [N, ..., C] with the class axis last (each position a row, as Keras).
 * @param yPred - Logits (or probabilities with `from: 'probabilities'`), shape [N, C], or [N, ..., C] with the class axis last (each position a row, as Keras).
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
  const epsilon = checkEpsilon('args.epsilon', args.epsilon);
  return tf.tidy(() => {
    const pw = args.posWeight === undefined ? undefined : asTensor('posWeight', args.posWeight);
    const { y, x, w, shape } = binaryInputs(yTrue, yPred, args.weights, from, args.validate ?? validateByDefault(), pw === undefined ? [] : [['posWeight', pw, 0, Infinity]]);
    const pwRows = pw === undefined ? undefined : posWeightRows(pw, shape);
    // BCE is the focal loss with γ = 0 and no α: one place holds both losses' math.
    const el = focalElements(y, x, from, { gamma: 0, alpha: -1, epsilon, ...(pwRows === undefined ? {} : { posWeight: { tensor: pwRows } }) });
    return reduce(w === undefined ? el : tf.mul(el, w), reduction, shape);
  });
}
