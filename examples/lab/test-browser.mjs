#!/usr/bin/env node
// npm run test:lab: type-checks and builds the lab, serves it, and drives it in
// headless Chromium (WebGL on SwiftShader) with playwright-core: the bundled
// sample by keyboard, the label-count chart, a cancelled search, a quick
// search to a selection (timed, with the page's main thread watched), the
// charts, the zip, and a Node round trip of the zip's classifier against the
// page's probabilities; then each bad file, axe-core and the keyboard.
// Writes docs/lab.png. Fails, never skips, when Chromium cannot run.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { unzipSync } from 'fflate';
import { chromium } from 'playwright-core';
import { build, SITE } from './build.mjs';
import { serve } from './serve.mjs';
import { axeViolations, tabOrder, tabTo } from './e2e/a11y.mjs';
import { BAD_FILES, LOOKS_INTERNAL } from './e2e/bad-files.mjs';
import { syntheticCsv } from './e2e/synthetic.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const OUT = join(HERE, 'out');
const SHOT = join(HERE, '../../docs/lab.png');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SEARCH_LIMIT_S = 90;
const T0 = performance.now();
let passed = 0;
let failed = 0;
const check = (name, ok, detail = '') => {
  if (ok) passed++;
  else failed++;
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${name}${detail === '' ? '' : `: ${detail}`}`);
  return ok;
};
const elapsed = () => `${((performance.now() - T0) / 1000).toFixed(1)} s`;

if (!existsSync(CHROMIUM)) {
  console.error(`no Chromium at ${CHROMIUM}: install Debian's chromium (apt-get install chromium) or set CHROMIUM_PATH.`);
  process.exit(1);
}
const tsc = spawnSync(process.execPath, [join(HERE, '../../node_modules/typescript/bin/tsc'), '-p', join(HERE, 'tsconfig.json')], { encoding: 'utf8' });
check('the lab type-checks (tsc -p examples/lab)', tsc.status === 0, tsc.stdout.trim().split('\n').slice(0, 8).join('\n'));
const built = await build();
const kb = (f) => `${(built.sizes[f].raw / 1024).toFixed(0)} kB (${(built.sizes[f].gzip / 1024).toFixed(0)} kB gzipped)`;
console.log(`built in ${built.seconds.toFixed(1)} s: main.js ${kb('main.js')}, worker.js ${kb('worker.js')}, lab-kit.mjs ${kb('kit/lab-kit.mjs')}`);

// The sample's labels, counted here independently of the page: the chart must have one bar per label.
const sampleLines = readFileSync(join(SITE, 'debtags-sample.tsv'), 'utf8').trim().split('\n');
const tagsAt = sampleLines[0].split('\t').indexOf('tags');
const sampleLabels = new Set(sampleLines.slice(1).flatMap((l) => l.split('\t')[tagsAt].split(',').map((t) => t.trim()).filter((t) => t !== '' && !/::TODO$/.test(t))));

