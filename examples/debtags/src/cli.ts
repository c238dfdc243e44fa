#!/usr/bin/env node
/**
 * The main job: plain training vs INS, ISNS and ENS re-weighting and their
 * variations on a multi-label text dataset (by default the bundled Debian
 * debtags), a search that selects one configuration on validation, and the
 * test F-beta of each.
 * `npm run demo` at the repo root runs the default; `--help` lists options.
 */
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs-core';
import cliProgress from 'cli-progress';
import { describeBackend, selectBackend } from '@tfjs-imbalance/backend';
import { countMultiHot, type SchemeConfig } from '@tfjs-imbalance/weight-schemes';
import { DataError, loadTable, readHeader, seededShuffle, selectLabels, splitByGroup, type Example } from './dataset.js';
import { multiHot } from './features.js';
import { epochFloorSeconds, runConfig, type ExperimentData, type Progress, type RunConfig, type RunResult, type SplitTensors, type TrainSettings } from './experiment.js';
import { buildResults, writeReports } from './report.js';
import { TfidfVectorizer, packSparse } from './tfidf.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const DEFAULT_DATA = join(HERE, '..', 'data', 'debtags-bookworm.tsv.gz');
const SCHEMES = ['none', 'ins', 'isns', 'ens', 'db', 'asl'] as const;
const VARIANTS = ['mean', 'empty0', 'posweight', 'drw', 'focal'] as const;
type Variant = (typeof VARIANTS)[number];

const HELP = `Usage: npm run demo -- [options]

  --schemes LIST        what to compare, from none,ins,isns,ens (re-weighted BCE), db (Distribution-Balanced,
                        DB-focal) and asl (Asymmetric Loss) (default: all; none is always run)
  --ens-betas LIST      ENS β candidates (default: 0.99,0.999,0.9999)
  --variants LIST       variations tried on the best re-weighted scheme, from ${VARIANTS.join(',')}
                        (default: all; '' for none): the mean combine rule, the reference's empty-row weight 0,
                        PyTorch's pos_weight, deferred re-weighting from epoch 2, and the focal loss (γ 2)
  --beta B              the F-beta β (default: 0.5, precision counts twice as much as recall)
  --epochs N            maximum epochs per run, with early stopping on validation F-beta (default: 20)
  --full                longer runs: up to 40 epochs, ENS β also 0.9
  --out DIR             report folder (default: reports/debtags, or reports/debtags-quick with --quick)
  --quick               a small subset for a smoke test (about 20 s)
  --data FILE           your own TSV/CSV (optionally .gz) with a header row
  --text-columns LIST   its text columns (default: package,section,description)
  --label-column NAME   its multi-label column, labels separated by --label-separator (default: tags)
  --label-separator S   (default: ,)
  --group-column NAME   rows sharing this value stay in one split (default: source when the file has it,
                        else each row alone; '' for each row alone)
  --top-k K             predict the K most frequent labels (default: 29)
  --seed N              split and row-order seed (default: 42)
  --lr X --batch-size N --patience N   training settings (default: 0.2, 1024, 3)
  --c X                 inverse L2 strength, as scikit-learn's LogisticRegression C (default: 4)
  --no-progress         no progress bars`;

