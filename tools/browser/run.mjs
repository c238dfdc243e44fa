// npm run test:browser: bundles src/page.ts with esbuild, serves it on localhost,
// drives it in headless Chromium (Debian's /usr/bin/chromium via playwright-core)
// and checks what the page trained. Fails, never skips, when the browser cannot run.
import { createServer } from 'node:http';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { chromium } from 'playwright-core';

const HERE = dirname(fileURLToPath(import.meta.url));
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
let passed = 0;
let failed = 0;
const check = (name, ok, detail = '') => {
  if (ok) passed++;
  else failed++;
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${name}${detail ? `: ${detail}` : ''}`);
};

if (!existsSync(CHROMIUM)) {
  console.error(`no Chromium at ${CHROMIUM}: install Debian's chromium (apt-get install chromium) or set CHROMIUM_PATH.`);
  process.exit(1);
}
const bundle = await esbuild.build({
  entryPoints: [join(HERE, 'src', 'page.ts')],
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2020',
  write: false,
  logLevel: 'error',
});
const js = bundle.outputFiles[0].text;
console.log(`bundle: ${(js.length / 1024).toFixed(0)} kB`);
const html = '<!doctype html><html><head><meta charset="utf-8"><title>tfjs-imbalance</title></head><body><script type="module" src="/page.js"></script></body></html>';
const server = createServer((req, res) => {
  if (req.url === '/page.js') res.writeHead(200, { 'content-type': 'text/javascript' }).end(js);
  else res.writeHead(200, { 'content-type': 'text/html' }).end(html);
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const url = `http://127.0.0.1:${server.address().port}/`;
// One browser for the three backends: WebGL and WebGPU on SwiftShader (software), the default in headless Chromium.
const browser = await chromium.launch({
  executablePath: CHROMIUM,
  headless: true,
  args: ['--headless', '--no-sandbox', '--enable-unsafe-webgpu', '--use-angle=swiftshader', '--enable-unsafe-swiftshader', '--use-gl=angle', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
/** |a − b| ≤ 1e-4·|b| + 1e-5·max|B|: float32 rounding between backends, held to each array's scale. */
const closeTo = (a, b) => {
  const scale = Math.max(1e-30, ...b.map(Math.abs));
  return a.length === b.length && a.every((v, i) => Math.abs(v - b[i]) <= 1e-4 * Math.abs(b[i]) + 1e-5 * scale);
};
try {
  for (const backend of (process.env.BROWSER_BACKENDS ?? 'cpu,webgl,webgpu,webgl-f16').split(',')) {
    console.log(`== ${backend}`);
    // One context per backend: its pages share IndexedDB (browser.newPage() would open a context of its own).
    const context = await browser.newContext();
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${url}?backend=${backend}`);
    await page.waitForFunction(() => window.__result !== undefined, null, { timeout: 300_000 });
    const r = await page.evaluate(() => window.__result);
    await page.close();
    const at = (name) => `${backend}: ${name}`;
    check(at('the page ran without error'), !r.error && errors.length === 0, r.error ?? errors.join('; '));
    if (r.error) {
      await context.close();
      continue;
    }
    if (backend === 'webgl-f16') {
      for (const [i, what] of ['the loss', 'the F-beta metric'].entries()) {
        check(at(`${what} refuses 16-bit float textures, naming the fix`), r.f16Errors[i].startsWith('backend: is WebGL with 16-bit float textures') && r.f16Errors[i].includes("tf.setBackend('wasm')"), r.f16Errors[i]);
      }
      await context.close();
      continue;
    }
    check(at('backend'), r.backend === backend, r.backend);
    for (const [name, v] of Object.entries(r.values)) {
      const ref = r.cpuValues[name];
      const worst = Math.max(...v.map((x, i) => Math.abs(x - ref[i]) / (Math.abs(ref[i]) + 1e-12)));
      check(at(`${name}: value and gradient match the cpu backend's`), v.every(Number.isFinite) && closeTo(v, ref), `worst relative difference ${worst.toExponential(1)}`);
    }
    for (const [name, got, want] of r.float64) {
      check(at(`${name}: within 1e-4 of the float64 value`), Math.abs(got - want) <= 1e-4 * Math.abs(want), `${got} against ${want}`);
    }
    if (backend === 'cpu') console.log(`note cpu: ${r.blockingReads} synchronous reads during fit (copies on cpu: the label checks and the JS routes of the losses and the F-beta counts)`);
    else check(at('no blocking read during fit (every dataSync throws)'), r.blockingReads === 0, String(r.blockingReads));
    const fn = r.functional;
    check(at('the functional losses with default options give finite values'), fn.values.length === 6 && fn.values.every(Number.isFinite), JSON.stringify(fn.values));
    if (backend !== 'cpu') check(at('the functional losses with default options make no blocking read'), fn.reads === 0, String(fn.reads));
    const h = r.history;
    check(at('the loss fell'), h.loss.at(-1) < h.loss[0], `${h.loss[0].toFixed(4)} → ${h.loss.at(-1).toFixed(4)}`);
    check(at('val_fbeta (exact, from the F-beta callback) is logged every epoch'), h.val_fbeta?.length === 8 && h.val_fbeta.every((v) => v >= 0 && v <= 1), JSON.stringify(h.val_fbeta?.map((v) => +v.toFixed(3))));
    check(at('the model learnt (val_fbeta > 0.8)'), h.val_fbeta.at(-1) > 0.8, h.val_fbeta.at(-1).toFixed(3));
    check(at('val_map and the compile F-beta metric are logged'), h.val_map?.length === 8 && h.fbeta?.length === 8);
    check(at('class_weight_min/max are logged'), h.class_weight_max?.length === 8 && h.class_weight_min[0] < h.class_weight_max[0]);
    const close = r.classWeights.every((w, i) => Math.abs(w - r.expectedWeights[i]) < 1e-5);
    check(at('the final class weights read back from the page are the ENS(0.99) weights'), close, r.classWeights.map((w) => w.toFixed(4)).join(' '));
    // fit adds exactly Adam's two moments for the kernel and the bias; anything more is a leak.
    check(at('no tensors leaked in the page (only the 4 Adam moments are new)'), r.tensorsAdded === 4, String(r.tensorsAdded));
    const q = r.search;
    check(at('compareTreatments runs every default candidate and selects one'), JSON.stringify(q.runs) === JSON.stringify(q.expectedRuns) && q.runs.includes(q.selected), `selected ${q.selected}`);
    if (backend !== 'cpu') check(at('compareTreatments makes no blocking read'), q.blockingReads === 0, String(q.blockingReads));
    check(at('compareTreatments leaks nothing'), q.tensorsLeft === 0, String(q.tensorsLeft));
    // The deploy route: a fresh page (a new JavaScript realm, nothing in memory) loads the classifier the search page saved to IndexedDB.
    const fresh = await context.newPage();
    await fresh.goto(`${url}?backend=${backend}&load=classifier`);
    await fresh.waitForFunction(() => window.__result !== undefined, null, { timeout: 120_000 });
    const d = await fresh.evaluate(() => window.__result);
    await fresh.close();
    check(at('saveClassifier to IndexedDB, loadClassifier in a fresh page: the same labels'), !d.error && JSON.stringify(d.labels) === JSON.stringify(q.deployed.labels), d.error ?? `${JSON.stringify(d.labels?.slice(0, 4))}…`);
    check(at('the loaded classifier gives the same probabilities (float32) and thresholds'), !d.error && closeTo(d.probabilities.flat(), q.deployed.probabilities.flat()) && JSON.stringify(d.thresholds) === JSON.stringify(q.deployed.thresholds));
    if (backend !== 'cpu') check(at('loadClassifier predicts without a blocking read'), d.blockingReads === 0, String(d.blockingReads));
    check(at('the search states its verdict'), typeof q.verdict === 'string' && q.verdict.length > 0, q.verdict);
    await context.close();
    const s = r.resume;
    check(at('IndexedDB: saved and loaded with the optimizer state (Adam step count kept)'), s.stepAfterLoad === s.stepBeforeSave && s.stepBeforeSave === 48, `${s.stepBeforeSave} → ${s.stepAfterLoad}`);
    check(at('IndexedDB: resumed training goes on from there (2 more epochs of 6 steps)'), s.stepAfterResume === s.stepBeforeSave + 12, String(s.stepAfterResume));
    check(at('IndexedDB: the loss came back with its class weights'), s.resumedClassWeights.every((w, i) => Math.abs(w - r.classWeights[i]) < 1e-6));
    check(at('IndexedDB: the resumed run logs the loss and the F-beta metric, and continues from the saved loss'), s.history.loss.length === 2 && s.history.fbeta?.length === 2 && s.history.loss[0] <= h.loss[0], JSON.stringify(s.history.loss.map((v) => +v.toFixed(4))));
    check(at('IndexedDB: no warning from tfjs while loading and resuming'), s.warnings.length === 0, s.warnings.join('; '));
  }
  // The segmentation example's training core (examples/segmentation, --quick) on WebGL: per-pixel outputs [N, H, W, C].
  if ((process.env.BROWSER_BACKENDS ?? 'webgl').split(',').includes('webgl')) {
    console.log('== webgl: the segmentation example');
    const context = await browser.newContext();
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${url}?backend=webgl&example=segmentation`);
    await page.waitForFunction(() => window.__result !== undefined, null, { timeout: 300_000 });
    const r = await page.evaluate(() => window.__result);
    await context.close();
    const at = (name) => `webgl, segmentation example: ${name}`;
    check(at('ran without error'), !r.error && errors.length === 0, r.error ?? errors.join('; '));
    if (!r.error) {
      check(at('backend'), r.backend === 'webgl', r.backend);
      check(at('every treatment ran, plain training first'), r.runs.map((x) => x.name).join() === 'plain,isns,ens-0.999,focal', r.runs.map((x) => x.name).join());
      const figures = r.runs.flatMap((x) => [...x.loss, ...x.validation, ...x.test, ...x.thresholds]);
      check(at('every loss, validation and test figure and threshold is finite'), figures.length > 0 && figures.every(Number.isFinite), `${figures.length} figures`);
      check(at('F-beta figures lie in [0, 1]'), r.runs.every((x) => [...x.validation, ...x.test].every((v) => v >= 0 && v <= 1)));
      check(at('the training loss fell in every run'), r.runs.every((x) => x.loss.at(-1) < x.loss[0]), r.runs.map((x) => `${x.name} ${x.loss[0].toFixed(4)} → ${x.loss.at(-1).toFixed(4)}`).join(', '));
      check(at('the selection names a run'), [r.selected.at05, r.selected.tuned].every((s) => r.runs.some((x) => x.name === s)), JSON.stringify(r.selected));
      check(at('no tensor leaked'), r.tensorsLeft === 0, String(r.tensorsLeft));
      // The sample-weight callback counts the [N, H, W, C] label tensor at train begin, with an asynchronous read.
      check(at('no blocking read, the weighted runs included (the callback reads the labels asynchronously)'), r.blockingReads === 0, `${r.blockingReads} in ${r.seconds.toFixed(1)} s`);
    }
  }
} finally {
  await browser.close();
  server.close();
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
