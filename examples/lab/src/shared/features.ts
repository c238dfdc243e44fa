/**
 * From a table to what the model trains on, with the debtags demo's own code:
 * its split by group (a seeded hash), its TF-IDF (scikit-learn's
 * `TfidfVectorizer(sublinear_tf=True)` formulas, word uni- and bigrams) and
 * its multi-hot labels; numeric columns standardised on the training rows.
 * The rows are dense (the TF-IDF width is capped), so on WebGL the GPU does
 * the products: the demo's sparse layer reads its weights back to JavaScript
 * every batch, which WebGPU forbids.
 */
import { multiHot } from '@tfjs-imbalance/example-debtags/dist/features.js';
import { seededShuffle, splitByGroup } from '@tfjs-imbalance/example-debtags/dist/dataset.js';
import { TfidfVectorizer, terms } from '@tfjs-imbalance/example-debtags/dist/tfidf.js';
import { labelCounts, type ColumnSpec } from './spec.js';
import { LabError, type Table } from './table.js';

/** What turns a row into the model's input: saved with the classifier as `features.json`. */
export interface FeatureState {
  readonly version: 1;
  readonly textColumns: readonly string[];
  readonly numericColumns: readonly string[];
  /** The TF-IDF vocabulary, in feature order, and each term's idf. */
  readonly terms: readonly string[];
  readonly idf: readonly number[];
  /** The document frequency a term needed to be kept. */
  readonly minDf: number;
  /** Each numeric column's training mean and standard deviation. */
  readonly mean: readonly number[];
  readonly std: readonly number[];
  /** The input width: the terms, then the numeric columns. */
  readonly dim: number;
  /** The class names, in output order. */
  readonly classes: readonly string[];
}

/** How much of the table to use. */
export interface DataSettings {
  /** At most this many rows (a seeded sample of them when the table has more). */
  readonly maxRows: number;
  /** The K most frequent labels on the training rows (with at least 3 of them) become the classes. */
  readonly classes: number;
  /** At most this many TF-IDF terms: min_df is raised until the vocabulary fits. */
  readonly maxTerms: number;
  /** The split's and the sample's seed. */
  readonly seed: number;
}

/** The three splits. */
export type SplitName = 'train' | 'val' | 'test';

/** Everything the search trains and scores on. */
export interface Prepared {
  readonly classes: string[];
  /** The table rows (indices) of each split. */
  readonly rows: Readonly<Record<SplitName, number[]>>;
  /** Row-major inputs [N, dim] and multi-hot labels [N, classes]. */
  readonly x: Readonly<Record<SplitName, Float32Array>>;
  readonly y: Readonly<Record<SplitName, Float32Array>>;
  readonly state: FeatureState;
  /** What was decided on the way, in words (a sample taken, min_df raised, the split). */
  readonly notes: string[];
}

/** A class needs this many training rows. */
const MIN_TRAIN = 3;

type Vocab = { vocab: Map<string, number>; idf: Float64Array };

/**
 * The vectoriser's learnt vocabulary and idf. The demo's TfidfVectorizer has
 * no public way to read or restore them (its source is not the lab's to
 * change), so the lab reaches its two fields; the CI test's round trip
 * (page → artifact → Node) fails if they ever change.
 */
const inside = (v: TfidfVectorizer) => v as unknown as Vocab;

/** A vectoriser with a saved vocabulary, as if fitted. */
export function vectorizerFrom(state: Pick<FeatureState, 'terms' | 'idf' | 'minDf'>): TfidfVectorizer {
  const v = new TfidfVectorizer({ minDf: state.minDf });
  state.terms.forEach((t, i) => inside(v).vocab.set(t, i));
  inside(v).idf = Float64Array.from(state.idf);
  return v;
}

/** The smallest min_df (from 2) that keeps at most `maxTerms` terms of these texts. */
function minDfFor(texts: readonly (readonly string[])[], maxTerms: number): number {
  const df = new Map<string, number>();
  for (const t of texts) for (const term of new Set(terms(t))) df.set(term, (df.get(term) ?? 0) + 1);
  const sorted = [...df.values()].sort((a, b) => b - a);
  return sorted.length <= maxTerms ? 2 : Math.max(2, sorted[maxTerms]! + 1);
}

const columnIndex = (header: readonly string[], c: string) => {
  const k = header.indexOf(c);
  if (k < 0) throw new LabError(`The rows have no column “${c}”, which the classifier was trained on; the columns are: ${header.join(', ')}.`);
  return k;
};

/** Dense inputs [records.length, state.dim] for rows of a table with this header. */
export function featurize(state: FeatureState, header: readonly string[], records: readonly (readonly string[])[], vectorizer = vectorizerFrom(state)): Float32Array {
  const textIdx = state.textColumns.map((c) => columnIndex(header, c));
  const numIdx = state.numericColumns.map((c) => columnIndex(header, c));
  const V = state.terms.length;
  const out = new Float32Array(records.length * state.dim);
  if (V > 0) {
    const sparse = vectorizer.transform(records.map((r) => textIdx.map((k) => r[k]!)));
    sparse.indices.forEach((idx, n) => idx.forEach((j, l) => (out[n * state.dim + j] = sparse.values[n]![l]!)));
  }
  records.forEach((r, n) =>
    numIdx.forEach((k, m) => {
      const cell = r[k]!.trim();
      const v = cell === '' ? state.mean[m]! : Number(cell);
      out[n * state.dim + V + m] = (v - state.mean[m]!) / state.std[m]!;
    }),
  );
  return out;
}

