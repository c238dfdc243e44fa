/**
 * The worker's backend: WebGL, else WebGPU, else wasm, else cpu (or the one
 * asked for first), each checked with a small computation read back, and
 * what was skipped and why.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-webgl';
import '@tensorflow/tfjs-backend-webgpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { BACKENDS, type BackendName } from '../shared/protocol.js';

/** The backend in use, a line about it, and one line per backend skipped before it. */
export interface BackendChoice {
  readonly name: BackendName;
  readonly detail: string;
  readonly skipped: string[];
}

const NAMES: Record<BackendName, string> = { webgl: 'WebGL', webgpu: 'WebGPU', wasm: 'WebAssembly (wasm)', cpu: 'plain JavaScript (cpu)' };

/** The GPU behind WebGL, as the driver names it (SwiftShader is a software renderer). */
function webglRenderer(): string {
  const gl = (tf.backend() as unknown as { gpgpu?: { gl?: WebGLRenderingContext } }).gpgpu?.gl;
  const info = gl?.getExtension('WEBGL_debug_renderer_info');
  return info ? String(gl!.getParameter(info.UNMASKED_RENDERER_WEBGL)) : 'renderer not disclosed';
}

async function tryBackend(name: BackendName): Promise<string> {
  if (name === 'wasm') setWasmPaths(new URL('./', self.location.href).href);
  if (!(await tf.setBackend(name))) throw new Error('it does not start here');
  await tf.ready();
  if (name === 'webgl' && !tf.env().getBool('WEBGL_RENDER_FLOAT32_CAPABLE')) {
    throw new Error('this GPU renders 16-bit floats only, which the losses refuse');
  }
  const probe = tf.tidy(() => tf.sum(tf.mul(tf.tensor1d([1, 2, 3]), tf.tensor1d([4, 5, 6]))));
  const [value] = await probe.data();
  probe.dispose();
  if (value !== 32) throw new Error(`a test product gave ${value} instead of 32`);
  return name === 'webgl' ? `${NAMES.webgl} (${webglRenderer()})` : NAMES[name];
}

/** Starts the first backend that works, in the automatic order or with `first` tried first. */
export async function pickBackend(first: 'auto' | BackendName): Promise<BackendChoice> {
  const order = first === 'auto' ? [...BACKENDS] : [first, ...BACKENDS.filter((b) => b !== first)];
  const skipped: string[] = [];
  for (const name of order) {
    try {
      return { name, detail: await tryBackend(name), skipped };
    } catch (e) {
      skipped.push(`${NAMES[name]}: ${(e instanceof Error ? e.message : String(e)).split('\n')[0]}`);
    }
  }
  throw new Error(`no TensorFlow.js backend starts in this browser (${skipped.join('; ')})`);
}
