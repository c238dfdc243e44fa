import * as tf from '@tensorflow/tfjs-core';
import { EmptyInputError, NonFiniteValueError, OutOfRangeError, ShapeMismatchError } from '@tfjs-imbalance/weight-schemes';
import { describe } from '@tfjs-imbalance/weight-schemes/internal';

/** A tensor, or nested arrays of numbers that become one. */
export type TensorInput = tf.Tensor | number | readonly number[] | readonly (readonly number[])[] | Float32Array;

/**
 * Turns an input into a tensor. Call inside `tf.tidy`, which disposes the
 * tensors made from arrays.
 * @internal
 */
export function asTensor(argument: string, x: TensorInput): tf.Tensor {
  if (x instanceof tf.Tensor) return x;
  try {
    return tf.tensor(x as number[]);
  } catch (e) {
    throw new ShapeMismatchError(
      argument,
      `could not be read as a tensor (${describe(x)}): ${e instanceof Error ? e.message : String(e)}. ` +
        'Pass a tf.Tensor or a rectangular array of numbers.',
    );
  }
}

/** `[a, b, c]`, for messages. @internal */
export const shapeOf = (t: { shape: readonly number[] }): string => `[${t.shape.join(', ')}]`;

/**
 * Checks that predictions and labels have the same shape, of rank ≥ 1, with
 * at least one row.
 * @internal
 */
export function checkSameShape(yTrue: tf.Tensor, yPred: tf.Tensor, what = 'multi-hot labels'): void {
  if (yPred.rank < 1) {
    throw new ShapeMismatchError('yPred', `must have rank ≥ 1 ([N, C]), got a scalar.`);
  }
  if (!tf.util.arraysEqual(yTrue.shape, yPred.shape)) {
    throw new ShapeMismatchError(
      'yTrue',
      `has shape ${shapeOf(yTrue)} but yPred has shape ${shapeOf(yPred)}; ${what} need the shape of the predictions.`,
    );
  }
  if (yPred.shape[0] === 0) {
    throw new EmptyInputError('yPred', `is an empty batch (shape ${shapeOf(yPred)}); pass at least one row.`);
  }
}

/**
 * Checks that `w` broadcasts to `target` without changing `target`'s shape
 * (as PyTorch's `weight` must): per element, per row ([N, 1]), per class ([C]) or a scalar.
 * @internal
 */
export function checkBroadcastsTo(argument: string, w: tf.Tensor, target: tf.Tensor): void {
  const ws = w.shape;
  const ts = target.shape;
  const ok = ws.length <= ts.length && ws.every((d, i) => d === 1 || d === ts[ts.length - ws.length + i]);
  if (!ok) {
    throw new ShapeMismatchError(
      argument,
      `has shape ${shapeOf(w)}, which does not broadcast to the predictions' shape ${shapeOf(target)}. ` +
        `Use a per-element ${shapeOf(target)}, a per-sample [${[ts[0], ...ts.slice(1).map(() => 1)].join(', ')}] or a per-class [${ts[ts.length - 1]}] weight.`,
    );
  }
}

/** The backends whose reads are asynchronous at heart: a synchronous read stalls (WebGL) or loses the device (WebGPU). */
const GPU_BACKENDS = new Set(['webgl', 'webgpu']);

/**
 * The default of the functions' `validate`: `true` where reading the inputs
 * back is synchronous and cheap (cpu, wasm, tensorflow), `false` on WebGL and
 * WebGPU, where the check's read would block. @internal
 */
export function validateByDefault(): boolean {
  return !GPU_BACKENDS.has(tf.getBackend());
}

/**
 * Reads tensors back and throws when they hold NaN/Infinity, or values
 * outside [lo, hi]. Costs one read; the functional losses call it unless
 * `validate: false`.
 * @internal
 */
export function checkValues(checks: ReadonlyArray<readonly [string, tf.Tensor, number, number]>): void {
  for (const [argument, t, lo, hi] of checks) {
    const data = t.dataSync();
    for (let k = 0; k < data.length; k++) {
      const v = data[k] as number;
      if (!Number.isFinite(v)) {
        throw new NonFiniteValueError(argument, `holds ${v} at flat index ${k} (shape ${shapeOf(t)}); only finite values are allowed.`);
      }
      if (v < lo || v > hi) {
        throw new OutOfRangeError(
          argument,
          `holds ${v} at flat index ${k} (shape ${shapeOf(t)}); values must lie in [${lo}, ${hi}].` +
            (argument === 'yPred' ? " If these are logits, pass from: 'logits'." : ''),
        );
      }
    }
  }
}
