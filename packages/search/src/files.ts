import * as tf from '@tensorflow/tfjs-core';
import { InvalidOptionError } from '@tfjs-imbalance/weight-schemes';

/** Whether a destination names a place on a file system: `file://…` or a path (no other URL scheme). */
export function isFilePath(destination: string): boolean {
  return destination.startsWith('file://') || !/^[a-z][a-z0-9+.-]*:\/\//i.test(destination);
}

interface NodeFs {
  mkdir(path: string, o: { recursive: boolean }): Promise<unknown>;
  writeFile(path: string, data: Uint8Array | string): Promise<void>;
  readFile(path: string): Promise<Uint8Array>;
}

/** Imports a Node built-in without letting bundlers resolve it for a browser build. */
async function nodeBuiltin<T>(name: string): Promise<T> {
  const specifier = `node:${name}`;
  return (await import(/* webpackIgnore: true */ /* @vite-ignore */ specifier)) as T;
}

/**
 * A `tf.io.IOHandler` that writes and reads `model.json` and `weights.bin`
 * in a directory, as tfjs-node's `file://` does, with Node's own `fs`: no
 * tfjs-node needed. In a browser it says where to save instead.
 */
export async function filesIn(argument: string, location: string): Promise<tf.io.IOHandler> {
  const node = (globalThis as { process?: { versions?: { node?: string } } }).process?.versions?.node;
  if (node === undefined) {
    throw new InvalidOptionError(argument, `"${location}" is a file path, and files need Node; in a browser use indexeddb://name, localstorage://name, downloads://name or an http(s):// URL.`);
  }
  const dir = location.startsWith('file://') ? location.slice('file://'.length) : location;
  const fs = await nodeBuiltin<NodeFs>('fs/promises');
  const { join } = await nodeBuiltin<{ join(...p: string[]): string }>('path');
  return {
    async save(artifacts) {
      const weights = new Uint8Array(tf.io.CompositeArrayBuffer.join(artifacts.weightData));
      const manifest: tf.io.WeightsManifestConfig = [{ paths: ['weights.bin'], weights: artifacts.weightSpecs ?? [] }];
      const { weightData: _w, weightSpecs: _s, ...rest } = artifacts;
      const json: tf.io.ModelJSON = { ...rest, modelTopology: artifacts.modelTopology!, weightsManifest: manifest } as tf.io.ModelJSON;
      await fs.mkdir(dir, { recursive: true });
      await fs.writeFile(join(dir, 'weights.bin'), weights);
      await fs.writeFile(join(dir, 'model.json'), JSON.stringify(json));
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    },
    async load() {
      let text: string;
      try {
        text = new TextDecoder().decode(await fs.readFile(join(dir, 'model.json')));
      } catch (e) {
        throw new InvalidOptionError(argument, `"${location}" has no model.json to load (${(e as Error).message}); pass the directory saveClassifier wrote.`);
      }
      const json = JSON.parse(text) as tf.io.ModelJSON;
      return tf.io.getModelArtifactsForJSON(json, async (manifest) => {
        const specs = manifest.flatMap((g) => g.weights);
        const parts = await Promise.all(manifest.flatMap((g) => g.paths.map((p) => fs.readFile(join(dir, p)))));
        const data = tf.io.CompositeArrayBuffer.join(parts.map((b) => b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer));
        return [specs, data];
      });
    },
  };
}
