/**
 * Everything a loss folder builds on, in one import: the custom op and its
 * math types, the stable float32 forms, input checks and reductions of the
 * functional forms, the base class and its contract, and the argument
 * checks. Each loss in `losses/<loss>/` imports from here (see
 * ARCHITECTURE.md, "How to add a loss").
 * @internal
 */
export { lossOp, type ElementKernel, type ElementMath, type ElementTerms, type Targets } from '../core/custom-op.js';
export { atLeast, expNegAbs, log1pAccurate, power, powerOf, stableBceOnLogits } from '../core/stable-forms.js';
export { binaryInputs, checkEpsilon, checkFrom, type PredictionKind } from '../core/binary-inputs.js';
export { REDUCTIONS, checkReduction, reduce, type Reduction } from '../core/reduction.js';
export { asTensor, shapeOf, type TensorInput } from '../core/tensor-input.js';
export { WeightedLoss } from '../weighted-loss/weighted-loss.js';
export type { BatchWeights, SampleWeightsOfBatch } from '../weighted-loss/contract.js';
export type { WeightedLossArgs, WeightedLossConfig } from '../weighted-loss/args.js';
export { defineFields } from '../weighted-loss/callable.js';
export { checkConstraint, checkCounts, checkDeclared, checkFactoryCalled, checkOneOf, checkOptionNames, checkRange, describe, optionNames, renamedOption } from '@tfjs-imbalance/weight-schemes/internal';
