import * as tf from '@tensorflow/tfjs-core';

/**
 * Where a loss's math runs:
 * - `'js'`: one JS pass over the batch (element loss and derivative
 *   together, in float64). On the cpu backend the tensors are already JS
 *   arrays, and one pass beats the 20 to 55 tfjs kernels of a loss.
 * - `'tensor'`: tfjs kernels, for every other backend (wasm, WebGL, WebGPU,
 *   tfjs-node), where a JS pass would cost a read-back.
 * @internal
 */
export type LossRoute = 'js' | 'tensor';

/**
 * Every backend-dependent choice of the losses, in one place. Each is a
 * speed or blocking-read choice; the values agree across routes to float32
 * precision (the tests run both).
 * @internal
 */
export interface BackendRoutes {
  /** Where the loss math runs (see {@link LossRoute}). */
  readonly loss: LossRoute;
  /** Whether a synchronous read is a copy, not a wait for a GPU (cpu, wasm, tfjs-node): label checks read at once, else asynchronously. */
  readonly cheapReads: boolean;
  /** wasm: tfjs copies the arrays it is given (so scratch buffers can be reused), and a few kernels have faster substitutes. */
  readonly wasm: boolean;
  /** cpu: `log1p` is `Math.log1p` (wasm's and WebGL's compute log(1 + x) literally), and comparisons beat `step`. */
  readonly cpu: boolean;
}

let routeBackend: string | undefined;

/**
 * The routes for the active backend, or for the backend named by
 * {@link overrideRoutes}.
 * @internal
 */
export function routes(): BackendRoutes {
  const b = routeBackend ?? tf.getBackend();
  return { loss: b === 'cpu' ? 'js' : 'tensor', cheapReads: b === 'cpu' || b === 'wasm' || b === 'tensorflow', wasm: b === 'wasm', cpu: b === 'cpu' };
}

/**
 * For tests: route as if the backend were `name` (such as `'webgl'`), while
 * the kernels still run on the active backend, so the WebGL and WebGPU routes
 * run under jest on cpu. `undefined` routes by the active backend again.
 *
 * @param name - A backend name, or `undefined`.
 * @internal
 */
export function overrideRoutes(name: string | undefined): void {
  routeBackend = name;
}
