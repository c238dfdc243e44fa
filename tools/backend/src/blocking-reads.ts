import * as tf from '@tensorflow/tfjs-core';

/**
 * Registers, once, the cpu backend's kernels under another name and makes it
 * the backend. Code that branches on `tf.getBackend() === 'cpu'` (or on the
 * backends with cheap synchronous reads: cpu, wasm, tfjs-node) then takes the
 * route it takes on WebGL and WebGPU, with the same kernels.
 *
 * @param name - The name to register. Defaults to `'cpu-as-gpu'`.
 * @returns The name.
 */
export async function useGpuRoutes(name = 'cpu-as-gpu'): Promise<string> {
  if (tf.findBackend(name) === null) {
    const cpu = tf.findBackend('cpu');
    if (cpu === null) throw new Error('useGpuRoutes needs the cpu backend: import @tensorflow/tfjs-backend-cpu');
    tf.registerBackend(name, () => new (cpu.constructor as new () => tf.KernelBackend)());
    for (const k of tf.getKernelsForBackend('cpu')) tf.registerKernel({ ...k, backendName: name });
  }
  await tf.setBackend(name);
  return name;
}

/**
 * Runs `f` while counting the blocking reads made through tensors
 * (`dataSync`, `arraySync`, `bufferSync`). With `strict`, each one throws
 * instead, as tfjs' synchronous reads do on WebGPU.
 *
 * @param f - What to run.
 * @param strict - Whether a blocking read throws.
 * @returns What `f` returned, and how many blocking reads it made.
 */
export async function countBlockingReads<T>(f: () => Promise<T>, strict = false): Promise<{ result: T; reads: number }> {
  const proto = tf.Tensor.prototype as unknown as Record<'dataSync' | 'arraySync' | 'bufferSync', (...a: unknown[]) => unknown>;
  const names = ['dataSync', 'arraySync', 'bufferSync'] as const;
  const originals = names.map((n) => proto[n]!);
  let reads = 0;
  names.forEach((n, i) => {
    proto[n] = function (this: unknown, ...a: unknown[]) {
      reads++;
      if (strict) throw new Error(`a blocking read (Tensor.${n}) during a run that must make none, as on WebGPU`);
      return originals[i]!.apply(this, a);
    };
  });
  try {
    return { result: await f(), reads };
  } finally {
    names.forEach((n, i) => (proto[n] = originals[i]!));
  }
}
