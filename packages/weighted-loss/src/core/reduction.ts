import * as tf from '@tensorflow/tfjs-core';
import { InvalidOptionError } from '@tfjs-imbalance/weight-schemes';
import { describe } from '@tfjs-imbalance/weight-schemes/internal';

/**
 * How an element-wise loss [N, C] is reduced:
 * - `'none'`: the element-wise loss;
 * - `'mean'`: the mean over every element (PyTorch's default);
 * - `'sum'`: the sum over every element;
 * - `'per-sample'`: the mean over the class axis, one value per sample [N], which is what tfjs-layers losses return.
 */
export type Reduction = 'none' | 'mean' | 'sum' | 'per-sample';

/** The reductions every loss accepts. */
export const REDUCTIONS: readonly Reduction[] = ['none', 'mean', 'sum', 'per-sample'];

/**
 * Checks a reduction name.
 * @internal
 */
export function checkReduction<R extends string>(argument: string, value: unknown, allowed: readonly R[]): R {
  if (!allowed.includes(value as R)) {
    throw new InvalidOptionError(argument, `must be one of ${allowed.map((r) => `'${r}'`).join(', ')}, got ${describe(value)}.`);
  }
  return value as R;
}

/**
 * Reduces an element-wise loss. With `shape`, the predictions' own shape
 * (class axis last) when the loss ran on their positions as rows [M, C],
 * `'none'` gives that shape back and `'per-sample'` that shape without its
 * class axis: one value per position, as Keras' losses return. Call inside `tf.tidy`.
 * @internal
 */
export function reduce(elementwise: tf.Tensor, reduction: Reduction, shape?: readonly number[]): tf.Tensor {
  const back = (t: tf.Tensor, s: readonly number[] | undefined): tf.Tensor => (s === undefined || tf.util.arraysEqual(t.shape, s as number[]) ? t : tf.reshape(t, s as number[]));
  switch (reduction) {
    case 'none':
      return back(elementwise, shape);
    case 'mean':
      return tf.mean(elementwise);
    case 'sum':
      return tf.sum(elementwise);
    case 'per-sample':
      return back(tf.mean(elementwise, -1), shape?.slice(0, -1));
  }
}
