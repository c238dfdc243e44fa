import { checkClassCounts, type ClassCounts } from './class-counts.js';
import { applyEmptyClassPolicy } from './class-weights.js';
import { checkEmptyClassPolicy, type EmptyClassPolicy } from './scheme-config.js';
import { checkOptionNames } from './validate.js';

/** Options of {@link posWeight}. */
export interface PosWeightOptions {
  /** What to do with a class that has no positive sample (its ratio is infinite). Defaults to `'error'`. */
  readonly emptyClass?: EmptyClassPolicy;
}

/**
 * PyTorch's `pos_weight` rule for `BCEWithLogitsLoss`: for each class, the
 * number of negatives divided by the number of positives, (N − n_c)/n_c.
 * It rebalances positives against negatives within each class, whereas
 * sample weights rebalance classes against each other.
 *
 * @param counts - Counts from {@link countMultiHot} or {@link countStream}.
 * @param options - See {@link PosWeightOptions}.
 * @returns One ratio per class.
 *
 * @example
 * ```ts
 * posWeight({ positives: [10, 90], samples: 100, emptyRows: 0 }); // [9, 0.111]
 * ```
 */
export function posWeight(counts: ClassCounts, options: PosWeightOptions = {}): number[] {
  checkOptionNames('options', options, ['emptyClass']);
  const c = checkClassCounts('counts', counts);
  const policy = checkEmptyClassPolicy('options.emptyClass', options.emptyClass ?? 'error');
  const ratios = c.positives.map((n) => (n === 0 ? Infinity : (c.samples - n) / n));
  return applyEmptyClassPolicy(ratios, policy, 'counts.positives');
}
