/**
 * Synthetic long-tailed multi-label data, so that a problem's difficulty,
 * imbalance and size are set by its spec and a seed, and nothing has to be
 * downloaded.
 *
 * Labels first: class c is positive in a row with probability p_c, the
 * prevalences falling as a power law of rank from `prevalence.top` (the
 * first class) to `prevalence.bottom` (the last), a Zipf-like long tail,
 * each drawn on its own. Then features: each class has a random signature μ_c of length
 * s_c (drawn uniformly in `signal`), and a row's informative features are
 * tanh(Σ_{c positive} μ_c + ε), ε standard normal: a class is as easy to
 * detect as its signal over the noise, and the tanh bends the classes'
 * boundaries, as real features are rarely linear in the labels.
 * `noiseFeatures` columns of pure noise follow.
 */
import seedrandom from 'seedrandom';

/** The data of one synthetic problem. */
export interface DataSpec {
  /** Input features D. */
  readonly features: number;
  /** Classes C. */
  readonly classes: number;
  /** Rows of each split. */
  readonly rows: { readonly train: number; readonly validation: number; readonly test: number };
  /** Prevalence of the most and least frequent class; the others fall between them as a power law of their rank. */
  readonly prevalence: { readonly top: number; readonly bottom: number };
  /** The range of the classes' signal lengths ‖μ_c‖ against unit noise: higher is easier. */
  readonly signal: { readonly min: number; readonly max: number };
  /** Features that carry no signal, appended after the informative ones (0 by default). */
  readonly noiseFeatures?: number;
}

/** One split: row-major features [N, D] and multi-hot labels [N, C]. */
export interface SplitData {
  readonly x: Float32Array;
  readonly y: Float32Array;
  readonly rows: number;
}

/** The three splits of a generated problem. */
export interface ProblemData {
  readonly train: SplitData;
  readonly validation: SplitData;
  readonly test: SplitData;
  readonly features: number;
  readonly classes: number;
}

/** A standard normal draw (Box–Muller) from a uniform stream. */
function normal(rand: () => number): () => number {
  let spare: number | undefined;
  return () => {
    if (spare !== undefined) {
      const s = spare;
      spare = undefined;
      return s;
    }
    const u = Math.max(rand(), 1e-12);
    const v = rand();
    const r = Math.sqrt(-2 * Math.log(u));
    spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  };
}

/** The class prevalences: a power law of rank from `top` down to `bottom`. */
export function prevalences(classes: number, top: number, bottom: number): number[] {
  if (classes === 1) return [top];
  const a = Math.log(bottom / top) / Math.log(classes);
  return Array.from({ length: classes }, (_, c) => top * Math.pow(c + 1, a));
}

/** Generates a problem's splits from its spec and a seed; the same seed gives the same data. */
export function generate(spec: DataSpec, seed: number): ProblemData {
  const rand = seedrandom.alea(`panel:${seed}`);
  const gauss = normal(rand);
  const D = spec.features;
  const width = D + (spec.noiseFeatures ?? 0);
  const C = spec.classes;
  const N = spec.rows.train + spec.rows.validation + spec.rows.test;
  const p = prevalences(C, spec.prevalence.top, spec.prevalence.bottom);
  const mu = new Float64Array(C * D);
  for (let c = 0; c < C; c++) {
    const s = spec.signal.min + (spec.signal.max - spec.signal.min) * rand();
    for (let d = 0; d < D; d++) mu[c * D + d] = (s * gauss()) / Math.sqrt(D);
  }
  const x = new Float32Array(N * width);
  const y = new Float32Array(N * C);
  const sum = new Float64Array(D);
  for (let i = 0; i < N; i++) {
    sum.fill(0);
    for (let c = 0; c < C; c++) {
      if (rand() >= p[c]!) continue;
      y[i * C + c] = 1;
      for (let d = 0; d < D; d++) sum[d] += mu[c * D + d]!;
    }
    for (let d = 0; d < D; d++) x[i * width + d] = Math.tanh(sum[d]! + gauss());
    for (let d = D; d < width; d++) x[i * width + d] = gauss();
  }
  const cut = (from: number, rows: number): SplitData => ({
    x: x.slice(from * width, (from + rows) * width),
    y: y.slice(from * C, (from + rows) * C),
    rows,
  });
  const { train, validation } = spec.rows;
  return {
    train: cut(0, train),
    validation: cut(train, validation),
    test: cut(train + validation, spec.rows.test),
    features: width,
    classes: C,
  };
}
