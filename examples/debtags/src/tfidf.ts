import { tokenize } from './features.js';

/** Sparse rows: for each example, its feature indices and their values, same length. */
export interface SparseRows {
  readonly indices: Int32Array[];
  readonly values: Float32Array[];
  /** The number of features. */
  readonly dim: number;
}

/** Options of {@link TfidfVectorizer}. */
export interface TfidfOptions {
  /** A term must occur in at least this many training examples. Defaults to `2`. */
  readonly minDf?: number;
  /** Word bigrams as well as unigrams. Defaults to `true`. */
  readonly bigrams?: boolean;
}

/**
 * The terms of one example: word unigrams and bigrams of each text field, each
 * prefixed with the field index (a word in the name differs from one in the
 * description), and the whole first field (the package name) as one term.
 */
export function terms(fields: readonly string[], bigrams = true): string[] {
  const out: string[] = [];
  fields.forEach((field, f) => {
    const toks = tokenize(field);
    toks.forEach((t, i) => {
      out.push(`${f}:${t}`);
      if (bigrams && i > 0) out.push(`${f}:${toks[i - 1]} ${t}`);
    });
    if (f === 0) out.push(`name:${field}`);
  });
  return out;
}

/**
 * TF-IDF as scikit-learn's `TfidfVectorizer(min_df=2, sublinear_tf=True)`
 * computes it: the vocabulary and the idf ln((1 + n) / (1 + df)) + 1 are
 * learnt from the training examples only; each row's values are
 * (1 + ln tf)·idf, L2-normalised. Terms unseen in training are dropped.
 */
export class TfidfVectorizer {
  private readonly vocab = new Map<string, number>();
  private idf = new Float64Array(0);
  private readonly minDf: number;
  private readonly bigrams: boolean;

  constructor(options: TfidfOptions = {}) {
    this.minDf = options.minDf ?? 2;
    this.bigrams = options.bigrams ?? true;
  }

  /** The number of features learnt. */
  get dim(): number {
    return this.vocab.size;
  }

  /** Learns the vocabulary and idf from the training texts. */
  fit(texts: readonly (readonly string[])[]): this {
    const df = new Map<string, number>();
    for (const t of texts) for (const term of new Set(terms(t, this.bigrams))) df.set(term, (df.get(term) ?? 0) + 1);
    const kept = [...df.entries()].filter(([, n]) => n >= this.minDf).sort((a, b) => (a[0] < b[0] ? -1 : 1));
    this.vocab.clear();
    this.idf = new Float64Array(kept.length);
    kept.forEach(([term, n], i) => {
      this.vocab.set(term, i);
      this.idf[i] = Math.log((1 + texts.length) / (1 + n)) + 1;
    });
    return this;
  }

  /** The sparse TF-IDF rows of some texts. */
  transform(texts: readonly (readonly string[])[]): SparseRows {
    const indices: Int32Array[] = [];
    const values: Float32Array[] = [];
    for (const t of texts) {
      const tf = new Map<number, number>();
      for (const term of terms(t, this.bigrams)) {
        const j = this.vocab.get(term);
        if (j !== undefined) tf.set(j, (tf.get(j) ?? 0) + 1);
      }
      const idx = Int32Array.from([...tf.keys()].sort((a, b) => a - b));
      const val = Array.from(idx, (j) => (1 + Math.log(tf.get(j)!)) * this.idf[j]!);
      const norm = Math.hypot(...val) || 1;
      indices.push(idx);
      values.push(Float32Array.from(val, (v) => v / norm));
    }
    return { indices, values, dim: this.vocab.size };
  }
}

/** The length of the longest sparse row. */
export function longestRow(sparse: SparseRows): number {
  return sparse.indices.reduce((m, r) => Math.max(m, r.length), 1);
}

/**
 * Packs sparse rows into one dense float32 matrix [N, 2L] that `model.fit`
 * can batch: the first L columns hold the feature indices (exact in float32
 * below 2^24), the last L their values, padded with index 0 and value 0 (so
 * padding adds nothing and gets no gradient). Every split must use the same
 * L; a row with more than L terms keeps its L largest values.
 */
export function packSparse(rows: readonly number[], sparse: SparseRows, L: number): Float32Array {
  if (sparse.dim >= 2 ** 24) throw new RangeError(`packSparse: ${sparse.dim} features; indices from 2^24 on are not exact in float32.`);
  const out = new Float32Array(rows.length * 2 * L);
  rows.forEach((r, k) => {
    let idx = sparse.indices[r]!;
    let val = sparse.values[r]!;
    if (idx.length > L) {
      const keep = Array.from(idx.keys()).sort((a, b) => val[b]! - val[a]!).slice(0, L);
      idx = Int32Array.from(keep, (i) => idx[i]!);
      val = Float32Array.from(keep, (i) => val[i]!);
    }
    out.set(idx, k * 2 * L);
    out.set(val, k * 2 * L + L);
  });
  return out;
}
