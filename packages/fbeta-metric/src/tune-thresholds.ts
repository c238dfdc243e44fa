import * as tf from '@tensorflow/tfjs-core';
import { InvalidOptionError, ShapeMismatchError, toDenseMatrix, type LabelMatrix } from '@tfjs-imbalance/weight-schemes';
import { checkOptionNames, checkRange, describe, optionNames, checkDeclared, type Constraints } from '@tfjs-imbalance/weight-schemes/internal';
import { checkFBeta } from './fbeta-scores.js';
import type { PredictionKind } from '@tfjs-imbalance/weight-schemes';
import { resolvePredictionArgs } from './prediction-options.js';
import { bestCuts, columnOf, countAt, fbetaOf, holdMicro, scoreCut, tuneCore, type Column, type CoreSettings, type ThresholdObjective } from './threshold-cuts.js';
import { sum, type MicroFloor } from './micro-floor.js';

export type { ThresholdObjective } from './threshold-cuts.js';

/** Options of {@link tuneThresholds}. */
export interface TuneThresholdsOptions {
  /** The β whose F-beta is maximised. Defaults to `0.5`. */
  readonly beta?: number;
  /** What the scores are. Thresholds are always returned as probabilities. Defaults to `'probabilities'`. */
  readonly from?: PredictionKind;
  /** The threshold a class keeps unless another is strictly better on this data, or the guards below hold it back. Defaults to `0.5`. */
  readonly initial?: number;
  /** What is maximised: see {@link ThresholdObjective}. Defaults to `'per-class'`. */
  readonly objective?: ThresholdObjective;
  /**
   * The SCutFBR guard: a class whose best F-beta on the tuning data is below
   * `fbr` keeps `initial`. Such a class has no usable signal, and its
   * "best" threshold is a cut near 0 that floods test predictions with false
   * positives. Keeping the default (rather than predicting nothing, the other
   * SCutFBR variant) keeps whatever the model predicts confidently, so a
   * guarded class scores exactly as it does untuned. `0` turns the guard off.
   * Defaults to `0.2`.
   */
  readonly fbr?: number;
  /**
   * A class with fewer positive examples than this in the tuning data keeps
   * `initial`: a threshold fitted to a handful of positives does not
   * generalise. Defaults to `5`.
   */
  readonly minPositives?: number;
  /**
   * Bagging: the number of bootstrap resamples of the rows (drawn with
   * replacement, as many as there are) on which each class's cut is tuned,
   * the thresholds averaged on the logit scale. A cut fitted to a handful of
   * positives moves a lot from one resample to the next, and a class that
   * fails the guards in a resample counts `initial` there, so the average
   * shrinks the cuts that the data does not pin down toward `initial` and
   * keeps those it does. On held-out halves of debtags' validation rows (200
   * tags), it kept 2 to 3 times the macro F-beta gain of one cut at the same
   * micro cost. The resamples are drawn from a fixed seed: the same data
   * gives the same thresholds. `0` tunes one cut on the rows as they are.
   * Defaults to `32`.
   */
  readonly bootstrap?: number;
  /**
   * Tune a class only where tuning generalises within the data: thresholds
   * tuned on the even rows are scored on the odd rows and the reverse, and a
   * class whose cross-fitted F-beta does not beat its F-beta at `initial`
   * keeps `initial` (with `objective: 'micro'`, the micro F-beta decides for
   * all classes at once). Bagging (`bootstrap`) does the same job better
   * (it shrinks a cut rather than vetoing it), so this is off by default.
   * Defaults to `false`.
   */
  readonly crossFit?: boolean;
  /**
   * With `objective: 'per-class'`, the most micro F-beta (on the tuning data)
   * that tuning may cost. Thresholds that each maximise their own class's
   * F-beta can together lower micro F-beta a lot on a long tail: a rare class
   * with a weak signal gets a low cut and adds false positives to the
   * pooled count. When the tuned thresholds cost more micro than this, the
   * classes whose tuning buys the least macro for the micro it costs go back
   * to `initial`, one at a time, until the cost is within it. With
   * `crossFit`, the cost is also measured on held-out rows (thresholds tuned
   * on one half, counted on the other), where it is larger and closer to
   * what new data will show. `1` turns the guard off. Ignored with `objective: 'micro'`, which never lowers micro.
   * Defaults to `0.02`.
   */
  readonly maxMicroDrop?: number;
}

