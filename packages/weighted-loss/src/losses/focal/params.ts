import { checkRange } from '@tfjs-imbalance/weight-schemes/internal';

/**
 * Checks γ and α of a focal loss.
 * @internal
 */
export function checkFocalParams(argument: string, gamma: unknown, alpha: unknown): { gamma: number; alpha: number } {
  const g = checkRange(`${argument}.gamma`, gamma, { min: 0, max: 20, hint: 'Typical values are 0.5 to 5.' });
  const a = checkRange(`${argument}.alpha`, alpha, { max: 1, hint: 'Use α in [0, 1], or any α < 0 to turn α balancing off.' });
  return { gamma: g, alpha: a };
}
