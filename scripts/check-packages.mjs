// Packs every published package and checks what a user would get:
//  1. the tarball holds only dist, README, LICENSE and package.json;
//  2. publint (strict) and @arethetypeswrong/cli are clean;
//  3. a scratch consumer installs the tarballs (tfjs from the npm cache that
//     `npm ci` filled, or from the registry when the cache lacks its metadata,
//     as on a fresh machine) and can require() and import() each package,
//     and its TypeScript types resolve under moduleResolution node16 and bundler.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');
const BIN = join(ROOT, 'node_modules', '.bin');
const sh = (cmd, args, opts = {}) => execFileSync(cmd, args, { stdio: 'pipe', encoding: 'utf8', ...opts });
const step = (msg) => console.log(`\n== ${msg}`);
let failures = 0;
const fail = (msg) => {
  failures++;
  console.error(`FAIL ${msg}`);
};

const packages = readdirSync(join(ROOT, 'packages'))
  .map((dir) => ({ dir: join(ROOT, 'packages', dir), json: JSON.parse(readFileSync(join(ROOT, 'packages', dir, 'package.json'), 'utf8')) }))
  .filter((p) => !p.json.private);
const packDir = join(ROOT, '.tmp', 'packs');
rmSync(packDir, { recursive: true, force: true });
mkdirSync(packDir, { recursive: true });

const tarballs = [];
for (const { dir, json } of packages) {
  step(`${json.name}: npm pack`);
  const [info] = JSON.parse(sh('npm', ['pack', '--json', '--pack-destination', packDir], { cwd: dir }));
  const tgz = join(packDir, info.filename);
  tarballs.push(tgz);
  const stray = info.files.map((f) => f.path).filter((p) => !/^(dist\/(esm|cjs)\/.*\.(js|d\.ts)|dist\/cjs\/package\.json|README\.md|LICENSE|package\.json)$/.test(p));
  console.log(`${info.files.length} files, ${(info.size / 1024).toFixed(1)} kB packed`);
  if (stray.length) fail(`${json.name}: unexpected files in the tarball: ${stray.join(', ')}`);

  step(`${json.name}: publint --strict`);
  try {
    console.log(sh(join(BIN, 'publint'), ['run', tgz, '--strict']).trim());
  } catch (e) {
    fail(`${json.name}: publint\n${e.stdout}${e.stderr}`);
  }
  step(`${json.name}: attw`);
  try {
    console.log(sh(join(BIN, 'attw'), [tgz, '--format', 'table-flipped', '--no-emoji', '--no-color']).trim());
  } catch (e) {
    fail(`${json.name}: attw\n${e.stdout}${e.stderr}`);
  }
}

step('scratch consumer: install from the tarballs');
const consumer = mkdtempSync(join(tmpdir(), 'tfjs-imbalance-consumer-'));
writeFileSync(join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', private: true, version: '1.0.0' }));
const tfjs = ['@tensorflow/tfjs-core', '@tensorflow/tfjs-layers', '@tensorflow/tfjs-backend-cpu'].map(
  (name) => `${name}@${JSON.parse(readFileSync(join(ROOT, 'node_modules', name, 'package.json'), 'utf8')).version}`,
);
sh('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts', ...tarballs, ...tfjs], { cwd: consumer });
const names = packages.map((p) => p.json.name);
const smoke = {
  '@tfjs-imbalance/weight-schemes': (m) => `${m}.classWeights([10, 5, 1], 'ins').length === 3`,
  '@tfjs-imbalance/fbeta-metric': (m) => `new ${m}.FBetaAccumulator().update([[1, 0]], [[0.9, 0.2]]).result().micro.f === 1`,
  '@tfjs-imbalance/weighted-loss': (m) => `(() => { const l = ${m}.weightedBinaryCrossentropy({ classWeights: [1, 2] }); const ok = typeof l === 'function' && l.getClassWeights()[1] === 2; l.dispose(); return ok; })()`,
  '@tfjs-imbalance/sample-weight-callback': (m) => `typeof ${m}.sampleWeightCallback === 'function' && typeof ${m}.SampleWeightCallback === 'function'`,
};
const checks = names.map((n, i) => `if (!(${(smoke[n] ?? ((m) => `typeof ${m} === 'object'`))(`m${i}`)})) throw new Error('${n}: smoke check failed');`);
writeFileSync(
  join(consumer, 'cjs.cjs'),
  [`require('@tensorflow/tfjs-backend-cpu');`, ...names.map((n, i) => `const m${i} = require('${n}');`), ...checks, `console.log('require: ok');`].join('\n'),
);
writeFileSync(
  join(consumer, 'esm.mjs'),
  [`import '@tensorflow/tfjs-backend-cpu';`, ...names.map((n, i) => `import * as m${i} from '${n}';`), ...checks, `console.log('import: ok');`].join('\n'),
);
// A small training run with the loss, the callback and the metric, as a user writes it.
writeFileSync(
  join(consumer, 'train.mjs'),
  `import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import '@tensorflow/tfjs-backend-cpu';
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
for (const file of ['cjs.cjs', 'esm.mjs', 'train.mjs']) {
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
    `const scheme: SchemeConfig = { name: 'ens', beta: 0.99 };`,
    `const w: number[] = classWeights([3, 1], scheme);`,
    `const s: FBetaScores = new FBetaAccumulator().update([[1]], [[0.7]]).result();`,
    `export { w, s };`,
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
rmSync(consumer, { recursive: true, force: true });

console.log(failures ? `\n${failures} package check(s) failed` : '\nall package checks passed');
process.exit(failures ? 1 : 0);
