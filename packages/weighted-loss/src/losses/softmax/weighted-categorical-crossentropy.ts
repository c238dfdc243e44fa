import * as tf from '@tensorflow/tfjs-core';
import { type BatchWeights, checkFactoryCalled, defineFields, describe, shapeOf, WeightedLoss, type WeightedLossArgs } from '../kit.js';
import { InvalidOptionError, ShapeMismatchError, type Task } from '@tfjs-imbalance/weight-schemes';
import { logPriorShift, type LogitAdjustment } from './logit-adjustment.js';
import { isSparse, logProbabilities, toOneHot } from './softmax-cross-entropy.js';
import { asRows } from '../../core/binary-inputs.js';
import { checkClassAxis } from '../../weighted-loss/label-checks.js';
import { restoreLoss } from '../../weighted-loss/restore.js';

/** Arguments of {@link WeightedCategoricalCrossentropy}. */
export interface WeightedCategoricalCrossentropyArgs extends WeightedLossArgs {
  /**
   * Logit adjustment (Menon et al., ICLR 2021): train on x + τ·log prior,
   * with the prior from these training counts, so the model's own argmax is
   * balanced across classes. Logits only. Defaults to none.
   */
  readonly logitAdjustment?: LogitAdjustment;
  /**
   * Keras' `ignore_class`: a class index whose positions carry no label (a
   * void pixel such as 255, padding such as −1), for class-index labels. Those
   * positions weigh 0 and are not counted; the others are scaled by
   * positions / labelled positions, so the batch mean tfjs takes is the mean
   * over the labelled positions, as Keras'. Defaults to none.
   */
  readonly ignoreClass?: number;
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
  static readonly className: string = 'WeightedCategoricalCrossentropy';

