import * as tf from '@tensorflow/tfjs-core';
import { type BatchWeights, checkFactoryCalled, checkOneOf, defineFields, WeightedLoss, type WeightedLossArgs } from '../kit.js';
import { FOCAL_PARAMS, checkFocalParams, type FocalParams } from './params.js';
import { focalRows } from './terms.js';
import { restoreLoss } from '../../weighted-loss/restore.js';

/** Arguments of {@link WeightedBinaryFocalCrossentropy}. */
export interface WeightedBinaryFocalCrossentropyArgs extends WeightedLossArgs, FocalParams {
  /** PyTorch's `pos_weight` inside the cross-entropy term: one multiplier of the positive term per class. Defaults to none. */
  readonly posWeight?: readonly number[];
  /**
   * How a sample's element losses become one value: `'classes'` averages over
   * the classes; `'positives'` sums them and scales so that tfjs' batch mean
   * equals the class-balanced loss of Cui et al. (sum over the batch divided
   * by its number of positive labels). Defaults to `'classes'`.
   */
  readonly normalizeBy?: 'classes' | 'positives';
}

/**
 * Weighted binary focal cross-entropy for `model.compile({ loss })`: the
 * focal loss (torchvision's (1 − p_t)^γ, also for soft targets) times
 * per-sample weights from `yTrue`. With ENS class weights and
 * `normalizeBy: 'positives'` it is the class-balanced focal loss.
 *
 * @example The class-balanced focal loss of Cui et al.
 * ```ts
 * const loss = weightedBinaryFocalCrossentropy({
 *   scheme: { name: 'ens', beta: 0.999 }, counts, gamma: 2, emptyRowWeight: 0, normalizeBy: 'positives',
 * });
 * ```
 */
export class WeightedBinaryFocalCrossentropy extends WeightedLoss {
  /** The name under which the class is registered with `tf.serialization`. */
  static readonly className = 'WeightedBinaryFocalCrossentropy';
  /** γ. */
  declare readonly gamma: number;
  /** α (negative: off). */
  declare readonly alpha: number;
  /** How element losses are combined per sample. */
  declare readonly normalizeBy: 'classes' | 'positives';

  /**
   * @param args - See {@link WeightedBinaryFocalCrossentropyArgs}.
   */
  constructor(args: WeightedBinaryFocalCrossentropyArgs) {
    checkFactoryCalled('weightedBinaryFocalCrossentropy', args, 'model.compile({ loss: weightedBinaryFocalCrossentropy({ numClasses }) })');
    // Checked before super(), which allocates the variables.
    const { gamma, alpha } = checkFocalParams('args', args ?? {});
    const normalizeBy = args?.normalizeBy ?? 'classes';
    checkOneOf('args.normalizeBy', normalizeBy, ['classes', 'positives']);
    super(args, 'weighted_binary_focal_crossentropy', [...FOCAL_PARAMS, 'posWeight', 'normalizeBy']);
    defineFields(this, { gamma, alpha, normalizeBy });
  }

  protected override weightedPerSample(yTrue: tf.Tensor, yPred: tf.Tensor, batch: BatchWeights): tf.Tensor {
    const scale = () => {
      const { positives, sw } = batch.weights();
      // 'classes': the mean over the classes; 'positives': the sum, scaled so tfjs' batch mean is sum / #positive labels.
      return this.normalizeBy === 'classes' ? tf.mul(sw, 1 / this.numClasses) : tf.div(tf.mul(sw, positives.shape[0]!), tf.maximum(tf.sum(positives), 1));
    };
    return focalRows(yPred, this.from, () => ({ y: this.smoothed(yTrue), scale: scale() }), { gamma: this.gamma, alpha: this.alpha, epsilon: this.epsilon, ...(this.posWeight === undefined ? {} : { posWeight: this.posWeight }) });
  }

  /**
   * Rebuilds a loss from {@link WeightedLoss.getConfig}'s `config`.
   *
   * @param _cls - Unused (the `tf.serialization` signature).
   * @param config - The config.
   * @returns A new loss.
   */
  static fromConfig(_cls: unknown, config: WeightedBinaryFocalCrossentropyArgs): WeightedBinaryFocalCrossentropy {
    return restoreLoss(config, (args) => new WeightedBinaryFocalCrossentropy(args));
  }
}

/**
 * Creates a {@link WeightedBinaryFocalCrossentropy}.
 *
 * @param args - See {@link WeightedBinaryFocalCrossentropyArgs}.
 * @returns The loss, a function `model.compile` takes as it is.
 *
 * @example
 * ```ts
 * model.compile({ optimizer: 'adam', loss: weightedBinaryFocalCrossentropy({ numClasses: 29, gamma: 2 }) });
 * ```
 */
export function weightedBinaryFocalCrossentropy(args: WeightedBinaryFocalCrossentropyArgs): WeightedBinaryFocalCrossentropy {
  return new WeightedBinaryFocalCrossentropy(args);
}
