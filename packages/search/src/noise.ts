import { fbetaOf, macroAveragePrecision, type SortedColumns } from '@tfjs-imbalance/fbeta-metric/internal';
import type { Matrix } from './matrix.js';

/** An estimate with its bootstrap interval. */
export interface Interval {
  /** The difference on the validation rows as they are. */
  readonly estimate: number;
  /** The lower end of the interval. */
  readonly low: number;
  /** The upper end of the interval. */
  readonly high: number;
}

/** What a run's predictions on validation are, for the bootstrap: out-of-fold 0/1 predictions [N·C], and the sorted scores for average precision. */
export interface ResampledRun {
  /** Each cell's prediction at the cross-fitted thresholds (tuned on the other fold), row-major. */
  readonly predicted: Uint8Array;
  /** Each class's scores sorted once, for `'macro-ap'`. */
  readonly sorted: SortedColumns;
}

/** How a score is computed from per-class counts, or from the sorted scores (macro average precision). */
export type Score = { readonly kind: 'f'; readonly beta: number; readonly classes: readonly number[] | 'all'; readonly micro?: boolean } | { readonly kind: 'ap' };

/** Settings of {@link pairedBootstrap}. */
export interface BootstrapSettings {
  /** Resamples. */
  readonly resamples: number;
  /** The interval's coverage, such as 0.95. */
  readonly level: number;
  /** A uniform stream in [0, 1). */
  readonly rand: () => number;
}

/**
 * The paired bootstrap of a score's difference between two runs on the same
 * validation rows: rows are drawn with replacement, N of N, and both runs are
 * scored on the same draw, so what the rows have in common (an easy or a hard
 * row) cancels and the interval measures how much the difference depends on
 * which rows validation happened to hold. Bias-corrected percentile interval
 * (Efron, 1981): a resample holds fewer distinct rows, so a rare class's
 * F-beta shifts in it, and the plain percentiles would shift with it.
 */
export function pairedBootstrap(y: Matrix, a: ResampledRun, b: ResampledRun, score: Score, s: BootstrapSettings): Interval {
  const N = y.shape[0];
  const f = scorer(y, a, b, score);
  const ones = new Float64Array(N).fill(1);
  const estimate = f(ones);
  const weights = new Float64Array(N);
  const diffs = new Float64Array(s.resamples);
  for (let r = 0; r < s.resamples; r++) {
    weights.fill(0);
    for (let k = 0; k < N; k++) weights[Math.floor(s.rand() * N)]++;
    diffs[r] = f(weights);
  }
  diffs.sort();
  if (diffs[0] === diffs[s.resamples - 1]) return { estimate, low: diffs[0]!, high: diffs[0]! };
  const at = (q: number) => diffs[Math.min(s.resamples - 1, Math.max(0, Math.round(q * (s.resamples - 1))))]!;
  // z0: how far the resampled differences sit from the estimate; ties count half.
  let below = 0;
  for (const d of diffs) below += d < estimate ? 1 : d === estimate ? 0.5 : 0;
  const z0 = normalQuantile(Math.min(1 - 0.5 / s.resamples, Math.max(0.5 / s.resamples, below / s.resamples)));
  const z = normalQuantile(1 - (1 - s.level) / 2);
  return { estimate, low: at(normalCdf(2 * z0 - z)), high: at(normalCdf(2 * z0 + z)) };
}

/** Φ, the standard normal CDF (Abramowitz and Stegun 7.1.26, error < 1.5e-7). */
function normalCdf(x: number): number {
  const t = 1 / (1 + 0.3275911 * Math.abs(x / Math.SQRT2));
  const erf = 1 - t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429)))) * Math.exp(-(x * x) / 2);
  return x >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
}

/** Φ⁻¹ (Acklam's rational approximation, relative error < 1.2e-9). */
function normalQuantile(p: number): number {
  const a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const tail = (q: number) => (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) / ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1);
  if (p < 0.02425) return tail(Math.sqrt(-2 * Math.log(p)));
  if (p > 1 - 0.02425) return -tail(Math.sqrt(-2 * Math.log(1 - p)));
  const q = p - 0.5;
  const r = q * q;
  return ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) / (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1);
}

/** score(a) − score(b) on rows counted `weights[i]` times. */
function scorer(y: Matrix, a: ResampledRun, b: ResampledRun, score: Score): (weights: Float64Array) => number {
  if (score.kind === 'ap') return (w) => macroAveragePrecision(a.sorted, w) - macroAveragePrecision(b.sorted, w);
  const [N, C] = y.shape;
  // Each row's cells that count for either run (a label, or a prediction of either), as class and flags, once.
  const start = new Int32Array(N + 1);
  const cls: number[] = [];
  const flags: number[] = [];
  for (let i = 0; i < N; i++) {
    for (let c = 0; c < C; c++) {
      const k = i * C + c;
      const bits = (y.data[k]! >= 0.5 ? 1 : 0) | (a.predicted[k]! << 1) | (b.predicted[k]! << 2);
      if (bits === 0) continue;
      cls.push(c);
      flags.push(bits);
    }
    start[i + 1] = cls.length;
  }
  const fOf = fbetaOf(score.beta);
  const classes = score.classes === 'all' ? Array.from({ length: C }, (_, c) => c) : score.classes;
  const counts = Array.from({ length: 6 }, () => new Float64Array(C));
  const [tpA, fpA, fnA, tpB, fpB, fnB] = counts as [Float64Array, Float64Array, Float64Array, Float64Array, Float64Array, Float64Array];
  const value = (tp: Float64Array, fp: Float64Array, fn: Float64Array) => {
    if (score.micro === true) {
      let t = 0;
      let p = 0;
      let n = 0;
      for (const c of classes) (t += tp[c]!), (p += fp[c]!), (n += fn[c]!);
      return fOf(t, p, n);
    }
    let total = 0;
    for (const c of classes) total += fOf(tp[c]!, fp[c]!, fn[c]!);
    return classes.length === 0 ? 0 : total / classes.length;
  };
  return (w) => {
    for (const m of counts) m.fill(0);
    for (let i = 0; i < N; i++) {
      const wi = w[i]!;
      if (wi === 0) continue;
      for (let k = start[i]!; k < start[i + 1]!; k++) {
        const c = cls[k]!;
        const bits = flags[k]!;
        if (bits & 1) {
          if (bits & 2) tpA[c] += wi;
          else fnA[c] += wi;
          if (bits & 4) tpB[c] += wi;
          else fnB[c] += wi;
        } else {
          if (bits & 2) fpA[c] += wi;
          if (bits & 4) fpB[c] += wi;
        }
      }
    }
    return value(tpA, fpA, fnA) - value(tpB, fpB, fnB);
  };
}