const { server, url } = await serve(SITE, 0);
const browser = await chromium.launch({
  executablePath: CHROMIUM,
  headless: true,
  args: ['--no-sandbox', '--use-angle=swiftshader', '--enable-unsafe-swiftshader', '--use-gl=angle', '--enable-unsafe-webgpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const errors = [];
const context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1280, height: 900 } });
const page = await context.newPage();
page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
page.on('console', (m) => {
  if (m.type() === 'error') errors.push(`console: ${m.text()}`);
});
const state = () => page.evaluate(() => document.body.dataset.state);
/** Clicks the download link, saves the zip under out/ and unpacks it into out/DIR; returns its files. */
async function downloadZip(dir) {
  mkdirSync(join(OUT, dir), { recursive: true });
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download')]);
  const zipPath = join(OUT, `${dir}.zip`);
  await download.saveAs(zipPath);
  const files = unzipSync(readFileSync(zipPath));
  for (const [name, bytes] of Object.entries(files)) writeFileSync(join(OUT, dir, name), bytes);
  return files;
}
/** check-artifact.mjs on an unpacked zip: Node's probabilities against the page's; undefined (with its output printed) when it fails. */
function roundTrip(dir) {
  const run = spawnSync(process.execPath, [join(HERE, 'check-artifact.mjs'), join(OUT, dir)], { encoding: 'utf8' });
  try {
    return JSON.parse(run.stdout.trim().split('\n').at(-1));
  } catch {
    console.log(run.stdout.slice(-800), run.stderr.slice(-800));
    return undefined;
  }
}
/** Runs reproduce.mjs in an unpacked zip; returns its JSON summary, or its error output. */
function reproduce(dir) {
  const t = performance.now();
  const run = spawnSync(process.execPath, ['reproduce.mjs', '--json', join(OUT, `${dir}-reproduce.json`)], { cwd: join(OUT, dir), encoding: 'utf8' });
  if (run.status !== 0) return { error: run.stderr.slice(-800) };
  const r = JSON.parse(readFileSync(join(OUT, `${dir}-reproduce.json`), 'utf8'));
  const worst = Math.max(...r.runs.map((x) => Math.max(Math.abs(x.micro - x.pageMicro), Math.abs(x.macro - x.pageMacro))));
  return { ...r, worst, seconds: (performance.now() - t) / 1000 };
}
const text = (sel) => page.locator(sel).innerText();

