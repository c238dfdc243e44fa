import * as tf from '@tensorflow/tfjs-core';
import { InvalidOptionError } from '@tfjs-imbalance/weight-schemes';
import { type BatchWeights, checkFactoryCalled, defineFields, describe, lossOp, WeightedLoss, type WeightedLossArgs } from '../kit.js';
import { ASYMMETRIC_PARAMS, checkAsymmetricParams, type AsymmetricParams, type ResolvedAsymmetricParams } from './params.js';
import { asymmetricMath } from './terms.js';
import { restoreLoss } from '../../weighted-loss/restore.js';
import { softLabelsOnDevice } from '../../weighted-loss/label-checks.js';

/**
 * Arguments of {@link AsymmetricLoss}: the ASL parameters and the weighting
 * arguments every loss class takes, except that `scheme` defaults to
 * `'none'` and `combine` to `'mean'`, so every sample weighs 1 unless asked.
 */
export interface AsymmetricLossClassArgs extends WeightedLossArgs, AsymmetricParams {}

/**
 * The Asymmetric Loss for `model.compile({ loss })`. Each sample's loss is
 * the sum of its element losses (the official reduction, per sample), times
 * the sample's weight from `yTrue` (uniform unless a scheme or class weights
 * are given); tfjs averages it over the batch. Logits only.
 *
 * @example
 * ```ts
 * const loss = asymmetricLoss({ numClasses: 29 });
 * model.compile({ optimizer: 'adam', loss });
 * ```
 */
export class AsymmetricLoss extends WeightedLoss {
  /** The name under which the class is registered with `tf.serialization`. */
  static readonly className = 'AsymmetricLoss';
  /** γ−, γ+, the margin, ε and whether the focusing weights are detached. */
  declare readonly params: ResolvedAsymmetricParams;

  /**
   * @param args - See {@link AsymmetricLossClassArgs}.
   */
  constructor(args: AsymmetricLossClassArgs) {
    checkFactoryCalled('asymmetricLoss', args, 'model.compile({ loss: asymmetricLoss({ numClasses }) })');
    if (args === null || typeof args !== 'object') throw new InvalidOptionError('args', `must be an object such as { numClasses: 29 }, got ${describe(args)}.`);
    const params = checkAsymmetricParams('args', args);
    if ((args.from ?? 'logits') !== 'logits') {
      throw new InvalidOptionError('args.from', "must be 'logits': the Asymmetric Loss is defined on logits. Drop the output activation.");
    }
    // epsilon is ASL's floor in the logs (the former eps, resolved once): the class records it under one name.
    const { eps: _eps, ...rest } = args;
    super({ ...rest, epsilon: params.epsilon, scheme: args.scheme ?? 'none', combine: args.combine ?? 'mean' }, 'asymmetric_loss', ASYMMETRIC_PARAMS);
    defineFields(this, { params });
  }

  /** 0/1 labels take a cheaper exact form: tell the label checks to find out. */
  protected override softLabels(yTrue: tf.Tensor): tf.Tensor {
    return softLabelsOnDevice(yTrue);
  }

  protected override weightedPerSample(yTrue: tf.Tensor, yPred: tf.Tensor, batch: BatchWeights): tf.Tensor {
    // Labels checked this call and all 0 or 1 (and not smoothed): one log per element instead of two.
    const math = asymmetricMath(this.params, batch.binary && this.labelSmoothing === 0);
    return lossOp(yPred, () => ({ y: this.smoothed(yTrue), scale: batch.weights().sw }), math);
  }

  /**
   * Rebuilds a loss from {@link WeightedLoss.getConfig}'s `config`.
   *
   * @param _cls - Unused (the `tf.serialization` signature).
   * @param config - The config.
   * @returns A new loss.
   */
  static fromConfig(_cls: unknown, config: AsymmetricLossClassArgs): AsymmetricLoss {
    return restoreLoss(config, (args) => new AsymmetricLoss(args));
  }
}

/**
 * Creates an {@link AsymmetricLoss} for `model.compile`.
 *
 * @param args - See {@link AsymmetricLossClassArgs}.
 * @returns The loss, a function `model.compile` takes as it is.
 *
 * @example
 * ```ts
 * const loss = asymmetricLoss({ numClasses: 29, gammaNeg: 4, gammaPos: 0, clip: 0.05 });
 * ```
 */
export function asymmetricLoss(args: AsymmetricLossClassArgs): AsymmetricLoss {
  return new AsymmetricLoss(args);
}
