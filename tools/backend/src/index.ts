/**
 * Picks the fastest TensorFlow.js backend that loads here: tfjs-node (native
 * TensorFlow), else `@tensorflow/tfjs-backend-wasm`, else the pure-JS cpu
 * backend. Internal to the repo (examples, benchmarks, tests); not published.
 *
 * @packageDocumentation
 */
import * as tf from '@tensorflow/tfjs-core';

/** The backends this helper knows, fastest first. */
export type BackendName = 'tensorflow' | 'wasm' | 'cpu';

/** Which backend was picked, and why the faster ones were not. */
export interface BackendChoice {
  /** The tfjs backend name now active. */
  readonly name: BackendName;
  /** The npm package that provides it. */
  readonly package: string;
  /** One line per faster backend that was tried and skipped, with the reason. */
  readonly skipped: readonly string[];
}

/** Options of {@link selectBackend}. */
export interface SelectBackendOptions {
  /**
   * The backends to try, in order. Defaults to the `TFJS_BACKEND` environment
   * variable (one name) when set, else `['tensorflow', 'wasm', 'cpu']`.
   */
  readonly order?: readonly BackendName[];
}

const PACKAGES: Record<BackendName, string> = {
  tensorflow: '@tensorflow/tfjs-node',
  wasm: '@tensorflow/tfjs-backend-wasm',
  cpu: '@tensorflow/tfjs-backend-cpu',
};

/**
 * Loads and activates the first backend that works. Any error while loading
 * tfjs-node (missing package, missing native library, ABI mismatch) moves on
 * to the next backend.
 *
 * @param options - See {@link SelectBackendOptions}.
 * @returns The backend in use.
 *
 * @example
 * ```ts
 * const backend = await selectBackend();
 * console.log(describeBackend(backend)); // "backend: wasm (@tensorflow/tfjs-backend-wasm); skipped tensorflow: ..."
 * ```
 */
export async function selectBackend(options: SelectBackendOptions = {}): Promise<BackendChoice> {
  const env = process.env['TFJS_BACKEND'] as BackendName | undefined;
  const order = options.order ?? (env ? [env] : (['tensorflow', 'wasm', 'cpu'] as const));
  const skipped: string[] = [];
  for (const name of order) {
    if (!(name in PACKAGES)) {
      throw new Error(`TFJS_BACKEND/order: unknown backend "${name}"; use tensorflow, wasm or cpu.`);
    }
    try {
      await import(PACKAGES[name]);
      if (!(await tf.setBackend(name))) throw new Error('tf.setBackend returned false');
      await tf.ready();
      return { name, package: PACKAGES[name], skipped };
    } catch (e) {
      skipped.push(`${name}: ${(e instanceof Error ? e.message : String(e)).split('\n')[0]}`);
    }
  }
  throw new Error(`no TensorFlow.js backend could be loaded:\n  ${skipped.join('\n  ')}`);
}

/**
 * A one-line description of the backend in use, for logs.
 *
 * @param choice - The result of {@link selectBackend}.
 * @returns A line such as `backend: wasm (@tensorflow/tfjs-backend-wasm)`.
 *
 * @example
 * ```ts
 * console.log(describeBackend(await selectBackend()));
 * ```
 */
export function describeBackend(choice: BackendChoice): string {
  const why = choice.skipped.length ? `; skipped ${choice.skipped.join('; ')}` : '';
  return `backend: ${choice.name} (${choice.package})${why}`;
}
export { useGpuRoutes, countBlockingReads } from './blocking-reads.js';
