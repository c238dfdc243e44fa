import * as tf from '@tensorflow/tfjs-core';
import { EmptyClassError, InvalidOptionError, ShapeMismatchError, type ClassCounts } from '@tfjs-imbalance/weight-schemes';
import { asTensor, checkCounts, checkOptionNames, checkRange, describe, optionNames, renamedOption, shapeOf, type TensorInput } from '../kit.js';
import { softmaxCrossEntropy, type SoftmaxReduction } from './softmax-cross-entropy.js';
import { validateByDefault } from '../../core/tensor-input.js';

/** The prior a logit adjustment uses. Pass `counts`. */
export interface LogitAdjustment {
  /** The training count of each class, as a list or `countMultiHot(yTrain)`; the prior is counts / Σ counts. Required. */
  readonly counts?: ClassCounts | readonly number[];
  /**
   * The former name of `counts`.
   * @deprecated Use `counts`, the name every package uses for class counts. Removed in 0.3.
   */
  readonly classCounts?: readonly number[];
  /** The strength τ ≥ 0; 1 is the Bayes-optimal choice for balanced error. Defaults to `1`. */
  readonly tau?: number;
}

/** Arguments of {@link logitAdjustedCrossEntropy}. */
export interface LogitAdjustedCrossEntropyArgs extends LogitAdjustment {
  /** `'mean'` over the batch, `'sum'` or `'none'`. Defaults to `'mean'`. */
  readonly reduction?: Exclude<SoftmaxReduction, 'weighted-mean'>;
  /** Whether to read the inputs back and reject bad values. Defaults to `true`, but `false` on WebGL and WebGPU, where the read would block (stall WebGL, lose the WebGPU device): pass `true` to check there anyway. */
  readonly validate?: boolean;
}

/** τ·log(prior) per class, checked. @internal */
export function logPriorShift(argument: string, a: LogitAdjustment): number[] {
  if (a === null || typeof a !== 'object') throw new InvalidOptionError(argument, `expected { counts, tau }, got ${describe(a)}.`);
  const given = renamedOption<ClassCounts | readonly number[]>(argument, a, 'counts');
  const name = `${argument}.${given?.name ?? 'counts'}`;
  const raw = given?.value;
  const list = raw !== null && typeof raw === 'object' && !Array.isArray(raw) && Array.isArray((raw as ClassCounts).positives) ? (raw as ClassCounts).positives : raw;
  const counts = checkCounts(name, list as readonly number[], true);
  const empty = counts.flatMap((n, i) => (n === 0 ? [i] : []));
  if (empty.length > 0) {
    throw new EmptyClassError(
      name,
      empty,
      `class${empty.length > 1 ? 'es' : ''} ${empty.join(', ')} ${empty.length > 1 ? 'have' : 'has'} a count of 0, so log(prior) is −∞. ` +
        'Count more data, or add a pseudo-count (e.g. 1) to every class.',
    );
  }
  const tau = checkRange(`${argument}.tau`, a.tau ?? 1, { min: 0, max: 10, hint: 'Menon et al. use τ = 1.' });
  const total = counts.reduce((s, n) => s + n, 0);
  return counts.map((n) => tau * Math.log(n / total));
}

/**
 * The logit-adjusted softmax cross-entropy of Menon et al. (ICLR 2021):
 * cross_entropy(x + τ·log prior, y). Training with it makes the plain
 * `argmax(x)` balanced across classes: rare classes need a larger margin.
 *
 * @param yTrue - Class indices [N] (or [N, 1]), or one-hot labels [N, C].
 * @param logits - Logits [N, C].
 * @param args - The class counts and τ; see {@link LogitAdjustedCrossEntropyArgs}.
 * @returns The loss, reduced as asked (the batch mean by default).
 *
 * @example
 * ```ts
 * logitAdjustedCrossEntropy([0, 2], [[2.0, 0.1, -1], [0.3, 0.2, 0.9]], { counts: [500, 70, 10] });
 * ```
 */
export function logitAdjustedCrossEntropy(yTrue: TensorInput, logits: TensorInput, args: LogitAdjustedCrossEntropyArgs): tf.Tensor {
  if (args === null || typeof args !== 'object') throw new InvalidOptionError('args', `must be an object such as { counts }, got ${describe(args)}.`);
  checkOptionNames('args', args, optionNames<LogitAdjustedCrossEntropyArgs>()('counts', 'classCounts', 'tau', 'reduction', 'validate'));
  const shift = logPriorShift('args', args);
  return tf.tidy(() => {
    // Centred first (softmax cross-entropy ignores a per-row shift): next to large logits, τ·log prior would round away.
    const x = shifted(logits, shift, 1, true);
    return softmaxCrossEntropy(yTrue, x, { reduction: args.reduction ?? 'mean', validate: args.validate ?? validateByDefault() });
  });
}

/**
 * The post-hoc logit adjustment: x − τ·log prior. Apply it to the logits of
 * a model trained plainly, then take the argmax, for predictions balanced
 * across classes (Menon et al., ICLR 2021).
 *
 * @param logits - Logits [N, C].
 * @param adjustment - The training counts and τ (default 1).
 * @returns The adjusted logits [N, C].
 *
 * @example
 * ```ts
 * const balanced = tf.argMax(adjustLogits(model.predict(x) as tf.Tensor, { counts }), 1);
 * ```
 */
export function adjustLogits(logits: TensorInput, adjustment: LogitAdjustment): tf.Tensor {
  const shift = logPriorShift('adjustment', adjustment);
  return tf.tidy(() => shifted(logits, shift, -1));
}

function shifted(logits: TensorInput, shift: readonly number[], sign: 1 | -1, centre = false): tf.Tensor {
  const x = asTensor('logits', logits);
  if (x.rank !== 2 || x.shape[1] !== shift.length) {
    throw new ShapeMismatchError('logits', `has shape ${shapeOf(x)} but the class counts cover ${shift.length} classes; pass [N, ${shift.length}] logits.`);
  }
  return tf.add(centre ? tf.sub(x, tf.max(x, 1, true)) : x, tf.tensor1d(shift.map((s) => sign * s)));
}
