/**
 * Raw inverse-power weights 1/n_c^p for each class (INS is p = 1, ISNS p = 0.5).
 * A zero count gives `Infinity`; the caller applies the empty-class policy.
 *
 * @param counts - Per-class positive counts.
 * @param power - The exponent p ≥ 0.
 * @returns The unnormalised weights.
 *
 * @example
 * ```ts
 * inversePowerWeights([100, 25], 0.5); // [0.1, 0.2]
 * ```
 */
export function inversePowerWeights(counts: readonly number[], power: number): number[] {
  // 1/n⁰ = 1 for every n, an empty class included.
  return counts.map((n) => (power === 0 ? 1 : n === 0 ? Infinity : 1 / n ** power));
}