try {
  await page.goto(url);
  await page.waitForFunction(() => document.body.dataset.state === 'idle');
  const axeStart = await axeViolations(page);
  check('axe-core: no serious or critical violation on the empty page', axeStart.length === 0, axeStart.join('; '));

  // 1. The sample, by keyboard.
  const presses = await tabTo(page, 'sample');
  const focusShows = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle !== 'none');
  check('keyboard: Tab reaches "Use the bundled debtags sample", with a visible focus outline', presses > 0 && focusShows, `${presses} presses`);
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.body.dataset.state !== 'idle' && document.querySelector('#label-chart')?.dataset.labels !== undefined, null, { timeout: 30_000 });
  const marks = await page.locator('#label-chart svg .mark-rect.role-mark path').count();
  check('the label-count chart is an SVG with one bar per label', marks === sampleLabels.size && (await page.getAttribute('#label-chart', 'data-labels')) === String(sampleLabels.size), `${marks} bars, ${sampleLabels.size} labels in the sample (counted by this test)`);
  check('the page reads the sample as the demo does (tags, by source, package/section/description as text)', (await page.inputValue('#label-column')) === 'tags' && (await page.inputValue('#group-column')) === 'source' && (await page.locator('#text-columns input:checked').evaluateAll((l) => l.map((i) => i.value).join(','))) === 'package,section,description');

  // 2. A search cancelled: Cancel terminates the worker, the page says so, and nothing moves after.
  await page.focus('#run');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => /Run 1 of \d+: plain/.test(document.querySelector('#progress-text').textContent), null, { timeout: 60_000 });
  await page.focus('#cancel');
  await page.keyboard.press('Space');
  const afterCancel = await text('#progress-text');
  await page.waitForTimeout(1500);
  check('Cancel (by keyboard) stops the search: the page says so and no progress follows', (await state()) === 'cancelled' && /^Cancelled after [\d.]+ s: the worker was stopped/.test(afterCancel) && (await text('#progress-text')) === afterCancel && !(await page.isDisabled('#run')), afterCancel);

  // 3. The quick search, watched: the main thread's longest pause between 50 ms timer ticks while it runs.
  await page.evaluate(() => {
    const probe = { worst: 0, ticks: 0, last: performance.now() };
    window.__probe = probe;
    probe.rendering = 0;
    probe.timer = setInterval(() => {
      const now = performance.now();
      if (document.body.dataset.state === 'running') {
        probe.worst = Math.max(probe.worst, now - probe.last);
        probe.ticks++;
      } else if (document.body.dataset.state === 'rendering') probe.rendering = Math.max(probe.rendering, now - probe.last);
      probe.last = now;
    }, 50);
  });
  const tSearch = performance.now();
  await page.click('#run');
  await page.waitForFunction(() => ['done', 'error'].includes(document.body.dataset.state), null, { timeout: 300_000 });
  const searchSeconds = (performance.now() - tSearch) / 1000;
  const probe = await page.evaluate(() => (clearInterval(window.__probe.timer), window.__probe));
  check('the quick search ends in a selection, without error', (await state()) === 'done' && (await text('#search-error')) === '', await text('#search-error'));
  check(`the quick search takes under ${SEARCH_LIMIT_S} s`, searchSeconds < SEARCH_LIMIT_S, `${searchSeconds.toFixed(1)} s, results shown included`);
  // A search on the page's own thread pauses it for seconds; the bounds leave room for a 2-core machine shared with
  // SwiftShader's threads (a 9-run search here showed pauses up to 0.5 s with nothing on the page's thread but messages).
  check('the page stays responsive: its main thread never paused 500 ms while the worker searched', probe.worst < 500 && probe.ticks > 20, `longest pause ${probe.worst.toFixed(0)} ms over ${probe.ticks} ticks`);
  check('...nor 1 s while it drew the results', probe.rendering < 1000, `longest pause ${probe.rendering.toFixed(0)} ms`);
  const backendLine = await text('#backend-status');
  check('the search trained on WebGL (SwiftShader here), and the page says so', /^Training on WebGL \(.*SwiftShader/.test(backendLine), backendLine);
  if ((await state()) !== 'done') throw new Error('no results to check');

  // 4. The results.
  const runRows = await page.locator('#runs tbody tr').count();
  const selectedRows = await page.locator('#runs tbody tr.selected th').allInnerTexts();
  check('the runs table has the quick preset\'s 3 runs, one of them selected', runRows === 3 && selectedRows.length === 1, `${runRows} rows, selected ${selectedRows.join(',')}`);
  const verdict = await text('#verdict');
  check('the verdict is the search\'s own text', /selected/.test(verdict) && /F0\.5/.test(verdict), verdict);
  check('the front chart has one point per run', (await page.locator('#front-chart svg .mark-symbol.role-mark path').count()) === 3);
  const compareOptions = await page.evaluate(() => document.querySelector('#compare-run').options.length);
  const classBars = await page.locator('#class-chart svg .mark-rect.role-mark path').count();
  const nClasses = Number((await text('#result-notes')).match(/the (\d+) most frequent labels/)?.[1]);
  check('the per-class chart has F0.5, precision and recall for each class', classBars === 3 * nClasses && compareOptions === 2, `${classBars} bars, ${nClasses} classes`);
  const axeDone = await axeViolations(page);
  check('axe-core: no serious or critical violation with the results shown', axeDone.length === 0, axeDone.join('; '));

  // 5. The zip: downloaded, unpacked, checked in Node.
  rmSync(OUT, { recursive: true, force: true });
  const files = await downloadZip('artifact');
  const names = Object.keys(files).sort();
  check('the zip holds the classifier, its features, the scripts and the run', ['features.json', 'lab-kit.mjs', 'model.json', 'predict.mjs', 'predictions.json', 'reproduce.mjs', 'results.json', 'settings.json', 'weights.bin'].every((n) => names.includes(n)), names.join(' '));
  const exported = JSON.parse(Buffer.from(files['predictions.json']).toString('utf8'));
  const shown = await page.locator('#predictions tbody [data-p]').evaluateAll((l) => l.map((s) => [Number(s.closest('tr').dataset.line), s.dataset.class, Number(s.dataset.p), s.textContent]));
  const shownOk = shown.length > 0 && shown.every(([line, c, p, t]) => {
    const n = exported.lines.indexOf(line);
    const q = exported.probabilities[n][JSON.parse(Buffer.from(files['results.json']).toString('utf8')).classes.indexOf(c)];
    return p === q && t === `${c} ${q.toFixed(4)}`;
  });
  check('the probabilities the page shows are the ones it exports', shownOk, `${shown.length} shown`);
  const rt = roundTrip('artifact');
  check('Node loads the zip\'s classifier with loadClassifier (through its predict.mjs) on wasm or cpu', rt !== undefined && ['wasm', 'cpu'].includes(rt.backend) && rt.sameClasses && rt.sameThresholds && rt.verdict && rt.treatment === rt.selected, rt ? `${rt.backend}, ${rt.treatment}` : 'check-artifact.mjs failed (its output is above)');
  check('...and gets the page\'s probabilities to float32 precision (|diff| ≤ 1e-4)', rt !== undefined && rt.values > 0 && rt.maxDiff <= 1e-4 && rt.decisionsOff === 0, rt ? `${rt.rows} rows × ${rt.values / rt.rows} classes, max |diff| ${rt.maxDiff.toExponential(2)}, ${rt.decisionsOff} decisions off` : '');
  const cli = spawnSync(process.execPath, ['predict.mjs', names.find((n) => n.startsWith('data.'))], { cwd: join(OUT, 'artifact'), encoding: 'utf8' });
  check('node predict.mjs data.tsv prints a line per row', cli.status === 0 && cli.stdout.split('\n').filter((l) => l.startsWith('line ')).length === built.sampleRows, cli.stderr.slice(-400));
  const cross = reproduce('artifact');
  check('node reproduce.mjs runs the WebGL run\'s search again in Node', cross.error === undefined && cross.runs.length === 3, cross.error ?? `on ${cross.backend} in ${cross.seconds.toFixed(1)} s`);
  if (cross.error === undefined) {
    console.log(`note: WebGL (page) against ${cross.backend} (Node), same seed: selected ${cross.pageSelected} / ${cross.selected}; largest validation F0.5 difference ${cross.worst.toFixed(4)} (float32 rounding differs between backends, and early stopping amplifies it)`);
  }

  // 6. The screenshot for the README: the results, as the CI run drew them.
  const box = await page.evaluate(() => {
    const top = document.querySelector('#results').getBoundingClientRect().top + window.scrollY;
    const bottom = document.querySelector('#class-chart').closest('figure').getBoundingClientRect().bottom + window.scrollY;
    return { top, bottom };
  });
  await page.screenshot({ path: SHOT, clip: { x: 0, y: Math.max(0, box.top - 10), width: 1280, height: Math.ceil(box.bottom - box.top + 20) }, fullPage: true });
  check('docs/lab.png written', existsSync(SHOT), `${(readFileSync(SHOT).length / 1024).toFixed(0)} kB`);

  // 7. The same seed on the same backend repeats a search exactly: the page on wasm, then reproduce.mjs in Node on wasm.
  await page.selectOption('#backend', 'wasm');
  await page.click('#run');
  await page.waitForFunction(() => ['done', 'error'].includes(document.body.dataset.state), null, { timeout: 300_000 });
  const onWasm = await text('#backend-status');
  await downloadZip('wasm');
  const same = reproduce('wasm');
  check('a search on wasm in the page, then reproduce.mjs on wasm in Node: the same selection and figures (|diff| ≤ 1e-6)', /^Training on WebAssembly/.test(onWasm) && same.error === undefined && same.backend === 'wasm' && same.selected === same.pageSelected && same.worst <= 1e-6, same.error ?? `selected ${same.selected} (page: ${same.pageSelected}), largest validation difference ${same.worst.toExponential(1)}`);

  // 8. A dropped CSV with text and numeric columns, quoted fields and '|'-separated labels: its classifier round-trips too.
  const dropped = await page.evaluateHandle((csv) => {
    const d = new DataTransfer();
    d.items.add(new File([csv], 'synthetic.csv', { type: 'text/csv' }));
    return d;
  }, syntheticCsv());
  await page.dispatchEvent('#drop', 'drop', { dataTransfer: dropped });
  await page.waitForFunction(() => ['loaded', 'error'].includes(document.body.dataset.state));
  const guessed = await page.evaluate(() => ({
    label: document.querySelector('#label-column').value,
    separator: document.querySelector('#label-separator').value,
    text: [...document.querySelectorAll('#text-columns input:checked')].map((i) => i.value).join(','),
    numeric: [...document.querySelectorAll('#numeric-columns input:checked')].map((i) => i.value).join(','),
  }));
  check('a dropped CSV is read, its columns guessed (text; numeric x1, x2; labels split on |)', (await state()) === 'loaded' && JSON.stringify(guessed) === JSON.stringify({ label: 'labels', separator: '|', text: 'text', numeric: 'x1,x2' }), `${JSON.stringify(guessed)} ${await text('#data-error')}`);
  await page.click('#run');
  await page.waitForFunction(() => ['done', 'error'].includes(document.body.dataset.state), null, { timeout: 300_000 });
  const numericFiles = await downloadZip('numeric');
  const numericFeatures = JSON.parse(Buffer.from(numericFiles['features.json']).toString('utf8'));
  const nrt = roundTrip('numeric');
  check('...its search ends, and Node gets its probabilities to 1e-4 with standardised numeric features', (await state()) === 'done' && numericFeatures.numericColumns.join(',') === 'x1,x2' && nrt !== undefined && nrt.maxDiff <= 1e-4 && nrt.decisionsOff === 0, nrt ? `${nrt.rows} rows × ${nrt.values / nrt.rows} classes, ${numericFeatures.dim} inputs, max |diff| ${nrt.maxDiff.toExponential(2)}` : await text('#search-error'));
  await page.selectOption('#backend', 'auto');

  // 9. The keyboard: every control reached by Tab, each with a visible focus outline.
  const order = await tabOrder(page);
  const want = ['file', 'delimiter', 'sample', 'label-column', 'label-separator', 'exclude-labels', 'group-column', 'classes', 'seed', 'backend', 'run', 'compare-run', 'download'];
  const missing = want.filter((id) => !order.some((o) => o.id === id));
  const noOutline = order.filter((o) => !o.outline).map((o) => o.id);
  check('keyboard: Tab reaches every control', missing.length === 0, missing.length ? `missing ${missing.join(', ')} (reached: ${order.map((o) => o.id).join(' ')})` : `${order.length} stops`);
  check('keyboard: each focused control shows a focus outline', noOutline.length === 0, noOutline.join(', '));

  // 10. Bad files: a message on the page, never a stack trace or a frozen tab.
  for (const bad of BAD_FILES) {
    await page.selectOption('#delimiter', bad.delimiter ?? 'auto');
    // Timed in the page, from the picker's change event to the message (the file's trip from this process is not the page's).
    await page.evaluate(() => {
      const stamp = () => (window.__picked = performance.now());
      document.querySelector('#file').addEventListener('change', stamp, { once: true, capture: true });
    });
    await page.setInputFiles('#file', bad.file);
    await page.waitForFunction(() => document.body.dataset.state === 'error' || document.body.dataset.state === 'loaded', null, { timeout: 20_000 });
    const ms = await page.evaluate(() => performance.now() - window.__picked);
    const message = await text('#data-error');
    check(`bad file, ${bad.what}: a clear message within a second`, (await state()) === 'error' && bad.expect.test(message) && !LOOKS_INTERNAL.test(message) && (await page.isDisabled('#run')) && ms < 1000, `${message} (${ms.toFixed(0)} ms)`);
    if (bad.fix !== undefined) {
      await page.selectOption('#delimiter', bad.fix);
      await page.waitForFunction(() => document.body.dataset.state === 'loaded' || document.body.dataset.state === 'error');
      check(`bad file, ${bad.what}: the right separator then reads it`, (await state()) === 'loaded' && (await text('#data-error')) === '', await text('#data-summary'));
    }
  }
  await page.selectOption('#delimiter', 'auto');
  const axeBad = await axeViolations(page);
  check('axe-core: no serious or critical violation with an error shown', axeBad.length === 0, axeBad.join('; '));
  check('no uncaught error or console error on the page', errors.length === 0, errors.join(' | ').slice(0, 1000));
} catch (e) {
  check('the test ran to its end', false, e instanceof Error ? e.stack : String(e));
} finally {
  await browser.close();
  server.close();
}
console.log(`${passed} passed, ${failed} failed in ${elapsed()}`);
process.exit(failed ? 1 : 0);
