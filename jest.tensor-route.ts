// For tests: the cpu backend under a second name (tools/backend's useGpuRoutes). Code that branches on
// `tf.getBackend() === 'cpu'` then takes the route it takes on wasm and WebGL, with the same kernels, so
// those routes run in jest.
import * as tf from '@tensorflow/tfjs-core';
import { useGpuRoutes } from '@tfjs-imbalance/backend';

export const TENSOR_ROUTE_BACKEND = 'cpu-as-tensor-route';

/** Runs the enclosing describe block on the aliased backend, and switches back to cpu after it. */
export function useTensorRoute(): void {
  beforeAll(async () => {
    await useGpuRoutes(TENSOR_ROUTE_BACKEND);
  });
  afterAll(async () => {
    await tf.setBackend('cpu');
  });
}
