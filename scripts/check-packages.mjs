// Packs every published package (npm run pack) and checks what a user would get:
//  1. the tarball holds only dist, README, LICENSE and package.json;
//  2. publint (strict), @arethetypeswrong/cli and `npm publish --dry-run` are clean;
//  3. a scratch consumer installs the tarballs with @tensorflow/tfjs as the
//     README's install section says (tfjs from the npm cache that `npm ci`
//     filled, or from the registry when the cache lacks its metadata, as on a
//     fresh machine); it can require() and import() each package, runs the
//     README's quick start as ESM and as CommonJS (compiled by tsc from the
//     README's TypeScript), trains, saves, loads and resumes a model, and its
//     TypeScript types resolve under moduleResolution node16 and bundler.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pack } from './pack.mjs';

const ROOT = resolve(import.meta.dirname, '..');
const BIN = join(ROOT, 'node_modules', '.bin');
const sh = (cmd, args, opts = {}) => execFileSync(cmd, args, { stdio: 'pipe', encoding: 'utf8', ...opts });
const step = (msg) => console.log(`\n== ${msg}`);
let failures = 0;
const fail = (msg) => {
  failures++;
  console.error(`FAIL ${msg}`);
};

step('npm run pack');
const packed = pack();
const packages = packed.map(({ name }) => ({ json: { name } }));
const tarballs = [];
for (const { name, tarball: tgz, info } of packed) {
  tarballs.push(tgz);
  const stray = info.files.map((f) => f.path).filter((p) => !/^(dist\/(esm|cjs)\/.*\.(js|d\.ts)|dist\/cjs\/package\.json|internal\/package\.json|CHANGELOG\.md|README\.md|LICENSE|package\.json)$/.test(p));
  console.log(`${name}: ${info.files.length} files, ${(info.size / 1024).toFixed(1)} kB packed`);
  if (stray.length) fail(`${name}: unexpected files in the tarball: ${stray.join(', ')}`);

  step(`${name}: publint --strict`);
  try {
    console.log(sh(join(BIN, 'publint'), ['run', tgz, '--strict']).trim());
  } catch (e) {
    fail(`${name}: publint\n${e.stdout}${e.stderr}`);
  }
  step(`${name}: attw`);
  try {
    console.log(sh(join(BIN, 'attw'), [tgz, '--format', 'table-flipped', '--no-emoji', '--no-color']).trim());
  } catch (e) {
    fail(`${name}: attw\n${e.stdout}${e.stderr}`);
  }
  step(`${name}: npm publish --dry-run`);
  try {
    const out = sh('npm', ['publish', '--dry-run', tgz], { cwd: ROOT }).trim().split('\n').at(-1);
    console.log(out);
  } catch (e) {
    fail(`${name}: npm publish --dry-run\n${e.stdout}${e.stderr}`);
  }
}