/** Mean and standard deviation (population) of each numeric column over some rows, empty cells left out. */
function standardisation(table: Table, columns: readonly string[], rows: readonly number[]) {
  const stats = columns.map((c) => {
    const k = table.header.indexOf(c);
    const v = rows.map((i) => table.rows[i]![k]!.trim()).filter((s) => s !== '').map(Number);
    const mean = v.length ? v.reduce((a, b) => a + b, 0) / v.length : 0;
    const sd = v.length ? Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / v.length) : 0;
    return { mean, std: sd > 0 ? sd : 1 };
  });
  return { mean: stats.map((s) => s.mean), std: stats.map((s) => s.std) };
}

/**
 * Samples, splits (70/15/15 by the group column's seeded hash, or row by
 * row), picks the classes on the training rows, learns the features on the
 * training rows and builds every split's inputs and labels.
 */
export function prepare(table: Table, spec: ColumnSpec, labelsOfRows: readonly (readonly string[])[], s: DataSettings): Prepared {
  const notes: string[] = [];
  let used = table.rows.map((_, i) => i);
  if (used.length > s.maxRows) {
    used = seededShuffle(used, s.seed).slice(0, s.maxRows).sort((a, b) => a - b);
    notes.push(`a seeded sample of ${s.maxRows.toLocaleString('en')} of the ${table.rows.length.toLocaleString('en')} rows`);
  }
  const g = table.header.indexOf(spec.groupColumn);
  const split = splitByGroup(used.map((i) => (g >= 0 ? table.rows[i]![g]! : `#${i}`)), s.seed);
  const rows: Record<SplitName, number[]> = { train: [], val: [], test: [] };
  split.forEach((name, k) => rows[name].push(used[k]!));
  notes.push(`split 70/15/15 ${g >= 0 ? `by “${spec.groupColumn}” (no group in two splits)` : 'row by row'}: ${rows.train.length} / ${rows.val.length} / ${rows.test.length} rows`);
  if (rows.val.length === 0 || rows.test.length === 0) throw new LabError(`The table has too few ${g >= 0 ? 'groups' : 'rows'} (${used.length} rows) to hold out validation and test rows; the lab needs a few hundred rows.`);
  const trainCounts = labelCounts(rows.train.map((i) => labelsOfRows[i]!));
  const classes = trainCounts.filter(([, n]) => n >= MIN_TRAIN).slice(0, s.classes).map(([l]) => l);
  if (classes.length < 2) {
    throw new LabError(`After the split, fewer than two labels have ${MIN_TRAIN} or more training rows (${trainCounts.slice(0, 3).map(([l, n]) => `“${l}” ${n}`).join(', ')}): there is not enough to learn from. Use more rows.`);
  }
  if (trainCounts.length > classes.length) notes.push(`the ${classes.length} most frequent labels of the training rows are the classes (${trainCounts.length} labels in all)`);
  const textIdx = spec.textColumns.map((c) => table.header.indexOf(c));
  const texts = (ids: readonly number[]) => ids.map((i) => textIdx.map((k) => table.rows[i]![k]!));
  let vectorizer = new TfidfVectorizer();
  let minDf = 2;
  if (textIdx.length > 0) {
    minDf = minDfFor(texts(rows.train), s.maxTerms);
    vectorizer = new TfidfVectorizer({ minDf }).fit(texts(rows.train));
    notes.push(`TF-IDF word uni- and bigrams: ${vectorizer.dim.toLocaleString('en')} terms (min_df ${minDf}${minDf > 2 ? `, raised from 2 to keep at most ${s.maxTerms.toLocaleString('en')}` : ''})`);
  }
  const { vocab, idf } = inside(vectorizer);
  const { mean, std } = standardisation(table, spec.numericColumns, rows.train);
  if (spec.numericColumns.length > 0) notes.push(`${spec.numericColumns.length} numeric column${spec.numericColumns.length > 1 ? 's' : ''} standardised on the training rows`);
  const state: FeatureState = {
    version: 1,
    textColumns: [...spec.textColumns],
    numericColumns: [...spec.numericColumns],
    terms: [...vocab.keys()],
    idf: Array.from(idf),
    minDf,
    mean,
    std,
    dim: vocab.size + spec.numericColumns.length,
    classes,
  };
  const x = (ids: number[]) => featurize(state, table.header, ids.map((i) => table.rows[i]!), vectorizer);
  const y = (ids: number[]) => multiHot(ids.map((i) => labelsOfRows[i]!), classes);
  return { classes, rows, x: { train: x(rows.train), val: x(rows.val), test: x(rows.test) }, y: { train: y(rows.train), val: y(rows.val), test: y(rows.test) }, state, notes };
}
