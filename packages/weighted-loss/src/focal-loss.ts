import * as tf from '@tensorflow/tfjs-core';
import { checkOptionNames, checkRange } from '@tfjs-imbalance/weight-schemes/internal';
import { binaryInputs, checkFrom, elementwiseBce, type PredictionKind } from './binary-cross-entropy.js';
import { focalElements } from './fused.js';
import { REDUCTIONS, checkReduction, reduce, type Reduction } from './reduction.js';
import type { TensorInput } from './tensor-input.js';

/** Reductions of the focal loss: the usual ones, plus the class-balanced loss's sum over the number of positive labels. */
export type FocalReduction = Reduction | 'sum-over-positives';

/** Arguments of {@link sigmoidFocalLoss}. */
export interface SigmoidFocalLossArgs {
  /** What `yPred` holds. Defaults to `'logits'`. */
  readonly from?: PredictionKind;
  /** The focusing parameter γ ≥ 0; 0 gives plain BCE. Defaults to `2`. */
  readonly gamma?: number;
  /** torchvision's α balancing of positives (α) against negatives (1 − α), in [0, 1]; any α < 0 turns it off. Defaults to `-1` (off). */
  readonly alpha?: number;
  /** Weights that broadcast to [N, C] (per element, per sample [N, 1] or per class [C]). Defaults to no weighting. */
  readonly weights?: TensorInput;
  /**
   * How the element-wise loss is reduced. `'sum-over-positives'` divides the
   * sum by the number of positive labels (at least 1), as the class-balanced
   * loss of Cui et al. does. Defaults to `'mean'`.
   */
  readonly reduction?: FocalReduction;
  /** The clip of probabilities, with `from: 'probabilities'`. Defaults to `1e-7`. */
  readonly epsilon?: number;
  /** Whether to read the inputs back and reject NaN, Infinity and labels outside [0, 1]. Defaults to `true`. */
  readonly validate?: boolean;
}

const FOCAL_ARGS = ['from', 'gamma', 'alpha', 'weights', 'reduction', 'epsilon', 'validate'] as const;

/**
 * Checks γ and α of a focal loss.
 * @internal
 */
export function checkFocalParams(argument: string, gamma: unknown, alpha: unknown): { gamma: number; alpha: number } {
  const g = checkRange(`${argument}.gamma`, gamma, { min: 0, max: 20, hint: 'Typical values are 0.5 to 5.' });
  const a = checkRange(`${argument}.alpha`, alpha, { max: 1, hint: 'Use α in [0, 1], or any α < 0 to turn α balancing off.' });
  return { gamma: g, alpha: a };
}

/**
 * The element-wise focal loss, torchvision's (1 − p_t)^γ times BCE (times
 * α_t), for targets anywhere in [0, 1]. On logits it is one custom op with a
 * closed-form gradient (see `focalElements`); on probabilities p_t is read
 * from the clipped p. Call inside `tf.tidy`.
 * @internal
 */
export function elementwiseFocal(
  yTrue: tf.Tensor,
  yPred: tf.Tensor,
  from: PredictionKind,
  gamma: number,
  alpha: number,
  epsilon: number,
  posWeight?: tf.Tensor,
): tf.Tensor {
  if (from === 'logits') return focalElements(yTrue, yPred, gamma, alpha, posWeight);
  let loss = elementwiseBce(yTrue, yPred, from, posWeight, epsilon);
  if (gamma !== 0) {
    const p = tf.clipByValue(yPred, epsilon, 1 - epsilon);
    const pt = tf.add(tf.mul(p, yTrue), tf.mul(tf.sub(1, p), tf.sub(1, yTrue)));
    loss = tf.mul(loss, tf.exp(tf.mul(gamma, tf.log(tf.clipByValue(tf.sub(1, pt), epsilon, 1)))));
  }
  if (alpha >= 0) {
    loss = tf.mul(loss, tf.add(tf.mul(alpha, yTrue), tf.mul(1 - alpha, tf.sub(1, yTrue))));
  }
  return loss;
}

/**
 * The sigmoid focal loss of Lin et al. with torchvision's meaning of α,
 * optionally weighted. With class weights and `reduction:
 * 'sum-over-positives'` it is the class-balanced focal loss of Cui et al.
 * (CVPR 2019).
 *
 * Defaults: logits (`from: 'logits'`), γ = 2, no α balancing (α = −1), reduced by the mean.
 *
 * @param yTrue - Targets in [0, 1], shape [N, C].
 * @param yPred - Logits (or probabilities with `from: 'probabilities'`), shape [N, C].
 * @param args - See {@link SigmoidFocalLossArgs}.
 * @returns The loss, reduced as asked.
 *
 * @example torchvision's default
 * ```ts
 * sigmoidFocalLoss(y, logits, { gamma: 2, alpha: 0.25, reduction: 'none' });
 * ```
 *
 * @example The class-balanced focal loss
 * ```ts
 * const w = sampleWeightMatrix(labels, classWeights(counts, { name: 'ens', beta: 0.999 }), { emptyRowWeight: 0 });
 * sigmoidFocalLoss(y, logits, { gamma: 2, weights: w, reduction: 'sum-over-positives' });
 * ```
 */
export function sigmoidFocalLoss(yTrue: TensorInput, yPred: TensorInput, args: SigmoidFocalLossArgs = {}): tf.Tensor {
  checkOptionNames('args', args, FOCAL_ARGS);
  const from = checkFrom('args.from', args.from ?? 'logits');
  const { gamma, alpha } = checkFocalParams('args', args.gamma ?? 2, args.alpha ?? -1);
  const reduction = checkReduction('args.reduction', args.reduction ?? 'mean', [...REDUCTIONS, 'sum-over-positives'] as const);
  const epsilon = checkRange('args.epsilon', args.epsilon ?? 1e-7, { min: 0, minExclusive: true, max: 0.5, maxExclusive: true, hint: 'log(0) is −∞; the default is 1e-7.' });
  return tf.tidy(() => {
    const { y, x, w } = binaryInputs(yTrue, yPred, args.weights, from, args.validate ?? true);
    const el = elementwiseFocal(y, x, from, gamma, alpha, epsilon);
    const weighted = w === undefined ? el : tf.mul(el, w);
    if (reduction === 'sum-over-positives') return tf.div(tf.sum(weighted), tf.maximum(tf.sum(y), 1));
    return reduce(weighted, reduction);
  });
}
