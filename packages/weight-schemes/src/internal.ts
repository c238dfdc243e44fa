/**
 * Helpers the tfjs-imbalance packages share: argument checks, the error
 * message helpers, and the registries the callbacks and the save/resume
 * helpers use. Not part of the public API: no semver promise, and no
 * documentation beyond these comments. Import from
 * `@tfjs-imbalance/weight-schemes/internal` inside the tfjs-imbalance
 * packages only.
 *
 * @internal
 * @packageDocumentation
 */
export { checkConstraint, checkDeclared, checkOneOf, type Constraint, type Constraints } from './constraints.js';
export { optionNames, renamedOption, checkOptionNames, checkFinite, checkRange, checkCounts, checkFactoryCalled, checkFloat32Backend, describe } from './validate.js';
export { isTensorLike } from './label-matrix.js';
export { checkClassCounts } from './class-counts.js';
export { resolveSampleWeightOptions, checkClassWeights, classWeightArray } from './sample-weights.js';
export { parseScheme } from './scheme-config.js';
export { type MetricRecipe, METRIC_RECIPE, registerMetricFactory, metricFactory, metricRecipe } from './registry.js';
export { QUIET_BACKEND_ENV, slowBackendAdvice, warnSlowBackend, resetSlowBackendWarning } from './backend-advice.js';
export { claimForFit } from './fit-claims.js';
