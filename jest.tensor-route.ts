// For tests: the cpu backend under a second name. Code that branches on
// `tf.getBackend() === 'cpu'` then takes the route it takes on wasm and WebGL,
// with the same kernels, so those routes run in jest.
import * as tf from '@tensorflow/tfjs-core';

export const TENSOR_ROUTE_BACKEND = 'cpu-as-tensor-route';

/** Runs the enclosing describe block on the aliased backend, and switches back to cpu after it. */
export function useTensorRoute(): void {
  beforeAll(async () => {
    if (tf.findBackend(TENSOR_ROUTE_BACKEND) === null) {
      const cpu = tf.findBackend('cpu')!;
      tf.registerBackend(TENSOR_ROUTE_BACKEND, () => new (cpu.constructor as new () => tf.KernelBackend)());
      for (const k of tf.getKernelsForBackend('cpu')) tf.registerKernel({ ...k, backendName: TENSOR_ROUTE_BACKEND });
    }
    await tf.setBackend(TENSOR_ROUTE_BACKEND);
  });
  afterAll(async () => {
    await tf.setBackend('cpu');
  });
}
