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
import { DEFAULT_TREATMENTS, SEARCH_OBJECTIVES, type SearchObjective } from '@tfjs-imbalance/search';
import { countMultiHot } from '@tfjs-imbalance/weight-schemes';
import { DataError, loadTable, readHeader, seededShuffle, selectLabels, splitByGroup, type Example } from './dataset.js';
import { multiHot } from './features.js';
import { epochFloorSeconds, runSearch, type ExperimentData, type Progress, type SearchSettings, type SplitTensors, type TrainSettings } from './experiment.js';
import { buildResults, writeReports } from './report.js';
import { startSklearnReference, type SklearnOutcome } from './sklearn.js';
import { TfidfVectorizer, packSparse } from './tfidf.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const DEFAULT_DATA = join(HERE, '..', 'data', 'debtags-bookworm.tsv.gz');
// The model already starts from the class priors' log-odds, so the library's 'prior-bias' candidate would repeat plain training.
const CANDIDATES = DEFAULT_TREATMENTS.filter((t) => t.name !== 'prior-bias');
/** Where each setting's report goes by default: the seed's 29 tags, and the long tail of 200. */
const defaultOut = (k: number, quick: boolean) => (quick ? 'reports/debtags-quick' : k === 29 ? 'reports/debtags' : k === 200 ? 'reports/debtags-longtail' : `reports/debtags-top${k}`);

const HELP = `Usage: npm run demo -- [options]

  --candidates LIST     treatments to compare, from ${CANDIDATES.map((t) => t.name).join(',')}
                        (default: all; plain is always run first)
  --objective O         what the search maximises on validation: macro, micro, bottom-third or macro-ap (default: macro)
  --max-micro-drop X    the most validation micro F-beta a selected treatment may give up against plain (default: 0.02)
  --beta B              the F-beta β (default: 0.5, precision counts twice as much as recall)
  --epochs N            maximum epochs per run, with early stopping on validation F-beta (default: 20)
  --stop-on S           what early stopping watches on validation: micro (micro F-beta at 0.5) or objective (the
                        search's objective at tuned thresholds) (default: micro)
  --full                longer runs: up to 40 epochs
  --out DIR             report folder, with one --top-k (default: reports/debtags for 29 tags, reports/debtags-longtail
                        for 200, reports/debtags-quick with --quick)
  --quick               a small subset, 29 tags, for a smoke test (about 20 s)
  --data FILE           your own TSV/CSV (optionally .gz) with a header row
  --text-columns LIST   its text columns (default: package,section,description)
  --label-column NAME   its multi-label column, labels separated by --label-separator (default: tags)
  --label-separator S   (default: ,)
  --group-column NAME   rows sharing this value stay in one split (default: source when the file has it,
                        else each row alone; '' for each row alone)
  --top-k LIST          the settings: predict the K most frequent labels, for each K (default: 29,200: the seed's
                        setting and the long tail)
  --seed N              split and row-order seed (default: 42)
  --lr X --batch-size N --patience N   training settings (default: 0.2, 1024, 3)
  --c X                 inverse L2 strength, as scikit-learn's LogisticRegression C (default: 4)
  --sklearn MODE        auto: compute scikit-learn's reference on the same split in a Python child process while the
                        search trains (skipped, with a note, where python3 or scikit-learn is missing; off with --quick);
                        off: skip it (default: auto)
  --workers N           worker threads that train the search's candidates after plain training, with the same
                        results as one after another (default: 0, all in this thread: on 2 cores, 2 workers took the
                        200-tag setting from 214-236 to 170-176 s with scikit-learn's reference already computed, but
                        only from 221 to 215 s while it computes on the second core)
  --no-progress         no progress bars`;

