import * as tf from '@tensorflow/tfjs-core';
import { InvalidOptionError } from '@tfjs-imbalance/weight-schemes';
import { checkOptionNames, checkRange, describe, checkFactoryCalled } from '@tfjs-imbalance/weight-schemes/internal';
import { binaryInputs } from './binary-cross-entropy.js';
import { asymmetricElements, asymmetricTensorRoute, fusedAsymmetricRows } from './fused.js';
import { asymmetricKernel, jsElements, jsRows } from './js-kernels.js';
import { REDUCTIONS, checkReduction, reduce, type Reduction } from './reduction.js';
import type { TensorInput } from './tensor-input.js';
import { WeightedLoss, type WeightedLossArgs } from './weighted-loss.js';

/** The parameters of the Asymmetric Loss. */
export interface AsymmetricParams {
  /** The focusing exponent of the negatives, γ− ≥ 0. Defaults to `4` (the official class). */
  readonly gammaNeg?: number;
  /** The focusing exponent of the positives, γ+ ≥ 0. Defaults to `1` (the official class). */
  readonly gammaPos?: number;
  /** The probability margin m in [0, 1) shifted off the negatives: p_m = min(1 − p + m, 1). Defaults to `0.05`. */
  readonly clip?: number;
  /** The floor of the probabilities inside the logs. Defaults to `1e-8`. */
  readonly eps?: number;
  /**
   * Whether the gradient holds the focusing weights (1 − p)^γ⁺ and q^γ⁻
   * constant, as the official `AsymmetricLoss` trains:
   * `disable_torch_grad_focal_loss=True` is its default and what its
   * `train.py` passes. `false` differentiates through them too, as releases
   * up to 0.1 did. The value is the same either way. Defaults to `true`.
   */
  readonly detachFocusing?: boolean;
}

/** Arguments of {@link sigmoidAsymmetricLoss}. */
export interface AsymmetricLossArgs extends AsymmetricParams {
  /** Weights that broadcast to [N, C] (per element, per sample [N, 1] or per class [C]). Defaults to no weighting. */
  readonly weights?: TensorInput;
  /** How the element-wise loss is reduced. Defaults to `'sum'`, the official reduction. */
  readonly reduction?: Reduction;
  /** Whether to read the inputs back and reject NaN, Infinity and labels outside [0, 1]. Defaults to `true`. */
  readonly validate?: boolean;
}

const PARAMS = ['gammaNeg', 'gammaPos', 'clip', 'eps', 'detachFocusing'] as const;

function checkBoolean(argument: string, v: unknown): boolean {
  if (typeof v !== 'boolean') throw new InvalidOptionError(argument, `must be true or false, got ${describe(v)}.`);
  return v;
}

/** Checks the ASL parameters and fills in the official defaults. @internal */
export function checkAsymmetricParams(argument: string, p: AsymmetricParams): Required<AsymmetricParams> {
  return {
    gammaNeg: checkRange(`${argument}.gammaNeg`, p.gammaNeg ?? 4, { min: 0, max: 20, hint: 'The official default is 4.' }),
    gammaPos: checkRange(`${argument}.gammaPos`, p.gammaPos ?? 1, { min: 0, max: 20, hint: 'The official default is 1.' }),
    clip: checkRange(`${argument}.clip`, p.clip ?? 0.05, { min: 0, max: 1, maxExclusive: true, hint: 'The official default is 0.05; 0 turns the margin off.' }),
    eps: checkRange(`${argument}.eps`, p.eps ?? 1e-8, { min: 0, max: 0.5, minExclusive: true, maxExclusive: true, hint: 'The official default is 1e-8.' }),
    detachFocusing: checkBoolean(`${argument}.detachFocusing`, p.detachFocusing ?? true),
  };
}

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
 * @param yTrue - Multi-hot targets in [0, 1], shape [N, C].
 * @param logits - Logits, shape [N, C] (ASL is defined on logits).
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
  checkOptionNames('args', args, [...PARAMS, 'weights', 'reduction', 'validate']);
  const params = checkAsymmetricParams('args', args);
  const reduction = checkReduction('args.reduction', args.reduction ?? 'sum', REDUCTIONS);
  return tf.tidy(() => {
    const { y, x, w } = binaryInputs(yTrue, logits, args.weights, 'logits', args.validate ?? true);
    const el = tf.getBackend() !== 'cpu' && asymmetricTensorRoute(params) ? asymmetricElements(y, x, params) : jsElements(x, y, asymmetricKernel(params));
    return reduce(w === undefined ? el : tf.mul(el, w), reduction);
  });
}

