import * as tf from '@tensorflow/tfjs-core';
import { type BatchWeights, checkFactoryCalled, defineFields, shapeOf, WeightedLoss, type WeightedLossArgs } from '../kit.js';
import { InvalidOptionError, ShapeMismatchError } from '@tfjs-imbalance/weight-schemes';
import { logPriorShift, type LogitAdjustment } from './logit-adjustment.js';
import { logProbabilities, toOneHot } from './softmax-cross-entropy.js';
import { restoreLoss } from '../../weighted-loss/restore.js';

/** Arguments of {@link WeightedCategoricalCrossentropy}. */
export interface WeightedCategoricalCrossentropyArgs extends WeightedLossArgs {
  /**
   * Logit adjustment (Menon et al., ICLR 2021): train on x + τ·log prior,
   * with the prior from these training counts, so the model's own argmax is
   * balanced across classes. Logits only. Defaults to none.
   */
  readonly logitAdjustment?: LogitAdjustment;
}

/**
 * Weighted categorical cross-entropy for single-label softmax models, for
 * `model.compile({ loss })`: per-sample loss = w[class] · CE, with labels as
 * class indices ([N] or [N, 1]) or one-hot [N, C]. With the same weights it
 * gives exactly the loss of tfjs' own `fit({ classWeight })`, and unlike it
 * the weights can change during `fit`.
 *
 * @example
 * ```ts
 * const loss = weightedCategoricalCrossentropy({ scheme: 'isns', counts: countIndices(yIdx, 10) });
 * model.compile({ optimizer: 'adam', loss });
 * ```
 */
export class WeightedCategoricalCrossentropy extends WeightedLoss {
  /** The name under which the class is registered with `tf.serialization`. */
  static readonly className = 'WeightedCategoricalCrossentropy';

  /**
   * @param args - See {@link WeightedCategoricalCrossentropyArgs}.
   */
  constructor(args: WeightedCategoricalCrossentropyArgs) {
    checkFactoryCalled('weightedCategoricalCrossentropy', args, 'model.compile({ loss: weightedCategoricalCrossentropy({ numClasses }) })');
    const shift = args?.logitAdjustment === undefined ? undefined : logPriorShift('args.logitAdjustment', args.logitAdjustment);
    if (shift !== undefined && (args.from ?? 'logits') !== 'logits') {
      throw new InvalidOptionError('args.from', "must be 'logits' with logitAdjustment: the adjustment shifts logits. Drop the softmax activation.");
    }
    // The adjustment is recorded under today's names (counts, not the former classCounts), so configs outlive the alias.
    const adjustment = args?.logitAdjustment;
    const recorded =
      adjustment === undefined ? {} : { logitAdjustment: { counts: adjustment.counts ?? adjustment.classCounts, ...(adjustment.tau === undefined ? {} : { tau: adjustment.tau }) } };
    super(args !== null && typeof args === 'object' ? { ...args, ...recorded } : args, 'weighted_categorical_crossentropy', ['logitAdjustment']);
    if (shift !== undefined && shift.length !== this.numClasses) {
      this.dispose();
      throw new ShapeMismatchError(`args.logitAdjustment.${args.logitAdjustment!.counts === undefined ? 'classCounts' : 'counts'}`, `has ${shift.length} counts but the loss has ${this.numClasses} classes.`);
    }
    const shiftTensor = shift === undefined ? undefined : tf.tidy(() => tf.keep(tf.tensor1d(shift)));
    defineFields(this, { logitShift: shiftTensor });
  }

  /** τ·log prior [C], with logit adjustment. */
  declare private readonly logitShift: tf.Tensor | undefined;

  override dispose(): void {
    if (this.logitShift !== undefined && !this.logitShift.isDisposed) this.logitShift.dispose();
    super.dispose();
  }

