import * as tf from '@tensorflow/tfjs-core';
import { routes } from './route.js';

/**
 * Element-wise kernels in plain JS: one pass over the batch computes each
 * element's loss and its derivative together. A loss such as ASL or DB is 25
 * to 55 tfjs kernels (each a full pass over the batch, and on the cpu backend
 * a slow one); a single loop with the transcendental functions computed once
 * per element is faster there. On other backends it costs a read-back.
 * @internal
 */
export interface ElementKernel {
  /** Writes the loss and d(loss)/dx of every element of the [N, C] batch. */
  (x: ArrayLike<number>, y: ArrayLike<number>, N: number, C: number, el: Float32Array, g: Float32Array): void;
}

/** An element-wise loss and its derivative with respect to the logits, as tensors [N, C]. @internal */
export interface ElementTerms {
  readonly el: tf.Tensor;
  readonly g: tf.Tensor;
}

/**
 * A loss's math on logits, in both routes (see `route.ts`): `terms` in tfjs
 * kernels, `kernel` in one JS pass. Both compute the same element loss and
 * closed-form derivative; `terms` may be `undefined` for parameters only the
 * kernel covers.
 * @internal
 */
export interface ElementMath {
  /** The tensor route: element losses and derivatives from the targets and logits, off the gradient tape. Inside `tf.tidy`. */
  readonly terms: ((y: tf.Tensor, x: tf.Tensor) => ElementTerms) | undefined;
  /** The JS route. */
  readonly kernel: ElementKernel;
}

/** What the labels give a loss op: the targets [N, C], and for a per-sample loss each row's scale [N, 1]. @internal */
export interface Targets {
  readonly y: tf.Tensor;
  readonly scale?: tf.Tensor;
}

/**
 * Scratch arrays reused across calls, so a training step does not allocate
 * (and the GC reclaim) two batch-sized arrays. Only where tfjs copies the
 * values it is given (wasm); the cpu and WebGL backends keep a reference.
 */
const scratch: Float32Array[] = [];
function buffer(k: number, size: number, reusable: boolean): Float32Array {
  if (!reusable) return new Float32Array(size);
  if (scratch[k] === undefined || scratch[k]!.length < size) scratch[k] = new Float32Array(size);
  return scratch[k]!.subarray(0, size);
}

/**
 * The one custom op every loss on logits goes through: forward and backward
 * in closed form, computed together in the forward pass, off the gradient
 * tape (tfjs clones what ops under the tape save), with one saved tensor.
 *
 * `targets` runs inside the op: it derives the targets (and row scales) from
 * the labels, which carry no gradient. Without `scale` the value is the
 * element-wise loss [N, C] (the functional losses); with it the value is
 * scale·Σ_c el per row [N] (the loss classes), and the gradient scale·g.
 * The backward pass is one multiply by the upstream gradient. The route (JS
 * kernel or tfjs kernels) comes from `route.ts`. Call inside `tf.tidy`.
 *
 * @param x - Logits [N, C].
 * @param targets - The targets and optional row scales.
 * @param math - The loss's terms and kernel.
 * @returns The element-wise loss [N, C], or the per-sample loss [N] with a scale.
 * @internal
 */
export function lossOp(x: tf.Tensor, targets: () => Targets, math: ElementMath): tf.Tensor {
  // The kernels index [N, C]: callers pass the positions of higher ranks as rows (binaryInputs, WeightedLoss.call).
  if (x.rank !== 2) throw new Error(`lossOp needs logits [N, C], got [${x.shape.join(', ')}] (an internal error: please report it).`);
  const route = routes();
  const js = route.loss === 'js' || math.terms === undefined;
  const f = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [logits, save] = args as [tf.Tensor, tf.GradSaveFunc];
    const { y, scale } = targets();
    let value: tf.Tensor;
    if (js) {
      const [N, C] = logits.shape as [number, number];
      // A per-row loss sums the elements here, so its element buffer never reaches tfjs.
      const el = buffer(0, N * C, scale !== undefined || route.wasm);
      const gr = buffer(1, N * C, route.wasm);
      math.kernel(logits.dataSync(), y.dataSync(), N, C, el, gr);
      if (scale === undefined) value = tf.tensor2d(el, [N, C]);
      else {
        const sd = scale.dataSync();
        const rows = new Float32Array(N);
        for (let n = 0; n < N; n++) {
          let sum = 0;
          const s = sd[n]!;
          for (let c = 0; c < C; c++) {
            sum += el[n * C + c]!;
            gr[n * C + c]! *= s;
          }
          rows[n] = sum * s;
        }
        value = tf.tensor1d(rows);
      }
      save([tf.tensor2d(gr, [N, C])]);
    } else {
      const { el, g } = math.terms!(y, logits);
      value = scale === undefined ? el : tf.reshape(tf.mul(tf.sum(el, -1, true), scale), [-1]);
      save([scale === undefined ? g : tf.mul(g, scale)]);
    }
    return {
      value,
      gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => tf.mul(saved[0]!, scale === undefined ? (dy as tf.Tensor) : tf.reshape(dy as tf.Tensor, [-1, 1])),
    };
  });
  return f(x);
}
