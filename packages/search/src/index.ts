/**
 * Find what helps *your* model on imbalanced multi-label data.
 *
 * {@link compareTreatments} trains plain training and each candidate
 * treatment (re-weighting schemes, the focal, Distribution-Balanced and
 * Asymmetric losses, prior-bias initialisation, logit adjustment on request) on your
 * own model factory and data, from the same initial weights, stops clear
 * losers early, and selects one on validation alone by a trade-off you state:
 * the objective (macro F-beta by default) and the most micro F-beta you give
 * up for it (`maxMicroDrop`, 0.02 by default).
 *
 * @example
 * ```ts
 * import { compareTreatments } from '@tfjs-imbalance/search';
 *
 * const comparison = await compareTreatments({
 *   model: () => tf.sequential({ layers: [tf.layers.dense({ units: C, inputShape: [D] })] }),
 *   train: { x: xTrain, y: yTrain },
 *   validation: { x: xVal, y: yVal },
 * });
 * console.log(comparison.selected.name, comparison.runs.map((r) => [r.name, r.validation.macro]));
 * comparison.dispose();
 * ```
 *
 * @packageDocumentation
 */
export { compareTreatments } from './compare.js';
export { formatComparison, type FormatOptions } from './format.js';
export { saveClassifier, loadClassifier, type Classifier, type ClassifierMetadata, type ClassifierSelection, type ClassifierParts, type SaveClassifierOptions } from './artifact.js';
export { halvingPruner, type Pruner, type PruneContext, type PruneDecision, type CurveView, type PlainCurveView, type HalvingOptions } from './pruner.js';
export type { Interval } from './noise.js';
export type {
  Gain,
  SearchSettingsReport,
  RunStop,
  NoiseOptions,
  CompareTreatmentsArgs,
  SearchProgress,
  RunStartEvent,
  BatchEvent,
  EpochEvent,
  RunEndEvent,
  TreatmentComparison,
  WorkersOption,
  TreatmentRun,
} from './types.js';
export { DEFAULT_TREATMENTS, trainingSetup, type Treatment, type TreatmentLoss, type TrainingSetup } from './treatments.js';
export type { SearchObjective, ValidationScores, Matrix } from './scores.js';
export { SEARCH_OBJECTIVES } from './settings.js';
export type { Split, TensorSplit, DatasetLike, DatasetIterator } from './inputs.js';

/** The errors every tfjs-imbalance package throws (defined in `@tfjs-imbalance/weight-schemes`), re-exported so `instanceof` checks need no other import. */
export { ImbalanceError, ShapeMismatchError, NonFiniteValueError, InvalidCountError, OutOfRangeError, EmptyInputError, EmptyClassError, InvalidOptionError } from '@tfjs-imbalance/weight-schemes';
