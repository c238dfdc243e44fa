/**
 * F-beta for TensorFlow.js: exact scores from confusion counts (per class,
 * micro, macro, weighted and samples averages, scikit-learn's
 * `zero_division`), a streaming accumulator, a `compile` metric, an
 * epoch-end callback that logs the exact validation F-beta for early
 * stopping, and a classification report sorted by support.
 *
 * @example Exact validation F0.5 with early stopping
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { earlyStopping, fbetaMetric, fbetaCallback } from '@tfjs-imbalance/fbeta-metric';
 *
 * model.compile({ optimizer: 'adam', loss: 'binaryCrossentropy', metrics: [fbetaMetric()] });
 * await model.fit(x, y, {
 *   epochs: 30,
 *   callbacks: [
 *     fbetaCallback({ validationData: [xVal, yVal] }),
 *     earlyStopping({ monitor: 'val_fbeta', patience: 3, restoreBestWeights: true }),
 *   ],
 * });
 * ```
 *
 * @packageDocumentation
 */
export * from './confusion-counts.js';
export { type ZeroDivision, type AveragedScores, type FBetaScores, type FBetaScoresOptions, fbetaScores } from './fbeta-scores.js';
export type { Task, ScoreKind, PredictionArgs } from './prediction-options.js';
export type { PredictionKind } from '@tfjs-imbalance/weight-schemes';
export type { BatchInput } from './batch-statistics.js';
export * from './accumulator.js';
export type { SampleWeightInput } from './sample-weights.js';
export * from './compile-metric.js';
export * from './fbeta-callback.js';
export * from './classification-report.js';
export * from './tune-thresholds.js';
export { averagePrecision, labelRankingAveragePrecision, type AveragePrecisionScores } from './average-precision.js';
export * from './average-precision-accumulator.js';
export * from './average-precision-callback.js';
export type { ValidationData, ValidationDataset, ValidationBatch } from './validation-data.js';
export * from './early-stopping.js';
export type { Direction } from './log-directions.js';
export * from './compare-scores.js';

/** The errors every tfjs-imbalance package throws (defined in `@tfjs-imbalance/weight-schemes`), re-exported so `instanceof` checks need no other import. */
export { ImbalanceError, ShapeMismatchError, NonFiniteValueError, InvalidCountError, OutOfRangeError, EmptyInputError, EmptyClassError, InvalidOptionError } from '@tfjs-imbalance/weight-schemes';
