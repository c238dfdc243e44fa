import * as tf from '@tensorflow/tfjs-core';
import { checkClassWeights } from '@tfjs-imbalance/weight-schemes';

/**
 * A non-trainable `posWeight` variable [C], or `undefined` when none is given.
 * @internal
 */
export function posWeightVariable(posWeight: readonly number[] | undefined, numClasses: number): tf.Variable | undefined {
  if (posWeight === undefined) return undefined;
  const pw = checkClassWeights('args.posWeight', posWeight, numClasses);
  return tf.variable(tf.tensor1d(pw), false);
}
