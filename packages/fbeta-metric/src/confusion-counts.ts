/**
 * The sufficient statistics of F-beta: per-class true positives, false
 * positives and false negatives, plus what the `samples` average needs.
 * Plain data that can be summed across batches or shards.
 */
export interface ConfusionCounts {
  /** Per-class true positives. */
  readonly tp: readonly number[];
  /** Per-class false positives. */
  readonly fp: readonly number[];
  /** Per-class false negatives. */
  readonly fn: readonly number[];
  /** The number of samples (rows; positions of per-position outputs) seen; with sample weights, their sum. */
  readonly samples: number;
  /**
   * The sum of per-sample F-beta over rows that have a true or a predicted
   * label (multi-label only; `undefined` for single-label data).
   */
  readonly samplesFSum?: number;
  /** The number of rows with neither a true nor a predicted label (multi-label only). */
  readonly samplesUndefined?: number;
  /** The sum of per-sample precision over rows with a predicted label (multi-label only). */
  readonly samplesPrecisionSum?: number;
  /** The number of rows with no predicted label (multi-label only). */
  readonly samplesPrecisionUndefined?: number;
  /** The sum of per-sample recall over rows with a true label (multi-label only). */
  readonly samplesRecallSum?: number;
  /** The number of rows with no true label (multi-label only). */
  readonly samplesRecallUndefined?: number;
}

/**
 * Sums confusion counts of batches or shards over the same classes.
 *
 * @param a - Counts.
 * @param b - Counts over the same classes (and, for the samples average, the same β).
 * @returns Their sum.
 *
 * @example
 * ```ts
 * addConfusionCounts(countsOfShardA, countsOfShardB);
 * ```
 */
export function addConfusionCounts(a: ConfusionCounts, b: ConfusionCounts): ConfusionCounts {
  const add = (x: readonly number[], y: readonly number[]) => x.map((v, i) => v + (y[i] as number));
  const out: { -readonly [K in keyof ConfusionCounts]: ConfusionCounts[K] } = {
    tp: add(a.tp, b.tp),
    fp: add(a.fp, b.fp),
    fn: add(a.fn, b.fn),
    samples: a.samples + b.samples,
  };
  if (a.samplesFSum !== undefined && b.samplesFSum !== undefined) {
    out.samplesFSum = a.samplesFSum + b.samplesFSum;
    out.samplesUndefined = (a.samplesUndefined ?? 0) + (b.samplesUndefined ?? 0);
  }
  for (const [sum, undef] of [['samplesPrecisionSum', 'samplesPrecisionUndefined'], ['samplesRecallSum', 'samplesRecallUndefined']] as const) {
    if (a[sum] !== undefined && b[sum] !== undefined) {
      out[sum] = a[sum] + b[sum];
      out[undef] = (a[undef] ?? 0) + (b[undef] ?? 0);
    }
  }
  return out;
}
