import * as tf from '@tensorflow/tfjs-core';
import { InvalidOptionError } from '@tfjs-imbalance/weight-schemes';
import { checkClassWeights, checkFloat32Backend } from '@tfjs-imbalance/weight-schemes/internal';
import { checkEpsilon, checkFrom, checkOptionNames, checkRange, checkReduction, defineFields, describe, optionNames, type PredictionKind, reduce, type TensorInput } from '../kit.js';
import { logProbabilities, softmaxRows } from './softmax-cross-entropy.js';
import { WeightedCategoricalCrossentropy, type WeightedCategoricalCrossentropyArgs } from './weighted-categorical-crossentropy.js';
import { restoreLoss } from '../../weighted-loss/restore.js';

/** Keras' `CategoricalFocalCrossentropy` parameters. */
export interface SoftmaxFocalParams {
  /** The focusing parameter γ ≥ 0; 0 gives the (α-scaled) cross-entropy. Defaults to `2`, as Keras. */
  readonly gamma?: number;
  /** Keras' α: one factor for every class, or one per class [C] (such as inverse class frequencies). Defaults to `0.25`, as Keras. */
  readonly alpha?: number | readonly number[];
}

/** Checks γ and α of the softmax focal loss and fills in Keras' defaults (γ = 2, α = 0.25). @internal */
function checkSoftmaxFocalParams(argument: string, p: SoftmaxFocalParams): { gamma: number; alpha: number | number[] } {
  const gamma = checkRange(`${argument}.gamma`, p.gamma ?? 2, { min: 0, max: 20, hint: 'Typical values are 0.5 to 5.' });
  const a = p.alpha ?? 0.25;
  if (typeof a === 'number') return { gamma, alpha: checkRange(`${argument}.alpha`, a, { min: 0, hint: "Keras' default is 0.25; pass one α per class as an array." }) };
  if (!Array.isArray(a)) throw new InvalidOptionError(`${argument}.alpha`, `must be a number or one number per class, got ${describe(a)}.`);
  return { gamma, alpha: checkClassWeights(`${argument}.alpha`, a) };
}

/** The focal terms α_c·(1 − p_c)^γ·(−y_c·log p_c) [M, C] from targets and log-probabilities. Inside `tf.tidy`. */
function focalClassLosses(y: tf.Tensor, logp: tf.Tensor, gamma: number, alpha: tf.Tensor | number): tf.Tensor {
  const ce = tf.neg(tf.mul(y, logp));
  const modulated = gamma === 0 ? ce : tf.mul(tf.pow(tf.maximum(tf.sub(1, tf.exp(logp)), 0), gamma), ce);
  return tf.mul(modulated, alpha);
}

/** Arguments of {@link softmaxFocalLoss}. */
export interface SoftmaxFocalLossArgs extends SoftmaxFocalParams {
  /** What `yPred` holds: logits or softmax probabilities. Defaults to `'logits'` (Keras defaults to probabilities: pass `from: 'probabilities'` for its default). */
  readonly from?: PredictionKind;
  /** Keras' label smoothing ε: targets y·(1 − ε) + ε/C. Defaults to `0`. */
  readonly labelSmoothing?: number;
  /** How the per-position loss is reduced: `'none'` (one value per sample or position), `'mean'` (Keras' batch mean) or `'sum'`. Defaults to `'mean'`. */
  readonly reduction?: 'none' | 'mean' | 'sum';
  /** The clip of probabilities, as Keras (`1e-7`); on logits the log-softmax is exact and not clipped. */
  readonly epsilon?: number;
  /** PyTorch's `ignore_index` (Keras' `ignore_class`), for class-index labels: those positions lose 0 and `'mean'` divides by the others. Defaults to none. */
  readonly ignoreIndex?: number;
  /** Whether to read the inputs back and reject NaN, Infinity and bad labels. Defaults to `true`, but `false` on WebGL and WebGPU. */
  readonly validate?: boolean;
}

const SOFTMAX_FOCAL_ARGS = optionNames<SoftmaxFocalLossArgs>()('gamma', 'alpha', 'from', 'labelSmoothing', 'reduction', 'epsilon', 'ignoreIndex', 'validate');

/**
 * The categorical (softmax) focal loss of Keras' `CategoricalFocalCrossentropy`
 * (Lin et al. 2017): Σ_c α_c·(1 − p_c)^γ·(−y_c·log p_c) per sample (or
 * position), for single-label models, with class indices or one-hot labels.
 *
 * Where it differs from Keras, on purpose: `from` defaults to `'logits'`
 * (as every loss here), and on logits log p is the stable log-softmax, not
 * log of a probability clipped to [1e-7, 1 − 1e-7] (equal wherever
 * 1e-7 < p < 1 − 1e-7; beyond, the gradient is not cut to 0).
 *
 * @param yTrue - Class indices [N] (or [N, ...] per position), or one-hot / soft labels [N, C] ([N, ..., C]).
 * @param yPred - Logits (or probabilities with `from: 'probabilities'`), [N, C] or [N, ..., C] with the class axis last.
 * @param args - See {@link SoftmaxFocalLossArgs}.
 * @returns The loss, reduced as asked.
 *
 * @example Keras' defaults (γ = 2, α = 0.25) on probabilities
 * ```ts
 * softmaxFocalLoss([[0, 1, 0], [0, 0, 1]], [[0.05, 0.9, 0.05], [0.1, 0.85, 0.05]], { from: 'probabilities', reduction: 'none' });
 * ```
 */
