/**
 * What the tfjs-imbalance packages share from this one: threshold tuning
 * and average precision on scores sorted once, for callers that score the
 * same predictions many ways (the search). Not part of the public API: no
 * semver promise. Import from `@tfjs-imbalance/fbeta-metric/internal` inside
 * the tfjs-imbalance packages only.
 *
 * @internal
 * @packageDocumentation
 */
export { parityFolds, sortedColumns, tuneOnRows, tuneSettings, type SortedColumns } from './tune-thresholds.js';
export { fbetaOf, scoreCut, type CoreSettings as TuneSettings } from './threshold-cuts.js';
export type { MicroFloor } from './micro-floor.js';
export { macroAveragePrecision } from './average-precision.js';
export { lastLayerActivation, checkOutputKind, checkCompiledMetrics, checkBoundedDataset } from './model-checks.js';
export { resolveScalarLogs } from './validation-data.js';