/** The result of {@link tuneThresholds}. */
export interface TunedThresholds {
  /** One probability threshold per class, to be strictly exceeded (pass it as `threshold` to the accumulator or callback). */
  readonly thresholds: number[];
  /** Each class's F-beta on the tuning data at its returned threshold, exactly as {@link FBetaAccumulator} measures it. */
  readonly f: number[];
  /** Each class's F-beta on the tuning data at the initial threshold. */
  readonly fInitial: number[];
  /** Whether each class was tuned; `false` where it kept `initial` (too few positives, below `fbr`, or nothing better). */
  readonly tuned: boolean[];
  /** The micro F-beta on the tuning data. */
  readonly micro: {
    /** At the returned thresholds. */
    readonly f: number;
    /** At the initial threshold. */
    readonly fInitial: number;
  };
}

/**
 * Per-class thresholds that maximise F-beta on held-out data. Re-weighting
 * changes the model's calibration (a boosted rare class scores high much
 * more readily), so the default 0.5 is rarely the best cut-off afterwards.
 * Tune on validation data, then apply the thresholds to test data with
 * {@link applyThresholds} or the accumulator's `threshold`.
 *
 * Each class's scores are sorted once and every cut between two distinct
 * scores is tried: O(N log N) per class, exact, in float32 as the accumulator
 * compares, so `f` is what the accumulator then measures on the same data.
 * Each class's cut is bagged: tuned on 32 bootstrap resamples of the rows
 * and averaged on the logit scale (`bootstrap`), so a cut the data does not
 * pin down shrinks toward `initial`. Two guards keep thresholds that would
 * not generalise from being used, in each resample: a class keeps `initial`
 * when it has fewer than `minPositives` positives, or when even its best
 * F-beta is below `fbr` (the SCutFBR rule of Yang, SIGIR 2001). `crossFit`
 * adds a third, off by default: thresholds tuned on half the rows must beat
 * `initial` on the other half.
 *
 * A last guard keeps the classes' thresholds together from costing more
 * than `maxMicroDrop` micro F-beta (0.02 by default) on the tuning data: the
 * classes whose cuts buy the least macro for the micro they cost go back to
 * `initial`, one at a time, until the cost is within it.
 *
 * Defaults: probabilities (`from: 'probabilities'`), β = 0.5, one threshold per class starting from 0.5, bagged over 32 resamples, with the fbr 0.2 and 5-positive guards, no cross-fitting, and at most 0.02 micro F-beta given up.
 *
 * @param yTrue - Multi-hot validation labels [N, C] (arrays or a tensor).
 * @param scores - The model's scores [N, C], probabilities or logits (see `options.from`, default probabilities).
 * @param options - See {@link TuneThresholdsOptions}.
 * @returns The thresholds and the F-beta they reach on this data.
 *
 * @example Tune on validation, score on test
 * ```ts
 * const { thresholds } = tuneThresholds(yVal, valLogits, { beta: 0.5, from: 'logits' });
 * const test = new FBetaAccumulator({ beta: 0.5, from: 'logits', threshold: thresholds }).update(yTest, testLogits).result();
 * ```
 *
 * @example Maximise micro F-beta instead of each class's own
 * ```ts
 * const { thresholds, micro } = tuneThresholds(yVal, valProbs, { objective: 'micro' });
 * ```
 */
export function tuneThresholds(
  yTrue: LabelMatrix | tf.Tensor,
  scores: LabelMatrix | tf.Tensor,
  options: TuneThresholdsOptions = {},
): TunedThresholds {
  const { settings, crossFit } = tuneSettings(options);
  const columns = sortedColumns(yTrue, scores, settings.from);
  return tuneOnRows(columns, Int32Array.from({ length: columns.rows }, (_, i) => i), settings, crossFit);
}

const TUNE_OPTIONS = optionNames<TuneThresholdsOptions>()('beta', 'from', 'initial', 'objective', 'fbr', 'minPositives', 'bootstrap', 'crossFit', 'maxMicroDrop');

/** The options' declared constraints. */
const TUNE_CONSTRAINTS: Constraints<TuneThresholdsOptions> = {
  objective: { oneOf: ['per-class', 'micro'] },
  minPositives: { whole: { min: 0 } },
  crossFit: 'boolean',
  bootstrap: { whole: { min: 0, max: 10_000, what: 'resamples', hint: '0: no bagging' } },
};

/**
 * {@link TuneThresholdsOptions} checked and filled in with their defaults:
 * the one place the defaults are written. @internal
 */