export function softmaxFocalLoss(yTrue: TensorInput, yPred: TensorInput, args: SoftmaxFocalLossArgs = {}): tf.Tensor {
  checkOptionNames('args', args, SOFTMAX_FOCAL_ARGS);
  const { gamma, alpha } = checkSoftmaxFocalParams('args', args);
  const from = checkFrom('args.from', args.from ?? 'logits');
  const reduction = checkReduction('args.reduction', args.reduction ?? 'mean', ['none', 'mean', 'sum'] as const);
  const epsilon = checkEpsilon('args.epsilon', args.epsilon);
  const smoothing = checkRange('args.labelSmoothing', args.labelSmoothing ?? 0, { min: 0, max: 1, maxExclusive: true });
  checkFloat32Backend(tf, 'the loss');
  return tf.tidy(() => {
    const { x, y, positions } = softmaxRows(yTrue, yPred, from, args);
    const C = x.shape[1]!;
    if (Array.isArray(alpha) && alpha.length !== C) {
      throw new InvalidOptionError('args.alpha', `has ${alpha.length} values but yPred has ${C} classes; pass one α per class or a single number.`);
    }
    const labelled = tf.sum(y, 1, true); // 1 per labelled row, 0 per ignored one
    const target = smoothing === 0 ? y : tf.add(tf.mul(y, 1 - smoothing), tf.mul(labelled, smoothing / C));
    const perRow = tf.sum(focalClassLosses(target, logProbabilities(x, from, epsilon), gamma, Array.isArray(alpha) ? tf.tensor1d(alpha) : alpha), 1);
    if (reduction === 'none') return tf.reshape(perRow, positions);
    if (reduction === 'mean' && args.ignoreIndex !== undefined) return tf.div(tf.sum(perRow), tf.maximum(tf.sum(labelled), 1));
    return reduce(perRow, reduction);
  });
}

/** Arguments of {@link WeightedCategoricalFocalCrossentropy}. */
export interface WeightedCategoricalFocalCrossentropyArgs extends WeightedCategoricalCrossentropyArgs, SoftmaxFocalParams {}

/**
 * Keras' `CategoricalFocalCrossentropy` for `model.compile({ loss })`, times
 * per-sample weights from `yTrue` (as {@link WeightedCategoricalCrossentropy}:
 * a scheme, counts, the callback, an ignored class, per-position outputs).
 * Without class weights (`classWeights` of 1) it is Keras' loss.
 *
 * @example Token tagging with an ignored padding index
 * ```ts
 * const loss = weightedCategoricalFocalCrossentropy({ numClasses: 9, gamma: 2, alpha: 0.25, ignoreClass: -1 });
 * model.compile({ optimizer: 'adam', loss }); // outputs [N, T, 9], labels [N, T]
 * ```
 */
export class WeightedCategoricalFocalCrossentropy extends WeightedCategoricalCrossentropy {
  /** The name under which the class is registered with `tf.serialization`. */
  static override readonly className = 'WeightedCategoricalFocalCrossentropy';
  /** γ. */
  declare readonly gamma: number;
  /** α: one for every class, or one per class. */
  declare readonly alpha: number | readonly number[];
  declare private readonly alphaTensor: tf.Tensor | undefined;

  /**
   * @param args - See {@link WeightedCategoricalFocalCrossentropyArgs}.
   */
  constructor(args: WeightedCategoricalFocalCrossentropyArgs) {
    // Checked before super(), which allocates the variables.
    const { gamma, alpha } = checkSoftmaxFocalParams('args', args ?? {});
    super(args, 'weighted_categorical_focal_crossentropy', ['gamma', 'alpha']);
    if (Array.isArray(alpha) && alpha.length !== this.numClasses) {
      this.dispose();
      throw new InvalidOptionError('args.alpha', `has ${alpha.length} values but the loss has ${this.numClasses} classes; pass one α per class or a single number.`);
    }
    defineFields(this, { gamma, alpha, alphaTensor: Array.isArray(alpha) ? tf.tidy(() => tf.keep(tf.tensor1d(alpha))) : undefined });
  }

  protected override classLosses(y: tf.Tensor, logp: tf.Tensor): tf.Tensor {
    return focalClassLosses(y, logp, this.gamma, this.alphaTensor ?? (this.alpha as number));
  }

  override dispose(): void {
    if (this.alphaTensor !== undefined && !this.alphaTensor.isDisposed) this.alphaTensor.dispose();
    super.dispose();
  }

  /**
   * Rebuilds a loss from {@link WeightedLoss.getConfig}'s `config`.
   *
   * @param _cls - Unused (the `tf.serialization` signature).
   * @param config - The config.
   * @returns A new loss.
   */
  static override fromConfig(_cls: unknown, config: WeightedCategoricalFocalCrossentropyArgs): WeightedCategoricalFocalCrossentropy {
    return restoreLoss(config, (args) => new WeightedCategoricalFocalCrossentropy(args));
  }
}

/**
 * Creates a {@link WeightedCategoricalFocalCrossentropy}.
 *
 * @param args - See {@link WeightedCategoricalFocalCrossentropyArgs}.
 * @returns The loss, a function `model.compile` takes as it is.
 *
 * @example
 * ```ts
 * model.compile({ optimizer: 'adam', loss: weightedCategoricalFocalCrossentropy({ scheme: 'ens', counts: countIndices(yIdx, 10), gamma: 2 }) });
 * ```
 */
export function weightedCategoricalFocalCrossentropy(args: WeightedCategoricalFocalCrossentropyArgs): WeightedCategoricalFocalCrossentropy {
  return new WeightedCategoricalFocalCrossentropy(args);
}
