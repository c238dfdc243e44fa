/**
 * Scoring per pixel, pooled per class, and the noise of a difference
 * between two runs measured by resampling whole images.
 *
 * Pixels of one image are not independent (one object covers many of them,
 * and one missed cross loses 9 pixels at once), so the bootstrap draws
 * images, not pixels: each run's confusion counts are taken per image once,
 * and a resample sums the images it drew, with both runs scored on the same
 * draw (a paired bootstrap).
 */
import { confusionCounts, fbetaScores, tuneThresholds, type ConfusionCounts, type FBetaScores } from '@tfjs-imbalance/fbeta-metric';
import type { ImageSet } from './generator.js';

/** A difference with its bootstrap interval. */
export interface Interval {
  readonly estimate: number;
  readonly low: number;
  readonly high: number;
}

/** A set's labels as a [pixels, C] matrix: each pixel a row, as the library pools [N, H, W, C]. */
export function labelRows(set: ImageSet): { data: Float32Array; shape: [number, number] } {
  return { data: set.y, shape: [set.y.length / set.classes, set.classes] };
}

/** Logits [N, H, W, C] (flat) of a set as a [pixels, C] matrix. */
export function logitRows(set: ImageSet, logits: Float32Array): { data: Float32Array; shape: [number, number] } {
  return { data: logits, shape: [logits.length / set.classes, set.classes] };
}

/** The rows of some images only. */
function imageRows(set: ImageSet, values: Float32Array, images: readonly number[]): { data: Float32Array; shape: [number, number] } {
  const per = set.size * set.size * set.classes;
  const data = new Float32Array(images.length * per);
  images.forEach((n, i) => data.set(values.subarray(n * per, (n + 1) * per), i * per));
  return { data, shape: [data.length / set.classes, set.classes] };
}

/**
 * Each image's confusion counts (per class TP, FP, FN over its pixels).
 *
 * @param set - The images and labels.
 * @param logits - The model's logits for them, flat [N, H, W, C].
 * @param thresholds - Per image, the probability thresholds to exceed (one per class), or one threshold for all.
 * @returns One count per image.
 */
export function countsPerImage(set: ImageSet, logits: Float32Array, thresholds: number | readonly number[] | ((image: number) => readonly number[])): ConfusionCounts[] {
  return Array.from({ length: set.count }, (_, n) => {
    const threshold = typeof thresholds === 'function' ? thresholds(n) : thresholds;
    return confusionCounts(imageRows(set, set.y, [n]), imageRows(set, logits, [n]), { from: 'logits', threshold: threshold as number | number[] });
  });
}

/** The sum of per-image counts, each image counted `weights[n]` times (once each by default). */
export function sumCounts(counts: readonly ConfusionCounts[], weights?: ArrayLike<number>): ConfusionCounts {
  const C = counts[0]!.tp.length;
  const [tp, fp, fn] = [new Array<number>(C).fill(0), new Array<number>(C).fill(0), new Array<number>(C).fill(0)];
  let samples = 0;
  counts.forEach((c, n) => {
    const w = weights === undefined ? 1 : weights[n]!;
    if (w === 0) return;
    for (let k = 0; k < C; k++) {
      tp[k]! += w * c.tp[k]!;
      fp[k]! += w * c.fp[k]!;
      fn[k]! += w * c.fn[k]!;
    }
    samples += w * c.samples;
  });
  return { tp, fp, fn, samples };
}

/** F-beta scores of summed counts. */
export function scoresOf(counts: ConfusionCounts, beta: number): FBetaScores {
  return fbetaScores(counts, { beta });
}

/**
 * Validation predictions at thresholds tuned out of fold: `tuneThresholds`
 * on the even-numbered validation images decides the odd ones' thresholds
 * and the reverse (2-fold cross-fitting by image, as the library's search
 * cross-fits by row), so the validation score of tuned thresholds is not
 * measured on the pixels that tuned them.
 *
 * @returns Each image's counts at its out-of-fold thresholds.
 */
