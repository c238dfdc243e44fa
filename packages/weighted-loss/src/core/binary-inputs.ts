import * as tf from '@tensorflow/tfjs-core';
import { InvalidOptionError, ShapeMismatchError } from '@tfjs-imbalance/weight-schemes';
import { checkFloat32Backend, checkRange, describe } from '@tfjs-imbalance/weight-schemes/internal';
import { asTensor, checkBroadcastsTo, checkSameShape, checkValues, shapeOf, type TensorInput } from './tensor-input.js';

export type { PredictionKind } from '@tfjs-imbalance/weight-schemes';
import type { PredictionKind } from '@tfjs-imbalance/weight-schemes';

/**
 * Checks `from`.
 * @internal
 */
export function checkFrom(argument: string, from: unknown): PredictionKind {
  if (from !== 'logits' && from !== 'probabilities') {
    throw new InvalidOptionError(argument, `must be 'logits' or 'probabilities', got ${describe(from)}.`);
  }
  return from;
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
 * broadcastable weights, and (when `validate`) finite values in range. Call
 * inside `tf.tidy`.
 * @internal
 */
export function binaryInputs(
  yTrue: TensorInput,
  yPred: TensorInput,
  weights: TensorInput | undefined,
  from: PredictionKind,
  validate: boolean,
  extra: ReadonlyArray<readonly [string, tf.Tensor, number, number]> = [],
): { y: tf.Tensor; x: tf.Tensor; w: tf.Tensor | undefined } {
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
  return { y: tf.cast(t, 'float32'), x: x.dtype === 'float32' ? x : tf.cast(x, 'float32'), w };
}

/**
 * Checks a `posWeight` tensor against the class axis.
 * @internal
 */
export function checkPosWeight(pw: tf.Tensor, yPred: tf.Tensor): void {
  const C = yPred.shape[yPred.rank - 1];
  if (pw.rank !== 1 || pw.shape[0] !== C) {
    throw new ShapeMismatchError(
      'posWeight',
      `has shape ${shapeOf(pw)} but needs one value per class, [${C}], for predictions of shape ${shapeOf(yPred)}.`,
    );
  }
}
