/**
 * A `tf.Callback` that recomputes the class weights of
 * `@tfjs-imbalance/weighted-loss` losses during `fit` and `fitDataset`: from
 * known counts, from data counted at train begin, or online from the labels
 * of the training batches; once, per epoch or per batch; with deferred
 * re-weighting (LDAM-DRW) and a β schedule for ENS.
 *
 * @example
 * ```ts
 * import { weightedBinaryCrossentropy } from '@tfjs-imbalance/weighted-loss';
 * import { sampleWeightCallback } from '@tfjs-imbalance/sample-weight-callback';
 *
 * const loss = weightedBinaryCrossentropy({ numClasses: 29 });
 * model.compile({ optimizer: 'adam', loss });
 * await model.fit(x, y, {
 *   epochs: 20,
 *   callbacks: [sampleWeightCallback({ losses: loss, scheme: { name: 'ens', beta: 0.999 }, data: y, deferUntilEpoch: 5 })],
 * });
 * ```
 *
 * @packageDocumentation
 */
export * from './sample-weight-callback.js';
export type { SampleWeightCallbackArgs, SampleWeightCallbackConfig, Schedule } from './args.js';

/** The errors every tfjs-imbalance package throws (defined in `@tfjs-imbalance/weight-schemes`), re-exported so `instanceof` checks need no other import. */
export { ImbalanceError, ShapeMismatchError, NonFiniteValueError, InvalidCountError, OutOfRangeError, EmptyInputError, EmptyClassError, InvalidOptionError } from '@tfjs-imbalance/weight-schemes';
