#!/usr/bin/env node
/**
 * The main job: plain vs INS vs ISNS vs ENS re-weighting on a multi-label
 * text dataset (by default the bundled Debian debtags), scored with F-beta.
 * `npm run demo` at the repo root runs the default; `--help` lists options.
 */
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs-core';
import cliProgress from 'cli-progress';
import { describeBackend, selectBackend } from '@tfjs-imbalance/backend';
import { countMultiHot, type SchemeConfig } from '@tfjs-imbalance/weight-schemes';
import { DataError, loadTable, seededShuffle, selectLabels, splitByGroup, type Example } from './dataset.js';
import { densify, hashedFeatures, multiHot } from './features.js';
import { runScheme, type Progress, type RunResult, type SplitTensors, type TrainSettings } from './experiment.js';
import { schemeRows, verdict, writeReports, type Results } from './report.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const DEFAULT_DATA = join(HERE, '..', 'data', 'debtags-bookworm.tsv.gz');
const SCHEMES = ['none', 'ins', 'isns', 'ens'] as const;

const HELP = `Usage: npm run demo -- [options]

  --schemes LIST        schemes to compare, from none,ins,isns,ens (default: all four; none is always run)
  --ens-betas LIST      ENS β candidates, chosen on validation (default: 0.9,0.99,0.999,0.9999)
  --beta B              the F-beta β (default: 0.5, precision counts twice as much as recall)
  --epochs N            maximum epochs per run, with early stopping on validation F-beta (default: 8)
  --out DIR             report folder (default: reports/debtags)
  --quick               a small subset for a smoke test (under 30 s)
  --data FILE           your own TSV/CSV (optionally .gz) with a header row
  --text-columns LIST   its text columns (default: package,section,description)
  --label-column NAME   its multi-label column, labels separated by --label-separator (default: tags)
  --label-separator S   (default: ,)
  --group-column NAME   rows sharing this value stay in one split (default: source; '' for none)
  --top-k K             predict the K most frequent labels (default: 29)
  --seed N              split and initialisation seed (default: 42)
  --dim N --hidden N --lr X --batch-size N --patience N   model and training settings
  --no-progress         no progress bars`;

