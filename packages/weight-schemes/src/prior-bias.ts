import { checkClassCounts, type ClassCounts } from './class-counts.js';
import { EmptyClassError } from './errors.js';

/**
 * The log-odds of each class's prior, log(n_c / (N − n_c)): the bias a
 * sigmoid output layer should start from, so that before any training each
 * class is predicted at its base rate instead of 0.5. Rare classes then start
 * near "no", and the first epochs stop spending their gradient on pushing
 * every rare logit down (Lin et al., ICCV 2017, §4.1; the negative-tolerant
 * bias of Wu et al., ECCV 2020, has the same idea).
 *
 * @param counts - The training counts (`positives` and `samples`), such as `countMultiHot` gives.
 * @returns One bias per class.
 *
 * @example Setting a Dense output layer's bias
 * ```ts
 * const counts = countMultiHot(yRows);
 * const out = tf.layers.dense({ units: counts.positives.length, biasInitializer: tf.initializers.zeros() });
 * // ... after the model is built:
 * out.setWeights([out.getWeights()[0], tf.tensor1d(priorBias(counts))]);
 * ```
 */
export function priorBias(counts: ClassCounts): number[] {
  const c = checkClassCounts('counts', counts);
  const bad = c.positives.flatMap((n, i) => (n === 0 || n === c.samples ? [i] : []));
  if (bad.length > 0) {
    throw new EmptyClassError(
      'counts',
      bad,
      `class${bad.length > 1 ? 'es' : ''} ${bad.join(', ')} ${bad.length > 1 ? 'are' : 'is'} positive in no row or in every row, ` +
        'so its log-odds is infinite. Drop the class, or count more data.',
    );
  }
  return c.positives.map((n) => Math.log(n / (c.samples - n)));
}
