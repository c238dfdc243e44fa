/**
 * Every loss's public surface, one folder per loss: adding a loss adds its
 * lines here. `lossFromConfig` finds the loss classes among these exports
 * (see serialization.ts), so a new class resumes from a saved model without
 * another registration.
 */
export { binaryCrossEntropy, type BinaryCrossEntropyArgs } from './bce/binary-cross-entropy.js';
export * from './bce/weighted-binary-crossentropy.js';
export type { FocalParams } from './focal/params.js';
export { sigmoidFocalLoss, type SigmoidFocalLossArgs, type FocalReduction } from './focal/sigmoid-focal-loss.js';
export * from './focal/weighted-binary-focal-crossentropy.js';
export type { AsymmetricParams, ResolvedAsymmetricParams } from './asymmetric/params.js';
export { sigmoidAsymmetricLoss, type AsymmetricLossArgs } from './asymmetric/sigmoid-asymmetric-loss.js';
export { AsymmetricLoss, asymmetricLoss, type AsymmetricLossClassArgs } from './asymmetric/asymmetric-loss.js';
export type { DistributionBalancedParams, DistributionCounts, ResolvedDistributionBalancedParams } from './distribution-balanced/params.js';
export { sigmoidDistributionBalancedLoss, type DistributionBalancedLossArgs } from './distribution-balanced/sigmoid-distribution-balanced-loss.js';
export { DistributionBalancedLoss, distributionBalancedLoss, type DistributionBalancedLossClassArgs } from './distribution-balanced/distribution-balanced-loss.js';
export { softmaxCrossEntropy, type SoftmaxCrossEntropyArgs, type SoftmaxReduction } from './softmax/softmax-cross-entropy.js';
export * from './softmax/weighted-categorical-crossentropy.js';
export { softmaxFocalLoss, WeightedCategoricalFocalCrossentropy, weightedCategoricalFocalCrossentropy, type SoftmaxFocalParams, type SoftmaxFocalLossArgs, type WeightedCategoricalFocalCrossentropyArgs } from './softmax/softmax-focal-loss.js';
export { adjustLogits, logitAdjustedCrossEntropy, type LogitAdjustment, type LogitAdjustedCrossEntropyArgs } from './softmax/logit-adjustment.js';