  protected override checkShapes(yTrue: tf.Tensor, yPred: tf.Tensor): void {
    if (yPred.rank !== 2 || yPred.shape[1] !== this.numClasses) {
      throw new ShapeMismatchError(
        'yPred',
        `has shape ${shapeOf(yPred)} but the loss has ${this.numClasses} class weights; the model needs [N, ${this.numClasses}] outputs.`,
      );
    }
    const sparse = yTrue.rank === 1 || (yTrue.rank === 2 && yTrue.shape[1] === 1);
    if (!sparse && !tf.util.arraysEqual(yTrue.shape, yPred.shape)) {
      throw new ShapeMismatchError(
        'yTrue',
        `has shape ${shapeOf(yTrue)} but yPred has shape ${shapeOf(yPred)}; pass class indices [N] or one-hot labels [N, ${this.numClasses}].`,
      );
    }
    if (yTrue.shape[0] !== yPred.shape[0]) {
      throw new ShapeMismatchError('yTrue', `has ${yTrue.shape[0]} rows (shape ${shapeOf(yTrue)}) but yPred has ${yPred.shape[0]} (shape ${shapeOf(yPred)}).`);
    }
  }

  protected override labelsInJs(d: ArrayLike<number>, yTrue: tf.Tensor): { binary: boolean } | undefined {
    const valid = { binary: false };
    if (yTrue.rank === 2 && yTrue.shape[1] !== 1) {
      // One-hot or soft rows: values in [0, 1], each row a distribution (a row of [0.5, 0.6] would scale its loss by 1.1).
      const C = yTrue.shape[1]!;
      for (let r = 0; r < d.length; r += C) {
        let sum = 0;
        for (let i = r; i < r + C; i++) {
          if (!(d[i]! >= 0 && d[i]! <= 1)) return undefined;
          sum += d[i]!;
        }
        if (!(Math.abs(sum - 1) <= 1e-4)) return undefined;
      }
      return valid;
    }
    for (let i = 0; i < d.length; i++) if (!(d[i]! >= 0 && d[i]! < this.numClasses && Number.isInteger(d[i]!))) return undefined;
    return valid;
  }

  protected override labelRange(): string {
    return `whole class indices in [0, ${this.numClasses - 1}], or one-hot or soft rows of values in [0, 1] that sum to 1`;
  }

  protected override invalidLabels(yTrue: tf.Tensor): tf.Tensor {
    if (yTrue.rank === 2 && yTrue.shape[1] !== 1) {
      // As labelsValid: values in [0, 1], and each row a distribution (its sum within 1e-4 of 1).
      const offSum = tf.sum(tf.cast(tf.greater(tf.abs(tf.sub(tf.sum(yTrue, 1), 1)), 1e-4), 'float32'));
      return tf.add(super.invalidLabels(yTrue), offSum);
    }
    const ok = tf.logicalAnd(
      tf.logicalAnd(tf.greaterEqual(yTrue, 0), tf.less(yTrue, this.numClasses)),
      tf.equal(yTrue, tf.floor(yTrue)),
    );
    return tf.sum(tf.cast(tf.logicalNot(ok), 'float32'));
  }

  protected override positives(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
    return tf.cast(tf.greaterEqual(toOneHot(yTrue, yPred), 0.5), 'float32');
  }

  protected override weightedPerSample(yTrue: tf.Tensor, yPred: tf.Tensor, batch: BatchWeights): tf.Tensor {
    const { sw } = batch.weights();
    const y = this.smoothed(toOneHot(yTrue, yPred), this.numClasses);
    const ce = tf.neg(tf.sum(tf.mul(y, logProbabilities(yPred, this.from, this.epsilon, this.logitShift)), -1, true));
    return tf.reshape(tf.mul(ce, sw), [-1]);
  }

  /**
   * Rebuilds a loss from {@link WeightedLoss.getConfig}'s `config`.
   *
   * @param _cls - Unused (the `tf.serialization` signature).
   * @param config - The config.
   * @returns A new loss.
   */
  static fromConfig(_cls: unknown, config: WeightedCategoricalCrossentropyArgs): WeightedCategoricalCrossentropy {
    return restoreLoss(config, (args) => new WeightedCategoricalCrossentropy(args));
  }
}

/**
 * Creates a {@link WeightedCategoricalCrossentropy}.
 *
 * @param args - See {@link WeightedCategoricalCrossentropyArgs}.
 * @returns The loss, a function `model.compile` takes as it is.
 *
 * @example
 * ```ts
 * model.compile({ optimizer: 'adam', loss: weightedCategoricalCrossentropy({ classWeights: [1, 5, 20], from: 'probabilities' }) });
 * ```
 */
export function weightedCategoricalCrossentropy(args: WeightedCategoricalCrossentropyArgs): WeightedCategoricalCrossentropy {
  return new WeightedCategoricalCrossentropy(args);
}
