/**
 * scikit-learn's `'balanced'` weights, n_samples / (n_classes · n_c).
 * A zero count gives `Infinity`; the caller applies the empty-class policy.
 *
 * @param counts - Per-class positive counts.
 * @param samples - The number of samples (for single-label data, the sum of the counts).
 * @returns The unnormalised weights.
 *
 * @example
 * ```ts
 * balancedWeights([30, 10], 40); // [0.667, 2]
 * ```
 */
export function balancedWeights(counts: readonly number[], samples: number): number[] {
  // samples / C / n, not samples / (C·n): C·n overflows for counts near 1e308.
  return counts.map((n) => (n === 0 ? Infinity : samples / counts.length / n));
}
