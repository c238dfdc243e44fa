/**
 * The effective number of samples of Cui et al. (CVPR 2019),
 * E_n = (1 − β^n)/(1 − β), computed without cancellation for β near 1.
 *
 * @param n - A count ≥ 0.
 * @param beta - β in [0, 1).
 * @returns The effective number (0 for n = 0).
 *
 * @example
 * ```ts
 * effectiveNumber(1000, 0.999); // ≈ 632.3
 * ```
 */
export function effectiveNumber(n: number, beta: number): number {
  if (n === 0) return 0;
  if (beta === 0) return 1;
  // 1 − β^n = −expm1(n·ln β): accurate when β^n is close to 1.
  return -Math.expm1(n * Math.log(beta)) / (1 - beta);
}

/**
 * Raw ENS weights (1 − β)/(1 − β^n_c), the inverse of the effective number.
 * A zero count gives `Infinity`; the caller applies the empty-class policy.
 *
 * @param counts - Per-class positive counts.
 * @param beta - β in [0, 1).
 * @returns The unnormalised weights.
 *
 * @example
 * ```ts
 * effectiveNumberWeights([1000, 10], 0.999); // [≈0.00158, ≈0.1005]
 * ```
 */
export function effectiveNumberWeights(counts: readonly number[], beta: number): number[] {
  return counts.map((n) => (n === 0 ? Infinity : 1 / effectiveNumber(n, beta)));
}
