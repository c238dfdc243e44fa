import * as tf from '@tensorflow/tfjs-core';
import { InvalidOptionError, ShapeMismatchError } from '@tfjs-imbalance/weight-schemes';
import { binaryInputs, checkOptionNames, checkReduction, describe, lossOp, optionNames, reduce, type Reduction, REDUCTIONS, type TensorInput } from '../kit.js';
import { DISTRIBUTION_BALANCED_PARAMS, checkDbParams, dbPriors, type DistributionBalancedParams, type DistributionCounts } from './params.js';
import { distributionBalancedMath } from './terms.js';
import { validateByDefault } from '../../core/tensor-input.js';

/** Arguments of {@link sigmoidDistributionBalancedLoss}. */
export interface DistributionBalancedLossArgs extends DistributionBalancedParams, DistributionCounts {
  /** Weights that broadcast to the predictions (per element, per sample [N, 1] (or [N, 1, ..., 1]) or per class [C]). Defaults to no weighting. */
  readonly weights?: TensorInput;
  /** How the element-wise loss is reduced. Defaults to `'mean'`, as the official code. */
  readonly reduction?: Reduction;
  /** Whether to read the inputs back and reject NaN, Infinity and labels outside [0, 1]. Defaults to `true`, but `false` on WebGL and WebGPU, where the read would block (stall WebGL, lose the WebGPU device): pass `true` to check there anyway. */
  readonly validate?: boolean;
}

const DB_ARGS = optionNames<DistributionBalancedLossArgs>()(...DISTRIBUTION_BALANCED_PARAMS, 'counts', 'classCounts', 'trainNum', 'emptyClass', 'weights', 'reduction', 'validate');

/**
 * The Distribution-Balanced loss of Wu et al. (ECCV 2020) for multi-label
 * long-tailed data: each (sample, class) cell is re-weighted by how much more
 * often the sample is drawn through its other labels than through this one
 * (r = (1/n_c) / Σ_j y_j/n_j, smoothed to α + σ(β·(r − μ))), and the
 * negative-tolerant regularisation adds the bias −κ·log(N/n_c − 1) and scales
 * negatives' logits by λ (their weights by 1/λ), so the many negatives of a
 * rare class stop pushing it down. With `focal` (the default) it is the
 * "DB-focal" of the paper.
 *
 * The official code also divides κ by λ in the bias; its authors called that
 * a bug, so it is not done here (the reference vectors follow the fix).
 * With w = α + σ(β·(r − μ)) (1 + α for a row with no label), z = x + b,
 * m = λ·(1 − y) + y, z' = m·z and w' = w·((1 − y)/λ + y):
 *
 *   ℓ = BCEwithLogits(z', y) = max(z', 0) − z'·y + log1p(exp(−|z'|)),
 *   L = w'·ℓ, or balance·w'·(1 − p_t)^γ·ℓ with p_t = exp(−ℓ) when focal;
 *   ∂L/∂x = m·w'·(σ(z') − y)·[1, or balance·((1 − p_t)^γ + γ·(1 − p_t)^γ·p_t·ℓ/(1 − p_t))]
 *
 * 1 − p_t is −expm1(−ℓ), exact for small ℓ. Forward and backward run in one
 * pass over the batch, in closed form.
 *
 * @param yTrue - Multi-hot targets in [0, 1], shape [N, C], or [N, ..., C] with the class axis last (each position a row, as Keras).
 * @param logits - Logits, shape [N, C], or [N, ..., C] with the class axis last (each position a row, as Keras).
 * @param args - The class counts and N, and see {@link DistributionBalancedLossArgs}.
 * @returns The loss, reduced as asked (the mean by default).
 *
 * @example The official COCO-MLT configuration
 * ```ts
 * sigmoidDistributionBalancedLoss([[1, 0, 1]], [[0.3, -1.2, 2.0]], { counts: [4000, 300, 80], trainNum: 8000 });
 * ```
 */
export function sigmoidDistributionBalancedLoss(yTrue: TensorInput, logits: TensorInput, args: DistributionBalancedLossArgs): tf.Tensor {
  if (args === null || typeof args !== 'object') {
    throw new InvalidOptionError('args', `must be an object such as { counts }, got ${describe(args)}.`);
  }
  checkOptionNames('args', args, DB_ARGS);
  const params = checkDbParams('args', args);
  const { inverse, bias } = dbPriors('args', args, params.kappa);
  const reduction = checkReduction('args.reduction', args.reduction ?? 'mean', REDUCTIONS);
  return tf.tidy(() => {
    const { y, x, w, shape } = binaryInputs(yTrue, logits, args.weights, 'logits', args.validate ?? validateByDefault());
    const C = x.shape[x.rank - 1]!;
    if (C !== inverse.length) {
      throw new ShapeMismatchError(
        `args.${args.counts === undefined && args.classCounts !== undefined ? 'classCounts' : 'counts'}`,
        `has ${inverse.length} counts (shape [${inverse.length}]) but the logits have ${C} classes (shape [${x.shape.join(', ')}]); pass one count per class.`,
      );
    }
    const el = lossOp(x, () => ({ y }), distributionBalancedMath(params, { inverse, bias, tensors: () => ({ inverse: tf.tensor1d(inverse), bias: tf.tensor1d(bias) }) }));
    return reduce(w === undefined ? el : tf.mul(el, w), reduction, shape);
  });
}
