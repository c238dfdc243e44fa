import { InvalidCountError, InvalidOptionError, ShapeMismatchError } from '@tfjs-imbalance/weight-schemes';
import { checkOptionNames, checkRange, describe, isTensorLike } from '@tfjs-imbalance/weight-schemes/internal';
import type { ConfusionCounts } from './confusion-counts.js';

/**
 * The value a score takes when its denominator is 0 (for instance the
 * precision of a class that is never predicted), as scikit-learn's
 * `zero_division`: `0`, `1`, or `'nan'`, which yields `NaN` and leaves the
 * class out of the macro and weighted averages.
 */
export type ZeroDivision = 0 | 1 | 'nan';

/** Precision, recall and F-beta of one average. */
export interface AveragedScores {
  /** The averaged precision. */
  readonly precision: number;
  /** The averaged recall. */
  readonly recall: number;
  /** The averaged F-beta. */
  readonly f: number;
}

/** Every F-beta score that can be derived from {@link ConfusionCounts}. */
export interface FBetaScores {
  /** The β the scores were computed with. */
  readonly beta: number;
  /** Per-class precision. */
  readonly precision: readonly number[];
  /** Per-class recall. */
  readonly recall: readonly number[];
  /** Per-class F-beta. */
  readonly f: readonly number[];
  /** Per-class support: the number of true labels of each class. */
  readonly support: readonly number[];
  /** Scores of the summed counts over all classes. */
  readonly micro: AveragedScores;
  /** The unweighted mean of the per-class scores. */
  readonly macro: AveragedScores;
  /** The mean of the per-class scores weighted by support. */
  readonly weighted: AveragedScores;
  /** The mean of the per-sample F-beta (multi-label, with `samplesAverage: true`), as scikit-learn's `average='samples'`. */
  readonly samples?: number;
  /** The mean of the per-sample precision (multi-label, with `samplesAverage: true`). */
  readonly samplesPrecision?: number;
  /** The mean of the per-sample recall (multi-label, with `samplesAverage: true`). */
  readonly samplesRecall?: number;
}

/** Options of {@link fbetaScores}. */
export interface FBetaScoresOptions {
  /** β > 0: how many times recall counts as much as precision. Defaults to `0.5` (precision counts twice as much). */
  readonly beta?: number;
  /** The value of a score whose denominator is 0. Defaults to `0`. */
  readonly zeroDivision?: ZeroDivision;
}

/**
 * Checks a `zeroDivision` option.
 *
 * @param argument - The argument's name, for the message.
 * @param zd - The value.
 * @returns The value.
 *
 * @example
 * ```ts
 * checkZeroDivision('options.zeroDivision', 2); // throws
 * ```
 */
export function checkZeroDivision(argument: string, zd: unknown): ZeroDivision {
  if (zd === 0 || zd === 1 || zd === 'nan') return zd;
  throw new InvalidOptionError(argument, `must be 0, 1 or 'nan', got ${describe(zd)}.`);
}

/**
 * Checks an F-beta β: a finite number > 0.
 *
 * @param argument - The argument's name, for the message.
 * @param beta - The value.
 * @returns The value.
 *
 * @example
 * ```ts
 * checkFBeta('options.beta', 0); // throws OutOfRangeError
 * ```
 */
export function checkFBeta(argument: string, beta: unknown): number {
  return checkRange(argument, beta, {
    min: 0,
    minExclusive: true,
    hint: 'Use 0.5 to weigh precision twice as much as recall, 1 for F1, 2 to favour recall.',
  });
}

/**
 * The coefficients of F-beta = a·TP / (a·TP + b·FN + c·FP), that is
 * (1 + β², β², 1). Beyond β² = 1e30 they are the limit (1, 1, 0), recall:
 * β² itself would overflow (Infinity in float64 past β ≈ 1.3e154, in a
 * float32 tensor past β ≈ 1.8e19) and the ratio turn NaN. @internal
 */
export function fbetaCoefficients(beta: number): { readonly a: number; readonly b: number; readonly c: number } {
  const b2 = beta * beta;
  return b2 > 1e30 ? { a: 1, b: 1, c: 0 } : { a: 1 + b2, b: b2, c: 1 };
}

/**
 * Exact precision, recall and F-beta from confusion counts, with the
 * per-class, micro, macro, weighted and samples averages. The definitions
 * and the `zeroDivision` rule are scikit-learn's (`precision_recall_fscore_support`):
 * F = (1+β²)·TP / ((1+β²)·TP + β²·FN + FP).
 *
 * @param counts - Confusion counts from {@link FBetaAccumulator} or {@link confusionCounts}.
 * @param options - See {@link FBetaScoresOptions}.
 * @returns Every score.
 *
 * @example F0.5 from counts
 * ```ts
 * const s = fbetaScores({ tp: [8, 1], fp: [2, 0], fn: [0, 3], samples: 12 });
 * s.f;        // per-class F0.5
 * s.macro.f;  // macro F0.5
 * ```
 */
