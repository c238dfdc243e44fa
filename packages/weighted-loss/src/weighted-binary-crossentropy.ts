import * as tf from '@tensorflow/tfjs-core';
import { checkFactoryCalled } from '@tfjs-imbalance/weight-schemes/internal';
import { elementwiseBce } from './binary-cross-entropy.js';
import { fusedBceRows } from './fused.js';
import { focalKernel, jsRows } from './js-kernels.js';
import { WeightedLoss, type WeightedLossArgs } from './weighted-loss.js';

/** Arguments of {@link WeightedBinaryCrossentropy}. */
export interface WeightedBinaryCrossentropyArgs extends WeightedLossArgs {
  /** PyTorch's `pos_weight`, one multiplier of the positive term per class (see `posWeight()` in weight-schemes). Defaults to none. */
  readonly posWeight?: readonly number[];
}

/**
 * Weighted binary cross-entropy for multi-label models, ready for
 * `model.compile({ loss })`: per-sample loss = w(yTrue) · mean over classes
 * of BCE(yTrue, yPred; posWeight), where w(yTrue) combines the class weights
 * of the row's positive labels (the reference sums them). On logits it is
 * PyTorch's `BCEWithLogitsLoss(weight, pos_weight)` per sample.
 *
 * Defaults: logits (`from: 'logits'`), uniform class weights until a scheme and counts (or the callback) set them, the sum rule, `emptyRowWeight: 'as-class'`, labels checked every batch.
 *
 * @example Compile in one line, re-weight during fit
 * ```ts
 * const loss = weightedBinaryCrossentropy({ scheme: { name: 'ens', beta: 0.999 }, counts: countMultiHot(yRows) });
 * model.compile({ optimizer: 'adam', loss });
 * loss.setClassWeights(newWeights); // no recompile
 * ```
 */
export class WeightedBinaryCrossentropy extends WeightedLoss {
  /** The name under which the class is registered with `tf.serialization`. */
  static readonly className = 'WeightedBinaryCrossentropy';

  /**
   * @param args - See {@link WeightedBinaryCrossentropyArgs}.
   */
  constructor(args: WeightedBinaryCrossentropyArgs) {
    checkFactoryCalled('weightedBinaryCrossentropy', args, 'model.compile({ loss: weightedBinaryCrossentropy({ numClasses }) })');
    super(args, 'weighted_binary_crossentropy', ['posWeight']);
  }

  protected override weightedPerSample(yTrue: tf.Tensor, yPred: tf.Tensor, weights: () => { sw: tf.Tensor }): tf.Tensor {
    const prepare = () => ({ y: this.smoothed(yTrue), scale: tf.mul(weights().sw, 1 / this.numClasses) });
    if (this.from === 'logits') {
      // On the cpu backend one JS pass (the focal kernel with γ = 0: exact BCE, in float64) beats the tfjs kernels.
      if (tf.getBackend() === 'cpu') {
        return jsRows(yPred, prepare, focalKernel(0, -1, this.posWeightValues));
      }
      return fusedBceRows(yPred, prepare, this.posWeightVar, this.posWeightMinusOne);
    }
    const { scale } = prepare();
    const el = elementwiseBce(this.smoothed(yTrue), yPred, this.from, this.posWeightVar, this.epsilon);
    return tf.reshape(tf.mul(tf.sum(el, -1, true), scale), [-1]);
  }

  /**
   * Rebuilds a loss from {@link WeightedLoss.getConfig}'s `config`.
   *
   * @param _cls - Unused (the `tf.serialization` signature).
   * @param config - The config.
   * @returns A new loss.
   */
  static fromConfig(_cls: unknown, config: WeightedBinaryCrossentropyArgs): WeightedBinaryCrossentropy {
    return new WeightedBinaryCrossentropy(config);
  }
}

/**
 * Creates a {@link WeightedBinaryCrossentropy}.
 *
 * @param args - See {@link WeightedBinaryCrossentropyArgs}.
 * @returns The loss, a function `model.compile` takes as it is.
 *
 * @example
 * ```ts
 * model.compile({ optimizer: 'adam', loss: weightedBinaryCrossentropy({ classWeights: [0.2, 1.3, 1.5] }) });
 * ```
 */
export function weightedBinaryCrossentropy(args: WeightedBinaryCrossentropyArgs): WeightedBinaryCrossentropy {
  return new WeightedBinaryCrossentropy(args);
}
