#!/usr/bin/env node
// Builds the lab into site/: the page (main.js) and the search's worker
// (worker.js) bundled by esbuild for browsers, the Node kit the zip carries
// (kit/lab-kit.mjs, with tfjs and the library left outside), the static
// files, tfjs' wasm binaries, and the bundled debtags sample. Every URL in
// site/ is relative: the folder can be hosted as it is.
import { copyFileSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { createRequire } from 'node:module';
import * as esbuild from 'esbuild';
import { debtagsSample } from './scripts/sample.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
export const SITE = join(HERE, 'site');

// The debtags demo's dataset module reads its files with Node's fs and zlib and csv-parse (which needs Node's
// Buffer as it loads). The lab uses only that module's split and shuffle, and reads files with the browser's File
// API and its own parser; in the browser bundle those three are stubs that say so if they are ever called.
const nodeStubs = {
  name: 'node-stubs',
  setup(b) {
    b.onResolve({ filter: /^(node:(fs|zlib)|csv-parse\/sync)$/ }, (a) => ({ path: a.path, namespace: 'node-stub' }));
    b.onLoad({ filter: /.*/, namespace: 'node-stub' }, (a) => ({
      contents: `const no = () => { throw new Error('${a.path} is not available in a browser'); }; export const readFileSync = no; export const gunzipSync = no; export const parse = no;`,
      loader: 'js',
    }));
  },
};

/** Builds site/; returns each bundle's size in bytes, raw and gzipped. */
export async function build({ quiet = false } = {}) {
  const t0 = performance.now();
  rmSync(SITE, { recursive: true, force: true });
  mkdirSync(join(SITE, 'kit'), { recursive: true });
  const browser = { bundle: true, format: 'esm', platform: 'browser', target: 'es2022', minify: true, legalComments: 'none', logLevel: 'error' };
  await Promise.all([
    esbuild.build({ ...browser, entryPoints: [join(HERE, 'src/page/main.ts')], outfile: join(SITE, 'main.js') }),
    esbuild.build({ ...browser, entryPoints: [join(HERE, 'src/worker/worker.ts')], outfile: join(SITE, 'worker.js'), plugins: [nodeStubs] }),
    esbuild.build({
      bundle: true,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      logLevel: 'error',
      entryPoints: [join(HERE, 'src/kit/index.ts')],
      outfile: join(SITE, 'kit/lab-kit.mjs'),
      external: ['@tensorflow/*', '@tfjs-imbalance/search', '@tfjs-imbalance/weight-schemes', '@tfjs-imbalance/fbeta-metric'],
      banner: { js: "// The tfjs-imbalance lab's kit: its table reader, features and search arguments (bundled by examples/lab/build.mjs; see README.md)." },
    }),
  ]);
  for (const f of ['index.html', 'style.css']) copyFileSync(join(HERE, 'static', f), join(SITE, f));
  for (const f of ['predict.mjs', 'reproduce.mjs', 'README.md', 'package.json']) copyFileSync(join(HERE, 'kit', f), join(SITE, 'kit', f));
  const wasmDir = dirname(createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm/package.json'));
  for (const f of ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm-threaded-simd.wasm']) copyFileSync(join(wasmDir, 'dist', f), join(SITE, f));
  const sample = debtagsSample();
  writeFileSync(join(SITE, 'debtags-sample.tsv'), sample.text);
  const sizes = Object.fromEntries(
    ['main.js', 'worker.js', 'kit/lab-kit.mjs', 'debtags-sample.tsv'].map((f) => {
      const bytes = readFileSync(join(SITE, f));
      return [f, { raw: bytes.length, gzip: gzipSync(bytes).length }];
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  if (!quiet) {
    const kb = (n) => `${(n / 1024).toFixed(0)} kB`;
    console.log(`built ${SITE} in ${seconds.toFixed(1)} s (sample: ${sample.rows} rows)`);
    for (const [f, s] of Object.entries(sizes)) console.log(`  ${f.padEnd(20)} ${kb(s.raw).padStart(8)}  (${kb(s.gzip)} gzipped)`);
    const total = ['main.js', 'worker.js'].reduce((a, f) => a + statSync(join(SITE, f)).size, 0);
    console.log(`  page + worker: ${kb(total)}; the wasm binaries are fetched only when the worker falls back to wasm`);
  }
  return { sizes, seconds, sampleRows: sample.rows };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await build();