export function tuneSettings(options: TuneThresholdsOptions = {}): { settings: CoreSettings; crossFit: boolean } {
  if (options === null || typeof options !== 'object') {
    throw new InvalidOptionError('options', `must be an object such as { beta: 0.5 }, got ${describe(options)}.`);
  }
  checkOptionNames('options', options, TUNE_OPTIONS);
  const beta = checkFBeta('options.beta', options.beta ?? 0.5);
  const initial = checkRange('options.initial', options.initial ?? 0.5, { min: 0, max: 1 });
  const { from } = resolvePredictionArgs({ from: options.from ?? 'probabilities' }, 'options') as { from: PredictionKind };
  const objective = options.objective ?? 'per-class';
  const fbr = checkRange('options.fbr', options.fbr ?? 0.2, { min: 0, max: 1 });
  checkDeclared('options', options, TUNE_CONSTRAINTS);
  const minPositives = options.minPositives ?? 5;
  const crossFit = options.crossFit ?? false;
  const bootstrap = options.bootstrap ?? 32;
  const maxMicroDrop = checkRange('options.maxMicroDrop', options.maxMicroDrop ?? 0.02, { min: 0, max: 1 });
  return { settings: { beta, from, initial, objective, fbr, minPositives, maxMicroDrop, bootstrap }, crossFit };
}

/**
 * Each class's scores sorted once, for any number of tunings on subsets of
 * the rows ({@link tuneOnRows}) and for average precision. @internal
 */
export interface SortedColumns {
  readonly rows: number;
  readonly columns: readonly Column[];
}

/** Checks yTrue and scores as {@link tuneThresholds} does and sorts each class's scores. @internal */
export function sortedColumns(yTrue: LabelMatrix | tf.Tensor, scores: LabelMatrix | tf.Tensor, from: PredictionKind): SortedColumns {
  const y = toDenseMatrix('yTrue', yTrue as LabelMatrix);
  const s = toDenseMatrix('scores', scores as LabelMatrix, { values: from === 'logits' ? 'finite' : 'probabilities' });
  if (y.rows !== s.rows || y.cols !== s.cols) {
    throw new ShapeMismatchError('scores', `has shape [${s.rows}, ${s.cols}] but yTrue has shape [${y.rows}, ${y.cols}]; they must match.`);
  }
  return { rows: y.rows, columns: Array.from({ length: y.cols }, (_, c) => columnOf(y.data, s.data, y.rows, y.cols, c)) };
}

/**
 * The two cross-fitting folds of `rows`: the rows at even positions and those
 * at odd positions (one definition, for the thresholds and the search).
 * @internal
 */
export function parityFolds(rows: Int32Array): [Int32Array, Int32Array] {
  return [rows.filter((_, k) => k % 2 === 0), rows.filter((_, k) => k % 2 === 1)];
}

/**
 * {@link tuneThresholds} on some of the rows of {@link sortedColumns}: the
 * same thresholds as tuning a matrix of just those rows, in that order (the
 * cross-fitting folds are their even and odd positions), without sorting
 * again. With `floor` (per-class objective), the thresholds then keep at
 * least its micro F-beta on these rows, giving up the least macro F-beta
 * (or of the floor's weighted objective), where they can; the cross-fitting
 * guard is decided without it.
 * @internal
 */
export function tuneOnRows(sorted: SortedColumns, rows: Int32Array, settings: CoreSettings, crossFit: boolean, floor?: MicroFloor): TunedThresholds {
  const { columns } = sorted;
  const { beta, from, initial, objective, maxMicroDrop } = settings;
  let allowed = new Array<boolean>(columns.length).fill(true);
  if (crossFit) {
    // Tune on the even rows and score on the odd ones, and the reverse; keep tuning only where that beats `initial`.
    const folds = parityFolds(rows);
    const held = folds.map((fold, k) => {
      const { thresholds } = tuneCore(columns, fold, settings, allowed);
      return countAt(columns, folds[1 - k]!, thresholds, from);
    });
    const whole = tuneCore(columns, rows, settings, allowed);
    const fOf = fbetaOf(beta);
    const tp = held[0]!.tp.map((v, c) => v + held[1]!.tp[c]!);
    const fp = held[0]!.fp.map((v, c) => v + held[1]!.fp[c]!);
    const P = whole.positives;
    if (objective === 'per-class') {
      allowed = tp.map((v, c) => fOf(v, fp[c]!, P[c]! - v) > whole.fInitial[c]!);
      // The micro guard on the held-out counts too: in-sample, tuned cuts look cheaper in micro than they are.
      const tpHeld = tp.map((v, c) => (allowed[c] ? v : whole.tp0[c]!));
      const fpHeld = fp.map((v, c) => (allowed[c] ? v : whole.fp0[c]!));
      holdMicro(allowed, tpHeld, fpHeld, whole.tp0, whole.fp0, P, maxMicroDrop, fOf);
    } else {
      if (!(fOf(sum(tp), sum(fp), sum(P) - sum(tp)) > whole.microInitial)) allowed = allowed.map(() => false);
    }
  }
  const r = settings.bootstrap > 0 && objective === 'per-class' ? bagged(columns, rows, settings, allowed, floor) : tuneCore(columns, rows, settings, allowed, objective === 'per-class' ? floor : undefined);
  return { thresholds: r.thresholds, f: r.f, fInitial: r.fInitial, tuned: r.thresholds.map((t) => t !== initial), micro: { f: r.micro, fInitial: r.microInitial } };
}