function parse() {
  const { values } = parseArgs({
    options: {
      candidates: { type: 'string', default: CANDIDATES.map((t) => t.name).join(',') },
      objective: { type: 'string', default: 'macro' },
      'max-micro-drop': { type: 'string', default: '0.02' },
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
      'top-k': { type: 'string' },
      seed: { type: 'string', default: '42' },
      lr: { type: 'string' },
      'batch-size': { type: 'string' },
      patience: { type: 'string' },
      c: { type: 'string' },
      'no-progress': { type: 'boolean', default: false },
      workers: { type: 'string' },
      'stop-on': { type: 'string', default: 'micro' },
      sklearn: { type: 'string', default: 'auto' },
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
  const stopOn = values['stop-on'];
  if (stopOn !== 'micro' && stopOn !== 'objective') throw new DataError(`--stop-on: expected micro or objective, got "${stopOn}".`);
  if (values.sklearn !== 'auto' && values.sklearn !== 'off') throw new DataError(`--sklearn: expected auto or off, got "${values.sklearn}".`);
  const names = list(values.candidates);
  const unknown = names.filter((n) => !CANDIDATES.some((t) => t.name === n));
  if (unknown.length) throw new DataError(`--candidates: unknown ${unknown.join(', ')}; choose from ${CANDIDATES.map((t) => t.name).join(', ')}.`);
  const objective = values.objective as SearchObjective;
  if (!SEARCH_OBJECTIVES.includes(objective)) throw new DataError(`--objective: expected one of ${SEARCH_OBJECTIVES.join(', ')}, got "${values.objective}".`);
  const topK = list(values['top-k'] ?? (quick ? '29' : '29,200')).map((k) => num('top-k', k, 29, Number.isInteger));
  if (values.out !== undefined && topK.length > 1) throw new DataError(`--out: names one folder, but --top-k has ${topK.length} settings; pass one --top-k with --out.`);
  // plain first, then the rest in the library's order; 'best-scheme+focal' needs a scheme before it.
  const chosen = CANDIDATES.filter((t, i) => i === 0 || names.includes(t.name));
  const search: SearchSettings = {
    candidates: chosen.some((t) => t.scheme !== undefined && t.scheme !== 'best') ? chosen : chosen.filter((t) => t.scheme !== 'best'),
    objective,
    maxMicroDrop: num('max-micro-drop', values['max-micro-drop'], 0.02, (x) => x >= 0 && x <= 1),
    workers: num('workers', values.workers, 0, (x) => Number.isInteger(x) && x >= 0),
    stopOn,
  };
  return {
    help: values.help,
    search,
    beta: num('beta', values.beta, 0.5),
    out: (k: number) => resolve(values.out ?? defaultOut(k, quick)),
    quick,
    full,
    data: values.data,
    textColumns: list(values['text-columns']),
    labelColumn: values['label-column'],
    labelSeparator: values['label-separator'],
    groupColumn: values['group-column'],
    topK,
    seed: num('seed', values.seed, 42, Number.isInteger),
    inverseL2: num('c', values.c, 4),
    progress: !values['no-progress'],
    sklearn: values.sklearn === 'auto' && !quick,
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

function splitTensors(rows: number[], packed: Float32Array, width: number, examples: readonly Example[], labels: readonly string[]): SplitTensors {
  return {
    x: tf.tensor2d(packed, [rows.length, width]),
    y: tf.tensor2d(multiHot(rows.map((i) => examples[i]!.labels), labels), [rows.length, labels.length]),
  };
}

async function main(): Promise<void> {
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
  const t0 = performance.now();
  const examples = loadTable(file, spec);
  const split = splitByGroup(examples.map((e) => e.group), o.seed);
  let rows = { train: [] as number[], val: [] as number[], test: [] as number[] };
  split.forEach((s, i) => rows[s].push(i));
  if (o.quick) {
    // A fixed subset: every 3rd train row, every 2nd validation and test row.
    rows = { train: rows.train.filter((_, k) => k % 3 === 0), val: rows.val.filter((_, k) => k % 2 === 0), test: rows.test.filter((_, k) => k % 2 === 0) };
  }
  // fit's own shuffle uses Math.random; a seeded shuffle of the training rows keeps runs repeatable.
  rows.train = seededShuffle(rows.train, o.seed);
  // The features do not depend on the labels: one vectoriser serves every setting.
  const tFeatures = performance.now();
  const vectorizer = new TfidfVectorizer({ minDf: 2 }).fit(rows.train.map((i) => examples[i]!.text));
  const sparse = vectorizer.transform(examples.map((e) => e.text));
  const L = Math.min(128, Math.max(1, ...rows.train.map((i) => sparse.indices[i]!.length)));
  const packed = { train: packSparse(rows.train, sparse, L), val: packSparse(rows.val, sparse, L), test: packSparse(rows.test, sparse, L) };
  const featureSeconds = (performance.now() - tFeatures) / 1000;
  const loadSeconds = (performance.now() - t0) / 1000;
  const summaries: string[] = [];
  for (const k of o.topK) {
    const tk = performance.now();
    const labels = selectLabels(examples, k);
    const tensorsOf = (r: number[], x: Float32Array) => splitTensors(r, x, 2 * L, examples, labels);
    const train = tensorsOf(rows.train, packed.train);
    const counts = countMultiHot(train.y);
    const C = labels.length;
    const tailSize = Math.ceil(C / 3);
    const tail = labels.map((_, i) => i).sort((a, b) => counts.positives[a]! - counts.positives[b]! || a - b).slice(0, tailSize);
    const data: ExperimentData = { train, val: tensorsOf(rows.val, packed.val), test: tensorsOf(rows.test, packed.test), counts, features: vectorizer.dim, tail };
    const testCounts = countMultiHot(data.test.y);
    // scikit-learn's C penalises ½‖w‖² against the summed loss; ours is averaged over N rows and C classes.
    const settings: TrainSettings = { ...o.train, l2: 1 / (2 * o.inverseL2 * rows.train.length * C) };
    console.log(
      `\n== ${C} labels\ndata: ${file}\n  ${examples.length} rows, ${C} labels; train ${rows.train.length} / val ${rows.val.length} / test ${rows.test.length} ` +
        `(split by ${groupColumn ?? 'row'}); label counts in train from ${Math.max(...counts.positives)} down to ${Math.min(...counts.positives)}; ` +
        `${counts.emptyRows} training rows (${((100 * counts.emptyRows) / counts.samples).toFixed(1)}%) have none of these labels\n` +
        `  features: TF-IDF word uni+bigrams, ${vectorizer.dim} terms (min_df 2), up to ${L} per row, in ${featureSeconds.toFixed(1)} s`,
    );
    // scikit-learn's reference on this split, on the other core while the search trains.
    const classOf = new Map(labels.map((l, c) => [l, c]));
    const sklearn: Promise<SklearnOutcome> = o.sklearn
      ? startSklearnReference({
          texts: examples.map((e) => e.text.join(' ')),
          labels: examples.map((e) => e.labels.flatMap((l) => (classOf.has(l) ? [classOf.get(l)!] : []))),
          split: rows,
          classes: C,
          bottomThird: tail,
          variants: C > 50 ? ['plain', 'balanced', 'ins', 'isns', 'ens-0.999', 'ens-0.9999'] : ['plain', 'balanced'],
          beta: o.beta,
          C: o.inverseL2,
        }, o.out(k))
      : Promise.resolve({ skipped: o.quick ? 'the scikit-learn reference is skipped with --quick' : 'the scikit-learn reference is off (--sklearn off)' });
    const { runs, selected, verdict, costRatio, seed, budget } = await runSearch(data, settings, o.search, progressBars(o.progress));
    const sk = await sklearn;
    if ('skipped' in sk) console.log(`note: ${sk.skipped}.`);
    const plain = runs[0]!;
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
      settings: { ...settings, inverseL2: o.inverseL2, quick: o.quick, full: o.full, topK: k, ...o.search, candidates: o.search.candidates.map((t) => t.name) },
      runs,
      selected,
      search: { verdict, costRatio, seed, budget },
      sklearn: sk,
      tail,
      beta: o.beta,
      seconds: (performance.now() - tk) / 1000 + (k === o.topK[0] ? loadSeconds : 0),
    });
    tf.dispose([data.train.x, data.train.y, data.val.x, data.val.y, data.test.x, data.test.y]);
    const paths = await writeReports(o.out(k), results, o.beta);
    const pad = (s: string | number, n: number) => String(s).padEnd(n);
    console.log(`\n${pad('run', 20)}${pad('thresholds', 12)}${pad(`micro F${o.beta}`, 12)}${pad(`macro F${o.beta}`, 12)}${pad('tail F', 9)}${pad('precision', 11)}${pad('recall', 8)}macro AP`);
    for (const s of results.schemes) {
      console.log(
        `${pad(s.name + (s.prunedAt === null ? '' : '*'), 20)}${pad(s.thresholds, 12)}${pad(s.microF.toFixed(3), 12)}${pad(s.macroF.toFixed(3), 12)}${pad(s.bottomThirdF.toFixed(3), 9)}${pad(s.precision.toFixed(3), 11)}${pad(s.recall.toFixed(3), 8)}${s.macroAP.toFixed(3)}`,
      );
    }
    if (results.schemes.some((s) => s.prunedAt !== null)) console.log('* stopped early by the search\'s budget (scored where it stopped)');
    console.log(`\n${results.verdict}\n\ntime: ${results.seconds.toFixed(1)} s on ${backend.name}\nreports:\n  ${paths.json}\n  ${paths.md}\n  ${paths.html}`);
    summaries.push(`${C} labels: ${results.seconds.toFixed(1)} s, selected ${results.selected.name}`);
  }
  if (o.topK.length > 1) console.log(`\n${summaries.join('\n')}\ntotal: ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}

/** A command-line mistake (an unknown option, a missing or malformed value), as node:util's parseArgs reports it. */
const isUsageError = (e: unknown) => typeof (e as { code?: unknown })?.code === 'string' && (e as { code: string }).code.startsWith('ERR_PARSE_ARGS_');

main().catch((e: unknown) => {
  if (isUsageError(e)) console.error(`error: ${(e as Error).message}. \`npm run demo -- --help\` lists the options.`);
  else console.error(e instanceof DataError ? `error: ${e.message}` : e);
  process.exit(isUsageError(e) ? 2 : 1);
});