step('scratch consumer: install from the tarballs');
const consumer = mkdtempSync(join(tmpdir(), 'tfjs-imbalance-consumer-'));
writeFileSync(join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', private: true, version: '1.0.0' }));
// As the README says: the packs and @tensorflow/tfjs (at the version the repository tests).
const pinned = (name) => `${name}@${JSON.parse(readFileSync(join(ROOT, 'node_modules', name, 'package.json'), 'utf8')).version}`;
const tfjs = pinned('@tensorflow/tfjs');
// The README installs the wasm backend beside tfjs: in Node it is 4–7× faster than the pure-JS cpu backend.
sh('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts', ...tarballs, tfjs, pinned('@tensorflow/tfjs-backend-wasm')], { cwd: consumer });
const names = packages.map((p) => p.json.name);
const smoke = {
  '@tfjs-imbalance/weight-schemes': (m) => `${m}.classWeights([10, 5, 1], 'ins').length === 3`,
  '@tfjs-imbalance/fbeta-metric': (m) => `new ${m}.FBetaAccumulator().update([[1, 0]], [[0.9, 0.2]]).result().micro.f === 1`,
  '@tfjs-imbalance/weighted-loss': (m) => `(() => { const l = ${m}.weightedBinaryCrossentropy({ classWeights: [1, 2] }); const ok = typeof l === 'function' && l.getClassWeights()[1] === 2; l.dispose(); return ok; })()`,
  '@tfjs-imbalance/sample-weight-callback': (m) => `typeof ${m}.sampleWeightCallback === 'function' && typeof ${m}.SampleWeightCallback === 'function'`,
  '@tfjs-imbalance/search': (m) => `typeof ${m}.compareTreatments === 'function' && ${m}.DEFAULT_TREATMENTS[0].name === 'plain'`,
};
const checks = names.map((n, i) => `if (!(${(smoke[n] ?? ((m) => `typeof ${m} === 'object'`))(`m${i}`)})) throw new Error('${n}: smoke check failed');`);
writeFileSync(
  join(consumer, 'cjs.cjs'),
  [`require('@tensorflow/tfjs');`, ...names.map((n, i) => `const m${i} = require('${n}');`), ...checks, `console.log('require: ok');`].join('\n'),
);
writeFileSync(
  join(consumer, 'esm.mjs'),
  [`import '@tensorflow/tfjs';`, ...names.map((n, i) => `import * as m${i} from '${n}';`), ...checks, `console.log('import: ok');`].join('\n'),
);
// A small training run with the loss, the callback and the metric, as a user writes it.
writeFileSync(
  join(consumer, 'train.mjs'),
  `import * as tf from '@tensorflow/tfjs';
const tfl = tf;
import { countMultiHot } from '@tfjs-imbalance/weight-schemes';
import { weightedBinaryCrossentropy } from '@tfjs-imbalance/weighted-loss';
import { sampleWeightCallback } from '@tfjs-imbalance/sample-weight-callback';
import { fbetaCallback, fbetaMetric } from '@tfjs-imbalance/fbeta-metric';
const rows = Array.from({ length: 96 }, (_, i) => [i % 2, i % 5 === 0 ? 1 : 0, i % 12 === 0 ? 1 : 0]);
const x = tf.tensor2d(rows.map((r, i) => [...r.map((v) => v * 2 - 1), Math.sin(i)]));
const y = tf.tensor2d(rows);
const model = tfl.sequential({ layers: [tfl.layers.dense({ units: 3, inputShape: [4] })] });
const loss = weightedBinaryCrossentropy({ numClasses: 3 });
model.compile({ optimizer: tf.train.adam(0.05), loss, metrics: [fbetaMetric({ from: 'logits' })] });
const h = await model.fit(x, y, { epochs: 10, batchSize: 16, verbose: 0, callbacks: [
  sampleWeightCallback({ losses: loss, scheme: { name: 'ens', beta: 0.99 }, counts: countMultiHot(rows) }),
  fbetaCallback({ validationData: [x, y], from: 'logits' }),
] });
const f = h.history.val_fbeta.at(-1);
if (!(f > 0.8) || !(h.history.loss.at(-1) < h.history.loss[0])) throw new Error('training did not learn: val_fbeta ' + f);
console.log('training: ok, val_fbeta ' + f.toFixed(3) + ', class weights ' + loss.getClassWeights().map((w) => w.toFixed(2)).join(' '));
`,
);
// Save, load and resume, as the saving guide shows for plain @tensorflow/tfjs in Node (no file:// there).
writeFileSync(
  join(consumer, 'resume.mjs'),
  `import * as tf from '@tensorflow/tfjs';
import { fbetaMetric } from '@tfjs-imbalance/fbeta-metric';
import { resumable, resumeTraining, saveForResume, weightedBinaryCrossentropy } from '@tfjs-imbalance/weighted-loss';
const warnings = [];
console.warn = (...a) => warnings.push(a.join(' '));
const rows = Array.from({ length: 64 }, (_, i) => [i % 2, i % 5 === 0 ? 1 : 0]);
const x = tf.tensor2d(rows.map((r, i) => [r[0] - 0.5, r[1] - 0.5, Math.sin(i)]));
const y = tf.tensor2d(rows);
const model = tf.sequential({ layers: [tf.layers.dense({ units: 2, inputShape: [3] })] });
const loss = weightedBinaryCrossentropy({ classWeights: [1, 3] });
model.compile({ optimizer: tf.train.adam(0.05), loss, metrics: [fbetaMetric({ from: 'logits' })] });
await model.fit(x, y, { epochs: 2, batchSize: 16, verbose: 0 });
let saved;
await saveForResume(model, tf.io.withSaveHandler(async (a) => { saved = a; return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } }; }));
const again = await tf.loadLayersModel(resumable(tf.io.fromMemory(saved)));
const { losses } = resumeTraining(again);
const h = await again.fit(x, y, { epochs: 2, batchSize: 16, verbose: 0 });
const step = (await again.optimizer.getWeights())[0].tensor.dataSync()[0];
if (step !== 16) throw new Error('Adam step count after resuming: ' + step + ', expected 16');
if (losses[0].getClassWeights()[1] !== 3) throw new Error('class weights did not come back');
if (h.history.fbeta?.length !== 2) throw new Error('the F-beta metric did not come back');
if (warnings.some((w) => /loss|metric/i.test(w))) throw new Error('warnings: ' + warnings.join('; '));
console.log('save, load, resume: ok, Adam step ' + step + ', loss ' + h.history.loss.map((v) => v.toFixed(4)).join(' '));
`,
);
// The saving guide's resume route through a bundler: esbuild with tree shaking, the resuming file bundled on its
// own. A bare import of the metric's package (kept through "sideEffects") and the explicit metricFactories option
// must both bring the saved F-beta metric back.
writeFileSync(
  join(consumer, 'bundle-save.mjs'),
  `import * as tf from '@tensorflow/tfjs';
import { writeFileSync } from 'node:fs';
import { fbetaMetric } from '@tfjs-imbalance/fbeta-metric';
import { saveForResume, weightedBinaryCrossentropy } from '@tfjs-imbalance/weighted-loss';
const model = tf.sequential({ layers: [tf.layers.dense({ units: 2, inputShape: [3] })] });
model.compile({ optimizer: tf.train.adam(0.05), loss: weightedBinaryCrossentropy({ classWeights: [1, 3] }), metrics: [fbetaMetric({ from: 'logits' })] });
await model.fit(tf.ones([8, 3]), tf.tensor2d(Array.from({ length: 8 }, (_, i) => [i % 2, 1 - (i % 2)])), { epochs: 1, verbose: 0 });
await saveForResume(model, tf.io.withSaveHandler(async (a) => {
  writeFileSync('saved.json', JSON.stringify({ ...a, weightData: Buffer.from(a.weightData).toString('base64') }));
  return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
}));
`,
);
const resumeBody = (options) => `import { readFileSync } from 'node:fs';
const a = JSON.parse(readFileSync('saved.json', 'utf8'));
const b = Buffer.from(a.weightData, 'base64');
a.weightData = b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength);
const again = await tf.loadLayersModel(resumable(tf.io.fromMemory(a)));
const { metrics } = resumeTraining(again${options});
const h = await again.fit(tf.ones([8, 3]), tf.tensor2d(Array.from({ length: 8 }, (_, i) => [i % 2, 1 - (i % 2)])), { epochs: 1, verbose: 0 });
if (h.history.fbeta?.length !== 1) throw new Error('the F-beta metric did not come back: ' + JSON.stringify(Object.keys(h.history)));
console.log('bundled resume${options ? ' (metricFactories)' : ' (bare import)'}: ok');
`;
writeFileSync(
  join(consumer, 'bundle-resume-bare.mjs'),
  `import * as tf from '@tensorflow/tfjs';\nimport '@tfjs-imbalance/fbeta-metric';\nimport { resumable, resumeTraining } from '@tfjs-imbalance/weighted-loss';\n${resumeBody('')}`,
);
writeFileSync(
  join(consumer, 'bundle-resume-explicit.mjs'),
  `import * as tf from '@tensorflow/tfjs';\nimport { fbetaMetric } from '@tfjs-imbalance/fbeta-metric';\nimport { resumable, resumeTraining } from '@tfjs-imbalance/weighted-loss';\n${resumeBody(', { metricFactories: { fbetaMetric } }')}`,
);
try {
  sh(process.execPath, ['bundle-save.mjs'], { cwd: consumer });
  for (const file of ['bundle-resume-bare.mjs', 'bundle-resume-explicit.mjs']) {
    const out = `out-${file}`;
    sh(join(BIN, 'esbuild'), [file, '--bundle', '--platform=node', '--format=esm', '--tree-shaking=true', '--log-level=error', `--outfile=${out}`, '--external:@tensorflow/*'], { cwd: consumer });
    console.log(sh(process.execPath, [out], { cwd: consumer }).trim());
  }
} catch (e) {
  fail(`bundled resume\n${e.stdout}${e.stderr}`);
}
// The README's quick start, exactly as written there: type-checked and compiled by tsc as ESM (.mts) and as CommonJS (.cts).
const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
const quick = /## Quick start[\s\S]*?```ts\n([\s\S]*?)```/.exec(readme)?.[1];
if (quick === undefined) fail('README.md: no ```ts block under "## Quick start"');
else {
  const lines = quick.split('\n');
  const imports = lines.filter((l) => l.startsWith('import '));
  const body = lines.filter((l) => !l.startsWith('import '));
  writeFileSync(join(consumer, 'readme.mts'), quick);
  writeFileSync(join(consumer, 'readme.cts'), [...imports, 'void (async () => {', ...body, '})();'].join('\n'));
  // The same quick start bundled for the browser by esbuild, tree shaken: what a web app's bundler does with it.
  try {
    sh(join(BIN, 'esbuild'), ['readme.mts', '--bundle', '--platform=browser', '--format=esm', '--tree-shaking=true', '--log-level=error', '--outfile=out/readme.browser.js'], { cwd: consumer });
    const size = readFileSync(join(consumer, 'out', 'readme.browser.js'), 'utf8').length;
    console.log(`README quick start, browser bundle (esbuild, tree shaken): ${(size / 1024).toFixed(0)} kB`);
  } catch (e) {
    fail(`README quick start, browser bundle\n${e.stdout}${e.stderr}`);
  }
  try {
    sh(join(BIN, 'tsc'), ['--strict', '--skipLibCheck', '--target', 'es2022', '--module', 'node16', '--moduleResolution', 'node16', '--outDir', 'out', 'readme.mts', 'readme.cts'], { cwd: consumer });
    for (const file of ['out/readme.mjs', 'out/readme.cjs']) {
      const last = sh(process.execPath, [file], { cwd: consumer }).trim().split('\n').at(-1);
      console.log(`README quick start (${file}): ${last}`);
      // A fresh project that follows the README trains on wasm in Node.
      if (!/ on wasm$/.test(last)) fail(`README quick start (${file}) did not train on wasm: ${last}`);
    }
  } catch (e) {
    fail(`README quick start\n${e.stdout}${e.stderr}`);
  }
}
for (const file of ['cjs.cjs', 'esm.mjs', 'train.mjs', 'resume.mjs']) {
  try {
    console.log(sh(process.execPath, [file], { cwd: consumer }).trim());
  } catch (e) {
    fail(`consumer ${file}\n${e.stdout}${e.stderr}`);
  }
}
writeFileSync(
  join(consumer, 'types.ts'),
  [
    `import { classWeights, type SchemeConfig } from '@tfjs-imbalance/weight-schemes';`,
    `import { FBetaAccumulator, type FBetaScores } from '@tfjs-imbalance/fbeta-metric';`,
    `import { weightedBinaryCrossentropy, type WeightedLoss } from '@tfjs-imbalance/weighted-loss';`,
    `import { sampleWeightCallback, type SampleWeightCallback } from '@tfjs-imbalance/sample-weight-callback';`,
    `const loss: WeightedLoss = weightedBinaryCrossentropy({ numClasses: 2, classWeights: { 1: 3 } });`,
    `const cb: SampleWeightCallback = sampleWeightCallback({ losses: loss, scheme: 'ins', counts: [3, 1] });`,
    `const scheme: SchemeConfig = { name: 'ens', beta: 0.99 };`,
    `const w: number[] = classWeights([3, 1], scheme);`,
    `const s: FBetaScores = new FBetaAccumulator().update([[1]], [[0.7]]).result();`,
    `export { w, s, cb };`,
  ].join('\n'),
);
writeFileSync(join(consumer, 'types.mts'), readFileSync(join(consumer, 'types.ts'), 'utf8'));
// node16 from CJS (types.ts) and from ESM (types.mts), and bundler resolution.
for (const [module, moduleResolution, file] of [
  ['node16', 'node16', 'types.ts'],
  ['node16', 'node16', 'types.mts'],
  ['esnext', 'bundler', 'types.ts'],
]) {
  try {
    sh(join(BIN, 'tsc'), ['--noEmit', '--strict', '--skipLibCheck', '--module', module, '--moduleResolution', moduleResolution, file], { cwd: consumer });
    console.log(`types (${moduleResolution}, ${file}): ok`);
  } catch (e) {
    fail(`consumer types (${moduleResolution}, ${file})\n${e.stdout}${e.stderr}`);
  }
}
// Without skipLibCheck, tfjs 4.22's own type files fail (the README says so); ours must not be among them.
try {
  sh(join(BIN, 'tsc'), ['--noEmit', '--strict', '--module', 'node16', '--moduleResolution', 'node16', 'types.mts'], { cwd: consumer });
  console.log('types without skipLibCheck: ok');
} catch (e) {
  const ours = `${e.stdout}`.split('\n').filter((l) => l.includes('@tfjs-imbalance/'));
  if (ours.length) fail(`our type files fail without skipLibCheck:\n${ours.join('\n')}`);
  else console.log(`types without skipLibCheck: ${`${e.stdout}`.split('\n').filter((l) => /error TS/.test(l)).length} errors, all in tfjs' and its dependencies' type files, none in @tfjs-imbalance/*`);
}
rmSync(consumer, { recursive: true, force: true });

console.log(failures ? `\n${failures} package check(s) failed` : '\nall package checks passed');
process.exit(failures ? 1 : 0);
