import * as tf from '@tensorflow/tfjs-core';
import { type BatchWeights, checkFactoryCalled, WeightedLoss, type WeightedLossArgs } from '../kit.js';
import { focalRows } from '../focal/terms.js';
import { restoreLoss } from '../../weighted-loss/restore.js';

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

  protected override weightedPerSample(yTrue: tf.Tensor, yPred: tf.Tensor, batch: BatchWeights): tf.Tensor {
    // The focal loss with γ = 0 and no α is exactly BCE (one place holds both losses' math).
    const scale = () => tf.mul(batch.weights().sw, 1 / this.numClasses);
    return focalRows(yPred, this.from, () => ({ y: this.smoothed(yTrue), scale: scale() }), { gamma: 0, alpha: -1, epsilon: this.epsilon, ...(this.posWeight === undefined ? {} : { posWeight: this.posWeight }) });
  }

  /**
   * Rebuilds a loss from {@link WeightedLoss.getConfig}'s `config`.
   *
   * @param _cls - Unused (the `tf.serialization` signature).
   * @param config - The config.
   * @returns A new loss.
   */
  static fromConfig(_cls: unknown, config: WeightedBinaryCrossentropyArgs): WeightedBinaryCrossentropy {
    return restoreLoss(config, (args) => new WeightedBinaryCrossentropy(args));
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