export function fbetaScores(counts: ConfusionCounts, options: FBetaScoresOptions = {}): FBetaScores {
  // scikit-learn's habit, fbeta_score(y_true, y_pred): labels and predictions where counts and options go.
  if (Array.isArray(counts) || isTensorLike(counts)) {
    throw new InvalidOptionError(
      'counts',
      `is ${describe(counts)}, but fbetaScores takes confusion counts, not labels: fbetaScores(confusionCounts(yTrue, yPred, { beta }), { beta }), ` +
        'or new FBetaAccumulator({ beta }).update(yTrue, yPred).result().',
    );
  }
  checkOptionNames('options', options, ['beta', 'zeroDivision']);
  const beta = checkFBeta('options.beta', options.beta ?? 0.5);
  const zd = checkZeroDivision('options.zeroDivision', options.zeroDivision ?? 0);
  const zdValue = zd === 'nan' ? Number.NaN : zd;
  if (counts === null || typeof counts !== 'object') {
    throw new InvalidOptionError('counts', `must be { tp, fp, fn, samples } from confusionCounts() or an accumulator, got ${describe(counts)}.`);
  }
  for (const k of ['tp', 'fp', 'fn'] as const) {
    const v = counts[k] as unknown;
    if (!Array.isArray(v)) {
      throw new InvalidOptionError(`counts.${k}`, `must be one count per class (an array), got ${describe(v)}; pass tp, fp and fn together.`);
    }
    v.forEach((x, c) => {
      if (typeof x !== 'number' || !Number.isFinite(x) || x < 0) {
        throw new InvalidCountError(`counts.${k}[${c}]`, `must be a finite count ≥ 0, got ${typeof x === 'number' ? x : describe(x)}.`);
      }
    });
  }
  const { tp, fp, fn } = counts;
  if (fp.length !== tp.length || fn.length !== tp.length) {
    throw new ShapeMismatchError(
      'counts',
      `tp, fp and fn must have one entry per class, got lengths ${tp.length}, ${fp.length} and ${fn.length}.`,
    );
  }
  const { a, b, c } = fbetaCoefficients(beta);
  const divide = (num: number, den: number) => (den === 0 ? zdValue : num / den);
  const prf = (t: number, p: number, n: number): AveragedScores => ({
    precision: divide(t, t + p),
    recall: divide(t, t + n),
    f: divide(a * t, a * t + b * n + c * p),
  });
  const perClass = tp.map((t, c) => prf(t, fp[c] as number, fn[c] as number));
  const support = tp.map((t, c) => t + (fn[c] as number));
  const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);
  const pick = (k: keyof AveragedScores) => perClass.map((s) => s[k]);
  const average = (weights?: readonly number[]): AveragedScores => ({
    precision: nanAverage(pick('precision'), weights, zdValue),
    recall: nanAverage(pick('recall'), weights, zdValue),
    f: nanAverage(pick('f'), weights, zdValue),
  });
  const result: FBetaScores = {
    beta,
    precision: pick('precision'),
    recall: pick('recall'),
    f: pick('f'),
    support,
    micro: prf(sum(tp), sum(fp), sum(fn)),
    macro: average(),
    weighted: average(support),
  };
  if (counts.samplesFSum === undefined) return result;
  // Rows where a score is undefined count as zeroDivision, or leave the mean with 'nan' (scikit-learn's zero_division).
  const mean = (sum: number, undefinedRows: number) =>
    zd === 'nan' ? divide(sum, counts.samples - undefinedRows) : divide(sum + zdValue * undefinedRows, counts.samples);
  const samples = mean(counts.samplesFSum, counts.samplesUndefined ?? 0);
  if (counts.samplesPrecisionSum === undefined || counts.samplesRecallSum === undefined) return { ...result, samples };
  return {
    ...result,
    samples,
    samplesPrecision: mean(counts.samplesPrecisionSum, counts.samplesPrecisionUndefined ?? 0),
    samplesRecall: mean(counts.samplesRecallSum, counts.samplesRecallUndefined ?? 0),
  };
}

/**
 * scikit-learn's `_nanaverage`: the mean of the non-NaN values, weighted when
 * weights are given; unweighted when every weight is 0; NaN when nothing is
 * left; `fallback` for an empty list.
 */
function nanAverage(values: readonly number[], weights: readonly number[] | undefined, fallback: number): number {
  if (values.length === 0) return fallback;
  const kept = values.flatMap((v, i) => (Number.isNaN(v) ? [] : [[v, weights?.[i] ?? 1] as const]));
  if (kept.length === 0) return Number.NaN;
  const den = kept.reduce((a, [, w]) => a + w, 0);
  if (den === 0) return kept.reduce((a, [v]) => a + v, 0) / kept.length;
  return kept.reduce((a, [v, w]) => a + v * w, 0) / den;
}
