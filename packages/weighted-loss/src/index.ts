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
export type { Reduction } from './reduction.js';
export type { TensorInput } from './tensor-input.js';
export { binaryCrossEntropy, type BinaryCrossEntropyArgs, type PredictionKind } from './binary-cross-entropy.js';
export { sigmoidFocalLoss, type SigmoidFocalLossArgs, type FocalReduction } from './focal-loss.js';
export { softmaxCrossEntropy, type SoftmaxCrossEntropyArgs, type SoftmaxReduction } from './softmax-cross-entropy.js';
export { sampleWeightsFromLabels } from './label-weights.js';
export { WeightedLoss, type WeightedLossArgs, type WeightedLossConfig, type OnlineCounts } from './weighted-loss.js';
export * from './weighted-binary-crossentropy.js';
export * from './weighted-binary-focal-crossentropy.js';
export * from './weighted-categorical-crossentropy.js';
export {
  AsymmetricLoss,
  asymmetricLoss,
  sigmoidAsymmetricLoss,
  type AsymmetricLossArgs,
  type AsymmetricLossClassArgs,
  type AsymmetricParams,
} from './asymmetric-loss.js';
export {
  DistributionBalancedLoss,
  distributionBalancedLoss,
  sigmoidDistributionBalancedLoss,
  type DistributionBalancedLossArgs,
  type DistributionBalancedLossClassArgs,
  type DistributionBalancedParams,
  type DistributionCounts,
} from './distribution-balanced.js';
export { adjustLogits, logitAdjustedCrossEntropy, type LogitAdjustment, type LogitAdjustedCrossEntropyArgs } from './logit-adjustment.js';
export * from './serialization.js';
export { packSampleWeights } from './pack-sample-weights.js';
export { TRAINING_METADATA_KEY, resumable, resumeTraining, saveForResume, type ResumableModel, type ResumeTrainingOptions, type ResumedTraining, type CompiledLoss } from './resume.js';