function parse() {
  const { values } = parseArgs({
    options: {
      schemes: { type: 'string', default: SCHEMES.join(',') },
      'ens-betas': { type: 'string' },
      variants: { type: 'string', default: VARIANTS.join(',') },
      beta: { type: 'string', default: '0.5' },
      epochs: { type: 'string' },
      full: { type: 'boolean', default: false },
      out: { type: 'string' },
      quick: { type: 'boolean', default: false },
      data: { type: 'string' },
      'text-columns': { type: 'string', default: 'package,section,description' },
      'label-column': { type: 'string', default: 'tags' },
      'label-separator': { type: 'string', default: ',' },
      'group-column': { type: 'string' },
      'top-k': { type: 'string', default: '29' },
      seed: { type: 'string', default: '42' },
      lr: { type: 'string' },
      'batch-size': { type: 'string' },
      patience: { type: 'string' },
      c: { type: 'string' },
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
  const list = (v: string) => v.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
  const { quick, full } = values;
  const schemes = list(values.schemes);
  const unknown = schemes.filter((s) => !(SCHEMES as readonly string[]).includes(s));
  if (unknown.length) throw new DataError(`--schemes: unknown ${unknown.join(', ')}; choose from ${SCHEMES.join(', ')}.`);
  const variants = list(values.variants);
  const badVariant = variants.filter((s) => !(VARIANTS as readonly string[]).includes(s));
  if (badVariant.length) throw new DataError(`--variants: unknown ${badVariant.join(', ')}; choose from ${VARIANTS.join(', ')}.`);
  const betas = values['ens-betas'] ?? (quick ? '0.999' : full ? '0.9,0.99,0.999,0.9999' : '0.99,0.999,0.9999');
  return {
    help: values.help,
    schemes: ['none', ...schemes.filter((s) => s !== 'none')] as (typeof SCHEMES)[number][],
    variants: variants as Variant[],
    ensBetas: list(betas).map((b) => num('ens-betas', b, 0, (x) => x > 0 && x < 1)),
    beta: num('beta', values.beta, 0.5),
    out: resolve(values.out ?? (quick ? 'reports/debtags-quick' : 'reports/debtags')),
    quick,
    full,
    data: values.data,
    textColumns: list(values['text-columns']),
    labelColumn: values['label-column'],
    labelSeparator: values['label-separator'],
    groupColumn: values['group-column'],
    topK: num('top-k', values['top-k'], 29, Number.isInteger),
    seed: num('seed', values.seed, 42, Number.isInteger),
    inverseL2: num('c', values.c, 4),
    progress: !values['no-progress'],
    train: {
      epochs: num('epochs', values.epochs, quick ? 4 : full ? 40 : 20, Number.isInteger),
      batchSize: num('batch-size', values['batch-size'], quick ? 256 : 1024, Number.isInteger),
      learningRate: num('lr', values.lr, 0.2),
      patience: num('patience', values.patience, quick ? 2 : 3, Number.isInteger),
      beta: num('beta', values.beta, 0.5),
      seed: num('seed', values.seed, 42, Number.isInteger),
    },
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
          format: `${name.padEnd(16)} |{bar}| epoch {epoch}/${epochs} batch {value}/{total} loss {loss} val F {valF}`,
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

/** The configuration of a plain scheme run: the reference sum rule, empty rows as a class. */
function schemeConfig(name: string, scheme: SchemeConfig): RunConfig {
  return { name, scheme, combine: scheme.name === 'none' ? 'max' : 'sum', emptyRowWeight: 'as-class', posWeight: false, deferUntilEpoch: 0 };
}

function variantOf(base: RunConfig, v: Variant): RunConfig {
  const name = `${base.name}+${v}`;
  switch (v) {
    case 'mean':
      return { ...base, name, combine: 'mean' };
    case 'empty0':
      return { ...base, name, emptyRowWeight: 0 };
    case 'posweight':
      return { ...base, name, posWeight: true };
    case 'drw':
      return { ...base, name, deferUntilEpoch: 2 };
    case 'focal':
      return { ...base, name, focalGamma: 2 };
  }
}

/**
 * The search's rule, on validation only: among the runs whose cross-fitted
 * tuned micro F-beta is within 0.01 of plain training's, the one with the
 * highest cross-fitted tuned macro F-beta (plain training itself included).
 */
function select(runs: readonly RunResult[]): RunResult {
  const plain = runs.find((r) => r.config.name === 'none')!;
  const eligible = runs.filter((r) => r.valTuned.micro >= plain.valTuned.micro - 0.01);
  return eligible.reduce((a, b) => (b.valTuned.macro > a.valTuned.macro ? b : a), plain);
}

function splitTensors(rows: number[], packed: Float32Array, width: number, examples: readonly Example[], labels: readonly string[]): SplitTensors {
  return {
    x: tf.tensor2d(packed, [rows.length, width]),
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
  let groupColumn = o.groupColumn === '' ? undefined : o.groupColumn;
  if (o.groupColumn === undefined) {
    groupColumn = readHeader(file).includes('source') ? 'source' : undefined;
    if (groupColumn === undefined) console.log(`note: ${file} has no "source" column, so rows are split one by one (pass --group-column to keep related rows together).`);
  }
  const spec = {
    textColumns: o.textColumns,
    labelColumn: o.labelColumn,
    labelSeparator: o.labelSeparator,
    ...(groupColumn === undefined ? {} : { groupColumn }),
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
  const tFeatures = performance.now();
  const vectorizer = new TfidfVectorizer({ minDf: 2 }).fit(rows.train.map((i) => examples[i]!.text));
  const sparse = vectorizer.transform(examples.map((e) => e.text));
  const L = Math.min(128, Math.max(1, ...rows.train.map((i) => sparse.indices[i]!.length)));
  const tensorsOf = (r: number[]) => splitTensors(r, packSparse(r, sparse, L), 2 * L, examples, labels);
  const train = tensorsOf(rows.train);
  const counts = countMultiHot(train.y);
  const C = labels.length;
  const tailSize = Math.ceil(C / 3);
  const tail = labels.map((_, i) => i).sort((a, b) => counts.positives[a]! - counts.positives[b]!).slice(0, tailSize);
  const data: ExperimentData = { train, val: tensorsOf(rows.val), test: tensorsOf(rows.test), counts, features: vectorizer.dim, tail };
  const featureSeconds = (performance.now() - tFeatures) / 1000;
  const testCounts = countMultiHot(data.test.y);
  // scikit-learn's C penalises ½‖w‖² against the summed loss; ours is averaged over N rows and C classes.
  const settings: TrainSettings = { ...o.train, l2: 1 / (2 * o.inverseL2 * rows.train.length * C) };
  console.log(
    `data: ${file}\n  ${examples.length} rows, ${C} labels; train ${rows.train.length} / val ${rows.val.length} / test ${rows.test.length} ` +
      `(split by ${groupColumn ?? 'row'}); label counts in train from ${Math.max(...counts.positives)} down to ${Math.min(...counts.positives)}; ` +
      `${counts.emptyRows} training rows (${((100 * counts.emptyRows) / counts.samples).toFixed(1)}%) have none of these labels\n` +
      `  features: TF-IDF word uni+bigrams, ${vectorizer.dim} terms (min_df 2), up to ${L} per row, in ${featureSeconds.toFixed(1)} s`,
  );
  const progress = progressBars(o.progress);
  const runs: RunResult[] = [];
  const run = async (config: RunConfig) => {
    const r = await runConfig(config, data, settings, progress);
    runs.push(r);
    return r;
  };
  // Stage 1: the schemes.
  const plain = await run(schemeConfig('none', { name: 'none' }));
  for (const name of o.schemes.filter((s) => s !== 'none')) {
    if (name === 'ens') for (const beta of o.ensBetas) await run(schemeConfig(`ens-${beta}`, { name: 'ens', beta }));
    else if (name === 'db' || name === 'asl') await run({ ...schemeConfig(name, { name: 'none' }), combine: 'mean', loss: name });
    else await run(schemeConfig(name, { name }));
  }
  // Stage 2: variations on the best re-weighted BCE scheme (by the selection rule, on validation).
  const reweighted = runs.filter((r) => r !== plain && r.config.loss === undefined);
  if (reweighted.length > 0 && o.variants.length > 0) {
    const best = select([plain, ...reweighted]);
    const base = (best === plain ? reweighted.reduce((a, b) => (b.valTuned.macro > a.valTuned.macro ? b : a)) : best).config;
    // (DB and ASL are whole losses of their own; the variations apply to the re-weighted BCE.)
    for (const v of o.variants) await run(variantOf(base, v));
  }
  const selected = select(runs);
  const floor = epochFloorSeconds(data, settings);
  const results = buildResults({
    backend: backend.name,
    file,
    bundled: o.data === undefined,
    examples: examples.length,
    rows,
    labels,
    counts,
    testCounts,
    groupColumn,
    features: { terms: vectorizer.dim, maxPerRow: L, seconds: featureSeconds },
    timing: { plainEpochSeconds: plain.epochSeconds, floorEpochSeconds: floor },
    settings: { ...settings, inverseL2: o.inverseL2, quick: o.quick, full: o.full, ensBetas: o.ensBetas, variants: o.variants, topK: o.topK },
    runs,
    selected,
    tail,
    beta: o.beta,
    seconds: (performance.now() - t0) / 1000,
  });
  examples = [];
  tf.dispose([data.train.x, data.train.y, data.val.x, data.val.y, data.test.x, data.test.y]);
  const paths = await writeReports(o.out, results, o.beta);
  const pad = (s: string | number, n: number) => String(s).padEnd(n);
  console.log(`\n${pad('run', 20)}${pad('thresholds', 12)}${pad(`micro F${o.beta}`, 12)}${pad(`macro F${o.beta}`, 12)}${pad('tail F', 9)}${pad('precision', 11)}${pad('recall', 8)}macro AP`);
  for (const s of results.schemes) {
    console.log(
      `${pad(s.name, 20)}${pad(s.thresholds, 12)}${pad(s.microF.toFixed(3), 12)}${pad(s.macroF.toFixed(3), 12)}${pad(s.bottomThirdF.toFixed(3), 9)}${pad(s.precision.toFixed(3), 11)}${pad(s.recall.toFixed(3), 8)}${s.macroAP.toFixed(3)}`,
    );
  }
  console.log(`\n${results.verdict}\n\ntime: ${results.seconds.toFixed(1)} s on ${backend.name}\nreports:\n  ${paths.json}\n  ${paths.md}\n  ${paths.html}`);
}

main().catch((e: unknown) => {
  console.error(e instanceof DataError ? `error: ${e.message}` : e);
  process.exit(1);
});