/**
 * Arguments of {@link AsymmetricLoss}: the ASL parameters and the weighting
 * arguments every loss class takes, except that `scheme` defaults to
 * `'none'` and `combine` to `'mean'`, so every sample weighs 1 unless asked.
 */
export interface AsymmetricLossClassArgs extends WeightedLossArgs, AsymmetricParams {}

/**
 * The Asymmetric Loss for `model.compile({ loss })`. Each sample's loss is
 * the sum of its element losses (the official reduction, per sample), times
 * the sample's weight from `yTrue` (uniform unless a scheme or class weights
 * are given); tfjs averages it over the batch. Logits only.
 *
 * @example
 * ```ts
 * const loss = asymmetricLoss({ numClasses: 29 });
 * model.compile({ optimizer: 'adam', loss });
 * ```
 */
export class AsymmetricLoss extends WeightedLoss {
  /** The name under which the class is registered with `tf.serialization`. */
  static readonly className = 'AsymmetricLoss';
  /** γ−, γ+, the margin and ε. */
  declare readonly params: Required<AsymmetricParams>;

  /**
   * @param args - See {@link AsymmetricLossClassArgs}.
   */
  constructor(args: AsymmetricLossClassArgs) {
    checkFactoryCalled('asymmetricLoss', args, 'model.compile({ loss: asymmetricLoss({ numClasses }) })');
    if (args === null || typeof args !== 'object') throw new InvalidOptionError('args', `must be an object such as { numClasses: 29 }, got ${describe(args)}.`);
    const params = checkAsymmetricParams('args', args);
    if ((args.from ?? 'logits') !== 'logits') {
      throw new InvalidOptionError('args.from', "must be 'logits': the Asymmetric Loss is defined on logits. Drop the output activation.");
    }
    super({ ...args, scheme: args.scheme ?? 'none', combine: args.combine ?? 'mean' }, 'asymmetric_loss', PARAMS);
    Object.defineProperty(this, 'params', { value: params, writable: true });
  }

  protected override weightedPerSample(
    yTrue: tf.Tensor,
    yPred: tf.Tensor,
    weights: () => { positives: tf.Tensor; sw: tf.Tensor },
  ): tf.Tensor {
    const prepare = () => ({ y: this.smoothed(yTrue), scale: weights().sw });
    // On cpu the data is already in JS and one pass beats ~45 kernels; elsewhere (wasm, WebGL) the kernels win.
    if (tf.getBackend() !== 'cpu' && asymmetricTensorRoute(this.params)) {
      // Labels checked this call and all 0 or 1 (and not smoothed): one log per element instead of two.
      return fusedAsymmetricRows(yPred, prepare, this.params, this.binaryBatch && this.labelSmoothing === 0);
    }
    return jsRows(yPred, prepare, asymmetricKernel(this.params));
  }

  /**
   * Rebuilds a loss from {@link WeightedLoss.getConfig}'s `config`.
   *
   * @param _cls - Unused (the `tf.serialization` signature).
   * @param config - The config.
   * @returns A new loss.
   */
  static fromConfig(_cls: unknown, config: AsymmetricLossClassArgs): AsymmetricLoss {
    return new AsymmetricLoss(config);
  }
}

/**
 * Creates an {@link AsymmetricLoss} for `model.compile`.
 *
 * @param args - See {@link AsymmetricLossClassArgs}.
 * @returns The loss, a function `model.compile` takes as it is.
 *
 * @example
 * ```ts
 * const loss = asymmetricLoss({ numClasses: 29, gammaNeg: 4, gammaPos: 0, clip: 0.05 });
 * ```
 */
export function asymmetricLoss(args: AsymmetricLossClassArgs): AsymmetricLoss {
  return new AsymmetricLoss(args);
}
