import * as tf from '@tensorflow/tfjs-core';
import { binaryInputs, checkEpsilon, checkFrom, checkOptionNames, checkReduction, optionNames, type PredictionKind, reduce, type Reduction, REDUCTIONS, type TensorInput } from '../kit.js';
import { FOCAL_PARAMS, checkFocalParams, type FocalParams } from './params.js';
import { focalElements } from './terms.js';
import { validateByDefault } from '../../core/tensor-input.js';

/** Reductions of the focal loss: the usual ones, plus the class-balanced loss's sum over the number of positive labels. */
export type FocalReduction = Reduction | 'sum-over-positives';

/** Arguments of {@link sigmoidFocalLoss}. */
export interface SigmoidFocalLossArgs extends FocalParams {
  /** What `yPred` holds. Defaults to `'logits'`. */
  readonly from?: PredictionKind;
  /** Weights that broadcast to the predictions (per element, per sample [N, 1] (or [N, 1, ..., 1]) or per class [C]). Defaults to no weighting. */
  readonly weights?: TensorInput;
  /**
   * How the element-wise loss is reduced. `'sum-over-positives'` divides the
   * sum by the number of positive labels (at least 1), as the class-balanced
   * loss of Cui et al. does. Defaults to `'mean'`.
   */
  readonly reduction?: FocalReduction;
  /** The clip of probabilities, with `from: 'probabilities'`. Defaults to `1e-7`. */
  readonly epsilon?: number;
  /** Whether to read the inputs back and reject NaN, Infinity and labels outside [0, 1]. Defaults to `true`, but `false` on WebGL and WebGPU, where the read would block (stall WebGL, lose the WebGPU device): pass `true` to check there anyway. */
  readonly validate?: boolean;
}

const FOCAL_ARGS = optionNames<SigmoidFocalLossArgs>()(...FOCAL_PARAMS, 'from', 'weights', 'reduction', 'epsilon', 'validate');

/**
 * The sigmoid focal loss of Lin et al. with torchvision's meaning of α,
 * optionally weighted. With class weights and `reduction:
 * 'sum-over-positives'` it is the class-balanced focal loss of Cui et al.
 * (CVPR 2019).
 *
 * Defaults: logits (`from: 'logits'`), γ = 2, no α balancing (α = −1), reduced by the mean.
 *
 * @param yTrue - Targets in [0, 1], shape [N, C], or [N, ..., C] with the class axis last (each position a row, as Keras).
 * @param yPred - Logits (or probabilities with `from: 'probabilities'`), shape [N, C], or [N, ..., C] with the class axis last (each position a row, as Keras).
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
  const { gamma, alpha } = checkFocalParams('args', args);
  const reduction = checkReduction('args.reduction', args.reduction ?? 'mean', [...REDUCTIONS, 'sum-over-positives'] as const);
  const epsilon = checkEpsilon('args.epsilon', args.epsilon);
  return tf.tidy(() => {
    const { y, x, w, shape } = binaryInputs(yTrue, yPred, args.weights, from, args.validate ?? validateByDefault());
    const el = focalElements(y, x, from, { gamma, alpha, epsilon });
    const weighted = w === undefined ? el : tf.mul(el, w);
    if (reduction === 'sum-over-positives') return tf.div(tf.sum(weighted), tf.maximum(tf.sum(y), 1));
    return reduce(weighted, reduction, shape);
  });
}