export function crossFittedCounts(set: ImageSet, logits: Float32Array, beta: number): ConfusionCounts[] {
  const folds = [0, 1].map((parity) => Array.from({ length: set.count }, (_, n) => n).filter((n) => n % 2 === parity));
  const tuned = folds.map((images) => tuneThresholds(imageRows(set, set.y, images), imageRows(set, logits, images), { beta, from: 'logits' }).thresholds);
  // Image n is in fold n % 2: it takes the thresholds of the other fold.
  return countsPerImage(set, logits, (n) => tuned[1 - (n % 2)]!);
}

/** Settings of {@link pairedBootstrap}. */
export interface BootstrapSettings {
  readonly beta: number;
  readonly resamples: number;
  /** The interval's coverage, such as 0.95. */
  readonly level: number;
  /** A uniform stream in [0, 1); pass a fresh one with the same seed for every comparison (the same draws for each). */
  readonly rand: () => number;
}

/**
 * The paired bootstrap over images of the difference in macro and micro
 * F-beta, run `a` minus run `b`: images drawn with replacement, N of N, both
 * runs scored on each draw; the interval is the percentile one.
 *
 * @param a - Run a's counts per image.
 * @param b - Run b's counts per image, over the same images.
 * @param s - See {@link BootstrapSettings}.
 * @returns The differences on the images as they are, with their intervals.
 */
export function pairedBootstrap(a: readonly ConfusionCounts[], b: readonly ConfusionCounts[], s: BootstrapSettings): { macro: Interval; micro: Interval } {
  const N = a.length;
  const diff = (w?: ArrayLike<number>) => {
    const [sa, sb] = [scoresOf(sumCounts(a, w), s.beta), scoresOf(sumCounts(b, w), s.beta)];
    return [sa.macro.f - sb.macro.f, sa.micro.f - sb.micro.f] as const;
  };
  const [macro, micro] = diff();
  const draws: [number[], number[]] = [[], []];
  const w = new Float64Array(N);
  for (let r = 0; r < s.resamples; r++) {
    w.fill(0);
    for (let k = 0; k < N; k++) w[Math.floor(s.rand() * N)]++;
    const [dMacro, dMicro] = diff(w);
    draws[0].push(dMacro);
    draws[1].push(dMicro);
  }
  const interval = (estimate: number, d: number[]): Interval => {
    d.sort((x, y) => x - y);
    const at = (q: number) => d[Math.min(d.length - 1, Math.max(0, Math.round(q * (d.length - 1))))]!;
    return { estimate, low: at((1 - s.level) / 2), high: at(1 - (1 - s.level) / 2) };
  };
  return { macro: interval(macro, draws[0]), micro: interval(micro, draws[1]) };
}

/** One candidate as the rule sees it. */
export interface Candidate {
  readonly name: string;
  /** Validation macro and micro F-beta. */
  readonly macro: number;
  readonly micro: number;
  /** The macro gain over plain training with its interval (undefined for plain training). */
  readonly gain?: Interval;
}

/** Why a candidate was or was not selected. */
export type Standing = 'plain' | 'micro drop too large' | 'within noise' | 'worse' | 'beyond noise';

/**
 * The library's rule, on validation only: among the treatments whose micro
 * F-beta is at most `maxMicroDrop` below plain training's and whose macro
 * gain over plain training is beyond the noise (interval's lower end above
 * 0), the one with the highest macro F-beta; plain training when there is
 * none. The first candidate is plain training.
 *
 * @returns The selected name and each candidate's standing.
 */
export function select(candidates: readonly Candidate[], maxMicroDrop: number): { selected: string; standing: Standing[] } {
  const plain = candidates[0]!;
  const standing = candidates.map((c, i): Standing => {
    if (i === 0) return 'plain';
    if (c.micro < plain.micro - maxMicroDrop) return 'micro drop too large';
    const g = c.gain!;
    return g.low > 0 ? 'beyond noise' : g.high < 0 ? 'worse' : 'within noise';
  });
  let best = plain;
  candidates.forEach((c, i) => {
    if (standing[i] === 'beyond noise' && c.macro > best.macro) best = c;
  });
  return { selected: best.name, standing };
}
