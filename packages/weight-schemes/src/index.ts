/**
 * Class counting and class-weight schemes for class-imbalanced training:
 * INS, ISNS, a general inverse power, ENS (the effective number of samples of
 * Cui et al., CVPR 2019) and scikit-learn's balanced weights, plus per-sample
 * weights from multi-hot labels and PyTorch's `pos_weight` rule.
 *
 * It has no runtime dependency on TensorFlow.js: it works on arrays, typed
 * arrays and anything tensor-shaped.
 *
 * @example From labels to per-sample weights
 * ```ts
 * import { countMultiHot, classWeights, sampleWeights } from '@tfjs-imbalance/weight-schemes';
 *
 * const labels = [[1, 0, 0], [1, 1, 0], [1, 0, 1], [1, 0, 0]];
 * const counts = countMultiHot(labels);                      // positives [4, 1, 1]
 * const w = classWeights(counts, { name: 'ens', beta: 0.99 });
 * const perSample = sampleWeights(labels, w);                // one weight per row
 * ```
 *
 * @packageDocumentation
 */
export * from './errors.js';
export type { PredictionKind, Task, BatchDataset, FlatMatrix } from './vocabulary.js';
export { type TensorLike, type LabelMatrix, type DenseMatrix, type DenseMatrixOptions, toDenseMatrix } from './label-matrix.js';
export { type ClassCounts, type LabelFormat, ClassCounter, countMultiHot, countOneHot, countIndices, mergeCounts } from './class-counts.js';
export * from './count-stream.js';
export {
  type EmptyClassPolicy,
  type SchemeOptions,
  type NoneScheme,
  type InsScheme,
  type IsnsScheme,
  type InversePowerScheme,
  type EnsScheme,
  type BalancedScheme,
  type SchemeConfig,
  type SchemeName,
  SCHEME_NAMES,
} from './scheme-config.js';
export * from './inverse-frequency.js';
export * from './effective-number.js';
export * from './balanced.js';
export { type ClassWeightsOptions, classWeights, emptyRowClassWeight, normalizeToClassCount } from './class-weights.js';
export { type CombineRule, type SampleWeightOptions, type ClassWeightsInput, sampleWeights, sampleWeightMatrix } from './sample-weights.js';
export * from './pos-weight.js';
export * from './prior-bias.js';
