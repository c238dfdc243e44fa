import * as tf from '@tensorflow/tfjs-core';
import { InvalidOptionError } from '@tfjs-imbalance/weight-schemes';
import { binaryInputs, checkOptionNames, checkReduction, describe, lossOp, optionNames, reduce, type Reduction, REDUCTIONS, type TensorInput } from '../kit.js';
import { ASYMMETRIC_PARAMS, checkAsymmetricParams, type AsymmetricParams } from './params.js';
import { asymmetricMath } from './terms.js';
import { validateByDefault } from '../../core/tensor-input.js';

/** Arguments of {@link sigmoidAsymmetricLoss}. */
export interface AsymmetricLossArgs extends AsymmetricParams {
  /** Weights that broadcast to the predictions (per element, per sample [N, 1] (or [N, 1, ..., 1]) or per class [C]). Defaults to no weighting. */
  readonly weights?: TensorInput;
  /** How the element-wise loss is reduced. Defaults to `'sum'`, the official reduction. */
  readonly reduction?: Reduction;
  /** Whether to read the inputs back and reject NaN, Infinity and labels outside [0, 1]. Defaults to `true`, but `false` on WebGL and WebGPU, where the read would block (stall WebGL, lose the WebGPU device): pass `true` to check there anyway. */
  readonly validate?: boolean;
}

const ASL_ARGS = optionNames<AsymmetricLossArgs>()(...ASYMMETRIC_PARAMS, 'weights', 'reduction', 'validate');

/**
 * The Asymmetric Loss of Ridnik et al. (ICCV 2021), as the official
 * `AsymmetricLoss` class computes and trains it: positives focused by
 * (1 − p)^γ⁺, negatives shifted by the margin `clip` (easy negatives below it
 * cost nothing) and focused by p_m^γ⁻, so the many easy negatives of a
 * multi-label problem stop dominating. With s = σ(x):
 *
 *   positives: L⁺ = −log(max(s, ε))·(1 − s)^γ⁺
 *   negatives: p_m = min(σ(−x) + m, 1), q = 1 − p_m = max(s − m, 0),
 *              L⁻ = −log(max(p_m, ε))·q^γ⁻   (0, and no gradient, where q = 0)
 *   L = y·L⁺ + (1 − y)·L⁻
 *
 * The gradient holds the focusing weights constant, as the official class
 * trains by default (`detachFocusing`, default `true`):
 *
 *   ∂L⁺/∂x = −(1 − s)^γ⁺·(1 − s)·[s > ε]
 *   ∂L⁻/∂x = s(1 − s)·q^γ⁻·[p_m > ε]·[q > 0]/p_m
 *
 * With `detachFocusing: false` it also differentiates through them, adding
 * (1 − s)^γ⁺·γ⁺·s·log(max(s, ε)) to ∂L⁺/∂x and
 * −s(1 − s)·γ⁻·log(max(p_m, ε))·q^γ⁻/q to ∂L⁻/∂x.
 *
 * Forward and backward run in one pass over the batch, in closed form, with
 * the stable forms log σ(x) = −log1p(e^−|x|) (+ x for x < 0). Binary labels
 * give the official values exactly. A soft label blends the two terms
 * linearly, y·L⁺ + (1 − y)·L⁻, each with its own focusing weight. The
 * official code instead weighs the blended log by one weight,
 * (1 − p_t)^(γ⁺y + γ⁻(1 − y)) with p_t = y·s + (1 − y)·p_m. The two agree
 * on 0/1 labels; we keep the blend, which is linear in y as label smoothing
 * expects.
 *
 * @param yTrue - Multi-hot targets in [0, 1], shape [N, C], or [N, ..., C] with the class axis last (each position a row, as Keras).
 * @param logits - Logits, shape [N, C] or [N, ..., C] (ASL is defined on logits).
 * @param args - See {@link AsymmetricLossArgs}.
 * @returns The loss, reduced as asked (the official reduction, a sum, by default).
 *
 * @example The official defaults (γ− 4, γ+ 1, clip 0.05)
 * ```ts
 * sigmoidAsymmetricLoss([[1, 0, 0]], [[2.1, -0.3, 1.4]]); // a scalar: the sum over every element
 * ```
 */
export function sigmoidAsymmetricLoss(yTrue: TensorInput, logits: TensorInput, args: AsymmetricLossArgs = {}): tf.Tensor {
  if (args === null || typeof args !== 'object') throw new InvalidOptionError('args', `must be an object, got ${describe(args)}.`);
  checkOptionNames('args', args, ASL_ARGS);
  const params = checkAsymmetricParams('args', args);
  const reduction = checkReduction('args.reduction', args.reduction ?? 'sum', REDUCTIONS);
  return tf.tidy(() => {
    const { y, x, w, shape } = binaryInputs(yTrue, logits, args.weights, 'logits', args.validate ?? validateByDefault());
    const el = lossOp(x, () => ({ y }), asymmetricMath(params));
    return reduce(w === undefined ? el : tf.mul(el, w), reduction, shape);
  });
}
