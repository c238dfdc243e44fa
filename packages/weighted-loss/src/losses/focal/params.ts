import { checkRange, optionNames } from '../kit.js';

/** The parameters of the focal loss (Lin et al. 2017, torchvision's definition). */
export interface FocalParams {
  /** The focusing parameter γ ≥ 0; 0 gives plain BCE. Defaults to `2`. */
  readonly gamma?: number;
  /** torchvision's α balancing of positives (α) against negatives (1 − α), in [0, 1]; any α < 0 turns it off. Defaults to `-1` (off). */
  readonly alpha?: number;
}

/** The option names of {@link FocalParams}. @internal */
export const FOCAL_PARAMS = optionNames<FocalParams>()('gamma', 'alpha');

/**
 * Checks γ and α of a focal loss and fills in the defaults (γ = 2, α off).
 * @internal
 */
export function checkFocalParams(argument: string, p: FocalParams): { gamma: number; alpha: number } {
  const gamma = checkRange(`${argument}.gamma`, p.gamma ?? 2, { min: 0, max: 20, hint: 'Typical values are 0.5 to 5.' });
  const alpha = checkRange(`${argument}.alpha`, p.alpha ?? -1, { max: 1, hint: 'Use α in [0, 1], or any α < 0 to turn α balancing off.' });
  return { gamma, alpha };
}
