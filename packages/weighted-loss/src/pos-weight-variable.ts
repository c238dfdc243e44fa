import type * as tf from '@tensorflow/tfjs-core';
import { checkClassWeights } from '@tfjs-imbalance/weight-schemes';
import { nonTrainable, type WeightedLoss } from './weighted-loss.js';

/**
 * A non-trainable `posWeight` variable [C], or `undefined` when none is given.
 * @internal
 */
export function posWeightVariable(loss: WeightedLoss, posWeight: readonly number[] | undefined): tf.Variable | undefined {
  if (posWeight === undefined) return undefined;
  try {
    return nonTrainable(checkClassWeights('args.posWeight', posWeight, loss.numClasses));
  } catch (e) {
    loss.dispose(); // the constructor fails: free the variables the base class made
    throw e;
  }
}
