import { checkConstraint, checkRange, optionNames, renamedOption } from '../kit.js';

/** The parameters of the Asymmetric Loss. */
export interface AsymmetricParams {
  /** The focusing exponent of the negatives, γ− ≥ 0. Defaults to `4` (the official class). */
  readonly gammaNeg?: number;
  /** The focusing exponent of the positives, γ+ ≥ 0. Defaults to `1` (the official class). */
  readonly gammaPos?: number;
  /** The probability margin m in [0, 1) shifted off the negatives: p_m = min(1 − p + m, 1). Defaults to `0.05`. */
  readonly clip?: number;
  /** The floor ε of the probabilities inside the logs (the official `eps`). Defaults to `1e-8`. */
  readonly epsilon?: number;
  /**
   * The former name of `epsilon` (the official code's name).
   * @deprecated Use `epsilon`, the name every loss uses. Removed in 0.3.
   */
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

/** The Asymmetric Loss's parameters with every default filled in (`AsymmetricLoss.params`). */
export type ResolvedAsymmetricParams = Required<Omit<AsymmetricParams, 'eps'>>;

/** The option names of {@link AsymmetricParams}. @internal */
export const ASYMMETRIC_PARAMS = optionNames<AsymmetricParams>()('gammaNeg', 'gammaPos', 'clip', 'epsilon', 'eps', 'detachFocusing');

function checkBoolean(argument: string, v: unknown): boolean {
  checkConstraint(argument, v, 'boolean');
  return v as boolean;
}

/** Checks the ASL parameters and fills in the official defaults. @internal */
export function checkAsymmetricParams(argument: string, p: AsymmetricParams): ResolvedAsymmetricParams {
  const epsilon = renamedOption<number>(argument, p, 'epsilon');
  return {
    gammaNeg: checkRange(`${argument}.gammaNeg`, p.gammaNeg ?? 4, { min: 0, max: 20, hint: 'The official default is 4.' }),
    gammaPos: checkRange(`${argument}.gammaPos`, p.gammaPos ?? 1, { min: 0, max: 20, hint: 'The official default is 1.' }),
    clip: checkRange(`${argument}.clip`, p.clip ?? 0.05, { min: 0, max: 1, maxExclusive: true, hint: 'The official default is 0.05; 0 turns the margin off.' }),
    epsilon: checkRange(`${argument}.${epsilon?.name ?? 'epsilon'}`, epsilon?.value ?? 1e-8, {
      min: 0,
      max: 0.5,
      minExclusive: true,
      maxExclusive: true,
      hint: 'The official default is 1e-8.',
    }),
    detachFocusing: checkBoolean(`${argument}.detachFocusing`, p.detachFocusing ?? true),
  };
}