function parse() {
  const { values } = parseArgs({
    options: {
      schemes: { type: 'string', default: SCHEMES.join(',') },
      'ens-betas': { type: 'string', default: '0.9,0.99,0.999,0.9999' },
      beta: { type: 'string', default: '0.5' },
      epochs: { type: 'string' },
      out: { type: 'string', default: 'reports/debtags' },
      quick: { type: 'boolean', default: false },
      data: { type: 'string' },
      'text-columns': { type: 'string', default: 'package,section,description' },
      'label-column': { type: 'string', default: 'tags' },
      'label-separator': { type: 'string', default: ',' },
      'group-column': { type: 'string', default: 'source' },
      'top-k': { type: 'string', default: '29' },
      seed: { type: 'string', default: '42' },
      dim: { type: 'string' },
      hidden: { type: 'string' },
      lr: { type: 'string' },
      'batch-size': { type: 'string' },
      patience: { type: 'string' },
      'no-progress': { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  });
  const num = (name: string, v: string | undefined, fallback: number, ok: (x: number) => boolean = (x) => x > 0) => {
    const x = v === undefined ? fallback : Number(v);
    if (!Number.isFinite(x) || !ok(x)) throw new DataError(`--${name}: expected a valid number, got "${v}".`);
    return x;
  };
  const quick = values.quick;
  const schemes = values.schemes.split(',').map((s) => s.trim());
  const unknown = schemes.filter((s) => !(SCHEMES as readonly string[]).includes(s));
  if (unknown.length) throw new DataError(`--schemes: unknown ${unknown.join(', ')}; choose from ${SCHEMES.join(', ')}.`);
  return {
    help: values.help,
    schemes: ['none', ...schemes.filter((s) => s !== 'none')] as (typeof SCHEMES)[number][],
    ensBetas: values['ens-betas'].split(',').map((b) => num('ens-betas', b, 0, (x) => x >= 0 && x < 1)),
    beta: num('beta', values.beta, 0.5),
    out: resolve(values.out),
    quick,
    data: values.data,
    textColumns: values['text-columns'].split(',').map((c) => c.trim()),
    labelColumn: values['label-column'],
    labelSeparator: values['label-separator'],
    groupColumn: values['group-column'] || undefined,
    topK: num('top-k', values['top-k'], 29, Number.isInteger),
    seed: num('seed', values.seed, 42, Number.isInteger),
    dim: num('dim', values.dim, quick ? 512 : 1024, Number.isInteger),
    progress: !values['no-progress'],
    train: {
      epochs: num('epochs', values.epochs, quick ? 5 : 8, Number.isInteger),
      batchSize: num('batch-size', values['batch-size'], 256, Number.isInteger),
      hidden: num('hidden', values.hidden, quick ? 16 : 32, Number.isInteger),
      learningRate: num('lr', values.lr, 0.01),
      patience: num('patience', values.patience, 2, Number.isInteger),
      beta: num('beta', values.beta, 0.5),
      seed: num('seed', values.seed, 42, Number.isInteger),
    } satisfies TrainSettings,
  };
}

function progressBars(enabled: boolean): Progress {
  if (!enabled) return { start() {}, batch() {}, epoch() {}, stop() {} };
  let bar: cliProgress.SingleBar | undefined;
  let valF = Number.NaN;
  let epochs = 0;
  return {
    start(name, e, batches) {
      epochs = e;
      valF = Number.NaN;
      bar = new cliProgress.SingleBar(
        {
          format: `${name.padEnd(10)} |{bar}| epoch {epoch}/${epochs} batch {value}/{total} loss {loss} val F {valF}`,
          noTTYOutput: true,
          notTTYSchedule: 5000,
          hideCursor: true,
        },
        cliProgress.Presets.shades_classic,
      );
      bar.start(batches, 0, { epoch: 1, loss: '-', valF: '-' });
    },
    batch(epoch, b, loss) {
      bar?.update(b + 1, { epoch: epoch + 1, loss: loss.toFixed(4), valF: Number.isNaN(valF) ? '-' : valF.toFixed(4) });
    },
    epoch(_e, f) {
      valF = f;
    },
    stop() {
      bar?.stop();
    },
  };
}

function tensorsOf(rows: number[], feats: Int32Array[], examples: readonly Example[], labels: readonly string[], dim: number): SplitTensors {
  return {
    x: tf.tensor2d(densify(rows.map((i) => feats[i]!), dim), [rows.length, dim]),
    y: tf.tensor2d(multiHot(rows.map((i) => examples[i]!.labels), labels), [rows.length, labels.length]),
  };
}

async function main(): Promise<void> {
  const t0 = performance.now();
  const o = parse();
  if (o.help) {
    console.log(HELP);
    return;
  }
  const backend = await selectBackend();
  console.log(describeBackend(backend));
  const file = o.data ?? DEFAULT_DATA;
  const spec = {
    textColumns: o.textColumns,
    labelColumn: o.labelColumn,
    labelSeparator: o.labelSeparator,
    ...(o.groupColumn === undefined ? {} : { groupColumn: o.groupColumn }),
  };
  let examples = loadTable(file, spec);
  const labels = selectLabels(examples, o.topK);
  const split = splitByGroup(examples.map((e) => e.group), o.seed);
  let rows = { train: [] as number[], val: [] as number[], test: [] as number[] };
  split.forEach((s, i) => rows[s].push(i));
  if (o.quick) {
    // A fixed subset: every 3rd train row, every 2nd validation and test row.
    rows = { train: rows.train.filter((_, k) => k % 3 === 0), val: rows.val.filter((_, k) => k % 2 === 0), test: rows.test.filter((_, k) => k % 2 === 0) };
  }
  // fit's own shuffle uses Math.random; a seeded shuffle of the training rows keeps runs repeatable.
  rows.train = seededShuffle(rows.train, o.seed);
  const feats = hashedFeatures(examples.map((e) => e.text), o.dim);
  const data = {
    train: tensorsOf(rows.train, feats, examples, labels, o.dim),
    val: tensorsOf(rows.val, feats, examples, labels, o.dim),
    test: tensorsOf(rows.test, feats, examples, labels, o.dim),
  };
  const trainRows = rows.train.map((i) => labels.map((l) => (examples[i]!.labels.includes(l) ? 1 : 0)));
  const counts = countMultiHot(trainRows);
  const testCounts = countMultiHot(rows.test.map((i) => labels.map((l) => (examples[i]!.labels.includes(l) ? 1 : 0))));
  console.log(
    `data: ${file}\n  ${examples.length} rows, ${labels.length} labels; train ${rows.train.length} / val ${rows.val.length} / test ${rows.test.length} ` +
      `(split by ${o.groupColumn ?? 'row'}); label counts in train from ${Math.max(...counts.positives)} down to ${Math.min(...counts.positives)}`,
  );
  const progress = progressBars(o.progress);
  const runs: RunResult[] = [];
  const ensSelection: { beta: number; valF: number }[] = [];
  for (const name of o.schemes) {
    if (name !== 'ens') {
      runs.push(await runScheme(name, { name } as SchemeConfig, counts, data, o.train, progress));
      continue;
    }
    const candidates: RunResult[] = [];
    for (const beta of o.ensBetas) {
      const r = await runScheme(`ens-${beta}`, { name: 'ens', beta }, counts, data, o.train, progress);
      candidates.push(r);
      ensSelection.push({ beta, valF: r.valF });
    }
    runs.push(candidates.reduce((a, b) => (b.valF > a.valF ? b : a)));
  }
  const schemes = runs.flatMap((r) => schemeRows(r, labels));
  const results: Results = {
    backend: backend.name,
    dataset: {
      source: o.data ? file : 'Debian bookworm main amd64 Packages index of 2026-07-11 (debtags), bundled',
      rows: examples.length,
      splits: { train: rows.train.length, val: rows.val.length, test: rows.test.length },
      classes: labels.length,
      support: labels.map((label, i) => ({ label, train: counts.positives[i]!, test: testCounts.positives[i]! })),
    },
    settings: { ...o.train, dim: o.dim, quick: o.quick, ensBetas: o.ensBetas, topK: o.topK },
    ensSelection,
    runs: runs.map((r) => ({ name: r.name, epochsRun: r.epochsRun, bestEpoch: r.bestEpoch, valF: r.valF, seconds: r.seconds })),
    schemes,
    verdict: verdict(schemes, o.beta),
    seconds: (performance.now() - t0) / 1000,
  };
  examples = [];
  tf.dispose([data.train.x, data.train.y, data.val.x, data.val.y, data.test.x, data.test.y]);
  const paths = await writeReports(o.out, results, o.beta);
  const pad = (s: string | number, n: number) => String(s).padEnd(n);
  console.log(`\n${pad('scheme', 12)}${pad('thresholds', 12)}${pad(`micro F${o.beta}`, 12)}${pad(`macro F${o.beta}`, 12)}${pad('precision', 11)}recall`);
  for (const s of schemes) {
    console.log(`${pad(s.name, 12)}${pad(s.thresholds, 12)}${pad(s.microF.toFixed(3), 12)}${pad(s.macroF.toFixed(3), 12)}${pad(s.precision.toFixed(3), 11)}${s.recall.toFixed(3)}`);
  }
  console.log(`\n${results.verdict}\n\ntime: ${results.seconds.toFixed(1)} s on ${backend.name}\nreports:\n  ${paths.json}\n  ${paths.md}\n  ${paths.html}`);
}

main().catch((e: unknown) => {
  console.error(e instanceof DataError ? `error: ${e.message}` : e);
  process.exit(1);
});
