/**
 * Weighted losses for class-imbalanced TensorFlow.js models.
 *
 * - A functional core on tfjs-core: {@link binaryCrossEntropy} with PyTorch's
 *   `weight` and `pos_weight`, {@link sigmoidFocalLoss} (torchvision's α) and
 *   {@link softmaxCrossEntropy} with class weights; values and gradients match
 *   PyTorch.
 * - Loss classes for `model.compile({ loss })` that derive each sample's
 *   weight from `yTrue` and keep their class weights in a non-trainable
 *   `tf.Variable`, so the sample-weight callback can change them during `fit`.
 *
 * @example Multi-label training with ENS weights
 * ```ts
 * import { countMultiHot } from '@tfjs-imbalance/weight-schemes';
 * import { weightedBinaryCrossentropy } from '@tfjs-imbalance/weighted-loss';
 *
 * const loss = weightedBinaryCrossentropy({ scheme: { name: 'ens', beta: 0.999 }, counts: countMultiHot(yRows) });
 * model.compile({ optimizer: 'adam', loss });
 * await model.fit(x, y, { epochs: 10 });
 * loss.dispose();
 * ```
 *
 * @packageDocumentation
 */
export type { Reduction } from './core/reduction.js';
export type { TensorInput } from './core/tensor-input.js';
export type { PredictionKind } from './core/binary-inputs.js';
export { sampleWeightsFromLabels } from './core/label-weights.js';
export { packSampleWeights } from './core/pack-sample-weights.js';
export { WeightedLoss, type BatchWeights, type SampleWeightsOfBatch } from './weighted-loss/weighted-loss.js';
export type { WeightedLossArgs, WeightedLossConfig, OnlineCounts } from './weighted-loss/args.js';
export type { ReweightableLoss, Weighting, WeightingUpdate } from './weighted-loss/contract.js';
export * from './losses/index.js';
export * from './serialization.js';
export { TRAINING_METADATA_KEY, resumable, resumeTraining, saveForResume, type ResumableModel, type ResumeTrainingOptions, type ResumedTraining, type CompiledLoss } from './resume.js';

/** The errors every tfjs-imbalance package throws (defined in `@tfjs-imbalance/weight-schemes`), re-exported so `instanceof` checks need no other import. */
export { ImbalanceError, ShapeMismatchError, NonFiniteValueError, InvalidCountError, OutOfRangeError, EmptyInputError, EmptyClassError, InvalidOptionError } from '@tfjs-imbalance/weight-schemes';
