import * as tf from '@tensorflow/tfjs-core';
import { ShapeMismatchError } from '@tfjs-imbalance/weight-schemes';
import { checkFloat32Backend, checkOneOf, checkRange } from '@tfjs-imbalance/weight-schemes/internal';
import { asTensor, checkBroadcastsTo, checkSameShape, checkValues, shapeOf, type TensorInput } from './tensor-input.js';

export type { PredictionKind } from '@tfjs-imbalance/weight-schemes';
import type { PredictionKind } from '@tfjs-imbalance/weight-schemes';

/**
 * Checks `from`.
 * @internal
 */
export function checkFrom(argument: string, from: unknown): PredictionKind {
  return checkOneOf(argument, from, ['logits', 'probabilities']);
}

/**
 * Checks `epsilon`, the clip of probabilities with `from: 'probabilities'`, and fills in its default, 1e-7 (as tfjs-layers).
 * @internal
 */
export function checkEpsilon(argument: string, epsilon: unknown): number {
  return checkRange(argument, epsilon ?? 1e-7, { min: 0, minExclusive: true, max: 0.5, maxExclusive: true, hint: 'log(0) is −∞; the default is 1e-7.' });
}

/**
 * Reads and checks the inputs of an element-wise binary loss: same shapes,
 * broadcastable weights, and (when `validate`) finite values in range. Inputs
 * of any rank ≥ 1 have their class axis last (Keras' convention): every
 * position [N, ..., C] becomes a row, so the loss math sees [M, C] (M = N·…),
 * and `shape`, the predictions' own shape, is what {@link reduce} gives back
 * for `'none'` and `'per-sample'`. Weights that are not per class are
 * broadcast to the predictions' shape and flattened alike. Call inside `tf.tidy`.
 * @internal
 */
export function binaryInputs(
  yTrue: TensorInput,
  yPred: TensorInput,
  weights: TensorInput | undefined,
  from: PredictionKind,
  validate: boolean,
  extra: ReadonlyArray<readonly [string, tf.Tensor, number, number]> = [],
): { y: tf.Tensor; x: tf.Tensor; w: tf.Tensor | undefined; shape: number[] } {
  checkFloat32Backend(tf, 'the loss');
  const t = asTensor('yTrue', yTrue);
  const x = asTensor('yPred', yPred);
  checkSameShape(t, x);
  const w = weights === undefined ? undefined : asTensor('weights', weights);
  if (w !== undefined) checkBroadcastsTo('weights', w, x);
  if (validate) {
    checkValues([
      ['yTrue', t, 0, 1],
      ['yPred', x, from === 'logits' ? -Infinity : 0, from === 'logits' ? Infinity : 1],
      ...(w === undefined ? [] : ([['weights', w, 0, Infinity]] as const)),
      ...extra,
    ]);
  }
  // Integer logits would make every op integer arithmetic (truncated values): compute in float32.
  const xf = x.dtype === 'float32' ? x : tf.cast(x, 'float32');
  return { y: asRows(tf.cast(t, 'float32')), x: asRows(xf), w: w === undefined ? undefined : perElementRows(w, x.shape), shape: x.shape };
}

/**
 * Predictions or labels with the class axis last, as rows [M, C]: each
 * position of [N, ..., C] (or the one row of [C]) is a row. Rank 2 passes
 * through. Call inside `tf.tidy`.
 * @internal
 */
export function asRows(t: tf.Tensor): tf.Tensor {
  return t.rank === 2 ? t : reshapeOffTape(t, [-1, t.shape[t.rank - 1]!]);
}

/**
 * `tf.reshape` with its gradient, without the gradient tape's copy: tfjs'
 * reshape saves its input for the backward pass, and ops under the tape
 * clone what they save (a full copy of a segmentation batch each step); here
 * the backward pass needs only the shape. Call inside `tf.tidy`.
 * @internal
 */
export function reshapeOffTape(x: tf.Tensor, shape: number[]): tf.Tensor {
  const from = x.shape;
  return tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => ({
    value: tf.reshape(args[0] as tf.Tensor, shape),
    gradFunc: (dy: tf.Tensor | tf.Tensor[]) => tf.reshape(dy as tf.Tensor, from),
  }))(x);
}

/**
 * A weight that broadcasts to `shape` (checked before), in the rows of
 * {@link asRows}: a scalar or a per-class [C] weight stays as it is; any
 * other is broadcast to `shape` and flattened. Call inside `tf.tidy`.
 * @internal
 */
export function perElementRows(w: tf.Tensor, shape: number[]): tf.Tensor {
  if (shape.length === 2 || w.rank <= 1) return w;
  return asRows(tf.broadcastTo(w.rank === shape.length ? w : tf.reshape(w, [...new Array<number>(shape.length - w.rank).fill(1), ...w.shape]), shape));
}

/**
 * Checks a `posWeight` tensor against the predictions' shape, as PyTorch
 * broadcasts `pos_weight`: per class [C] (or [1, C]), or any shape that
 * broadcasts to the predictions without changing them ([N, C], [N, T, C]…).
 * Returns it in the rows of {@link asRows}: per class as [C], else per
 * element [M, C]. Call inside `tf.tidy`.
 * @internal
 */
export function posWeightRows(pw: tf.Tensor, shape: number[]): tf.Tensor {
  const C = shape[shape.length - 1]!;
  const ok = pw.rank >= 1 && pw.rank <= shape.length && pw.shape.every((d, i) => d === 1 || d === shape[shape.length - pw.rank + i]);
  if (!ok) {
    throw new ShapeMismatchError(
      'posWeight',
      `has shape ${shapeOf(pw)}, which does not broadcast to the predictions' shape ${shapeOf({ shape })}. ` +
        `Pass one value per class, [${C}] (or [1, ${C}]), or one per element, ${shapeOf({ shape })}.`,
    );
  }
  const last = pw.shape[pw.rank - 1]!;
  if (pw.size === last) return last === C && pw.rank === 1 ? pw : tf.broadcastTo(tf.reshape(pw, [last]), [C]); // per class (or one for all)
  return perElementRows(pw, shape);
}