  /**
   * @param args - See {@link WeightedCategoricalCrossentropyArgs}.
   * @param defaultName - For a subclass: its snake_case name.
   * @param extraArgs - For a subclass: the option names it adds.
   */
  constructor(args: WeightedCategoricalCrossentropyArgs, defaultName = 'weighted_categorical_crossentropy', extraArgs: readonly string[] = []) {
    const factory = defaultName.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());
    checkFactoryCalled(factory, args, `model.compile({ loss: ${factory}({ numClasses }) })`);
    const shift = args?.logitAdjustment === undefined ? undefined : logPriorShift('args.logitAdjustment', args.logitAdjustment);
    if (shift !== undefined && (args.from ?? 'logits') !== 'logits') {
      throw new InvalidOptionError('args.from', "must be 'logits' with logitAdjustment: the adjustment shifts logits. Drop the softmax activation.");
    }
    // The adjustment is recorded under today's names (counts, not the former classCounts), so configs outlive the alias.
    const adjustment = args?.logitAdjustment;
    const recorded =
      adjustment === undefined ? {} : { logitAdjustment: { counts: adjustment.counts ?? adjustment.classCounts, ...(adjustment.tau === undefined ? {} : { tau: adjustment.tau }) } };
    if (args?.ignoreClass !== undefined && !Number.isInteger(args.ignoreClass)) {
      throw new InvalidOptionError('args.ignoreClass', `must be a whole class index (such as 255 or -1), got ${describe(args.ignoreClass)}.`);
    }
    super(args !== null && typeof args === 'object' ? { ...args, ...recorded } : args, defaultName, ['logitAdjustment', 'ignoreClass', ...extraArgs]);
    if (shift !== undefined && shift.length !== this.numClasses) {
      this.dispose();
      throw new ShapeMismatchError(`args.logitAdjustment.${args.logitAdjustment!.counts === undefined ? 'classCounts' : 'counts'}`, `has ${shift.length} counts but the loss has ${this.numClasses} classes.`);
    }
    const shiftTensor = shift === undefined ? undefined : tf.tidy(() => tf.keep(tf.tensor1d(shift)));
    defineFields(this, { logitShift: shiftTensor, ignoreClass: args.ignoreClass });
  }

  /** The class index of positions without a label (Keras' `ignore_class`), if any. */
  declare readonly ignoreClass: number | undefined;

  /** `'multiclass'`: one class per row (or position), through a softmax. */
  override get task(): Task {
    return 'multiclass';
  }

  /** τ·log prior [C], with logit adjustment. */
  declare private readonly logitShift: tf.Tensor | undefined;

  override dispose(): void {
    if (this.logitShift !== undefined && !this.logitShift.isDisposed) this.logitShift.dispose();
    super.dispose();
  }

  protected override checkShapes(yTrue: tf.Tensor, yPred: tf.Tensor): void {
    checkClassAxis(yPred, this.numClasses);
    const positions = yPred.shape.slice(0, -1);
    const sparse = isSparse(yTrue, yPred);
    const fits = sparse ? tf.util.arraysEqual(yTrue.shape.slice(0, positions.length), positions) : tf.util.arraysEqual(yTrue.shape, yPred.shape);
    if (!fits) {
      throw new ShapeMismatchError(
        'yTrue',
        `has shape ${shapeOf(yTrue)} but yPred has shape ${shapeOf(yPred)}; pass class indices [${positions.join(', ')}] or one-hot labels ${shapeOf(yPred)}.`,
      );
    }
    if (!sparse && this.ignoreClass !== undefined) {
      throw new ShapeMismatchError('yTrue', `holds one-hot rows (shape ${shapeOf(yTrue)}), but ignoreClass applies to class indices; pass class indices [${positions.join(', ')}].`);
    }
  }

  protected override labelRows(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
    return isSparse(yTrue, yPred) ? tf.reshape(yTrue, [-1]) : asRows(yTrue);
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
    for (let i = 0; i < d.length; i++) if (!((d[i]! >= 0 && d[i]! < this.numClasses && Number.isInteger(d[i]!)) || d[i] === this.ignoreClass)) return undefined;
    return valid;
  }

  protected override labelRange(): string {
    return `whole class indices in [0, ${this.numClasses - 1}]${this.ignoreClass === undefined ? '' : ` (or the ignored class ${this.ignoreClass})`}, or one-hot or soft rows of values in [0, 1] that sum to 1`;
  }

  protected override invalidLabels(yTrue: tf.Tensor): tf.Tensor {
    if (yTrue.rank === 2 && yTrue.shape[1] !== 1) {
      // As labelsValid: values in [0, 1], and each row a distribution (its sum within 1e-4 of 1).
      const offSum = tf.sum(tf.cast(tf.greater(tf.abs(tf.sub(tf.sum(yTrue, 1), 1)), 1e-4), 'float32'));
      return tf.add(super.invalidLabels(yTrue), offSum);
    }
    let ok = tf.logicalAnd(tf.logicalAnd(tf.greaterEqual(yTrue, 0), tf.less(yTrue, this.numClasses)), tf.equal(yTrue, tf.floor(yTrue)));
    if (this.ignoreClass !== undefined) ok = tf.logicalOr(ok, tf.equal(yTrue, this.ignoreClass));
    return tf.sum(tf.cast(tf.logicalNot(ok), 'float32'));
  }

  protected override positives(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
    // An ignored position's one-hot row is all 0 (tf.oneHot of −1): it has no positive label.
    return tf.cast(tf.greaterEqual(toOneHot(yTrue, yPred, this.ignoreClass), 0.5), 'float32');
  }

  protected override countedRows(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor | undefined {
    return this.ignoreClass === undefined || !isSparse(yTrue, yPred) ? undefined : tf.cast(tf.notEqual(tf.reshape(yTrue, [-1, 1]), this.ignoreClass), 'float32');
  }

  /** Each class's term of a row's loss [N, C] from the targets and log-probabilities: −y·log p (a subclass may change it). Inside `tf.tidy`. */
  protected classLosses(y: tf.Tensor, logp: tf.Tensor): tf.Tensor {
    return tf.neg(tf.mul(y, logp));
  }

  protected override weightedPerSample(yTrue: tf.Tensor, yPred: tf.Tensor, batch: BatchWeights): tf.Tensor {
    const { sw } = batch.weights();
    const y = this.smoothed(toOneHot(yTrue, yPred, this.ignoreClass), this.numClasses);
    const ce = tf.sum(this.classLosses(y, logProbabilities(yPred, this.from, this.epsilon, this.logitShift)), -1, true);
    const labelled = this.countedRows(yTrue, yPred);
    if (labelled === undefined) return tf.reshape(tf.mul(ce, sw), [-1]);
    // Keras' masked mean: 0 at ignored positions, the others × positions / labelled positions (0 when none is labelled).
    const scale = tf.div(tf.scalar(labelled.shape[0]!), tf.maximum(tf.sum(labelled), 1));
    return tf.reshape(tf.mul(tf.mul(ce, sw), tf.mul(labelled, scale)), [-1]);
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