/**
 * Bagged per-class cuts: each class's cut tuned (with the guards) on
 * `settings.bootstrap` resamples of the rows, averaged on the logit scale,
 * then the `maxMicroDrop` guard and the floor on the rows as they are.
 */
function bagged(columns: SortedColumns['columns'], rows: Int32Array, settings: CoreSettings, allowed: readonly boolean[], floor: MicroFloor | undefined) {
  const { initial } = settings;
  const C = columns.length;
  const logit = (p: number) => Math.log(Math.min(1 - 1e-7, Math.max(1e-7, p)) / (1 - Math.min(1 - 1e-7, Math.max(1e-7, p))));
  const total = new Float64Array(C);
  const rand = mulberry32(0x7f4a7c15);
  const free = { ...settings, maxMicroDrop: 1 };
  // minPositives counts distinct rows: a resample that draws a class's 2 positives 3 times each has not 6 of them.
  const eligible = columns.map((col, c) => {
    let positives = 0;
    for (const i of rows) positives += col.positive[i]!;
    return allowed[c]! && positives >= settings.minPositives;
  });
  const member = new Uint16Array(columns[0]?.scores.length ?? 0);
  for (let b = 0; b < settings.bootstrap; b++) {
    member.fill(0);
    for (let k = 0; k < rows.length; k++) member[rows[Math.floor(rand() * rows.length)]!]++;
    bestCuts(columns, member, free, eligible).forEach((t, c) => (total[c] += logit(t)));
  }
  const mean = Array.from(total, (v, c) => (eligible[c] ? 1 / (1 + Math.exp(-v / settings.bootstrap)) : initial));
  // Where the average lands on initial's logit (every resample kept it), keep initial exactly.
  const thresholds = mean.map((t, c) => (Math.abs(total[c]! / settings.bootstrap - logit(initial)) < 1e-12 ? initial : t));
  return tuneCore(columns, rows, settings, eligible, floor, thresholds);
}

/** A small seeded uniform stream (mulberry32), so that bagging is repeatable. */
function mulberry32(seed: number): () => number {
  let a = seed | 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The 0/1 labels the thresholds give: 1 where a score is strictly above its
 * class's threshold, compared in float32 as {@link FBetaAccumulator} does.
 *
 * @param scores - Scores [N, C], probabilities or logits (see `options.from`, default probabilities).
 * @param thresholds - One probability threshold per class, or one for all.
 * @param options - `from`: what the scores are. Defaults to `'probabilities'`.
 * @returns The predicted multi-hot rows [N][C].
 *
 * @example
 * ```ts
 * const { thresholds } = tuneThresholds(yVal, valProbs);
 * const labels = applyThresholds(testProbs, thresholds); // [[1, 0, 1], ...]
 * ```
 */
export function applyThresholds(
  scores: LabelMatrix | tf.Tensor,
  thresholds: number | readonly number[],
  options: { readonly from?: PredictionKind } = {},
): number[][] {
  checkOptionNames('options', options, ['from']);
  const { from } = resolvePredictionArgs({ from: options.from ?? 'probabilities' }, 'options') as { from: PredictionKind };
  const s = toDenseMatrix('scores', scores as LabelMatrix, { values: from === 'logits' ? 'finite' : 'probabilities' });
  if (typeof thresholds !== 'number' && !Array.isArray(thresholds)) {
    throw new InvalidOptionError('thresholds', `must be a number in [0, 1] or one per class, got ${describe(thresholds)}.`);
  }
  const list = typeof thresholds === 'number' ? new Array<number>(s.cols).fill(thresholds) : thresholds;
  list.forEach((t, i) => checkRange(typeof thresholds === 'number' ? 'thresholds' : `thresholds[${i}]`, t, { min: 0, max: 1 }));
  if (list.length !== s.cols) {
    throw new ShapeMismatchError(
      'thresholds',
      `has ${list.length} per-class thresholds but scores has shape [${s.rows}, ${s.cols}]; pass one threshold per class.`,
    );
  }
  const cuts = list.map((t) => scoreCut(t, from));
  const out: number[][] = [];
  for (let i = 0; i < s.rows; i++) {
    const row = new Array<number>(s.cols);
    for (let c = 0; c < s.cols; c++) row[c] = Math.fround(s.data[i * s.cols + c] as number) > cuts[c]! ? 1 : 0;
    out.push(row);
  }
  return out;
}
