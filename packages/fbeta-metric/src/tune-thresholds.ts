import * as tf from '@tensorflow/tfjs-core';
import { InvalidOptionError, ShapeMismatchError, toDenseMatrix, type LabelMatrix } from '@tfjs-imbalance/weight-schemes';
import { checkOptionNames, checkRange, describe } from '@tfjs-imbalance/weight-schemes/internal';
import { checkFBeta, fbetaCoefficients } from './fbeta-scores.js';
import { resolvePredictionArgs, type ScoreKind } from './prediction-options.js';
import { descendingOrder } from './descending-order.js';

/**
 * What {@link tuneThresholds} maximises:
 * - `'per-class'`: each class's own F-beta, independently (SCut). This
 *   maximises the macro average.
 * - `'micro'`: the micro-averaged F-beta over all classes, by coordinate
 *   ascent (each class's threshold in turn, the others held fixed, until no
 *   change raises it).
 */
export type ThresholdObjective = 'per-class' | 'micro';

/** Options of {@link tuneThresholds}. */
export interface TuneThresholdsOptions {
  /** The β whose F-beta is maximised. Defaults to `0.5`. */
  readonly beta?: number;
  /** What the scores are. Thresholds are always returned as probabilities. Defaults to `'probabilities'`. */
  readonly from?: ScoreKind;
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
   * Tune a class only where tuning generalises within the data: thresholds
   * tuned on the even rows are scored on the odd rows and the reverse, and a
   * class whose cross-fitted F-beta does not beat its F-beta at `initial`
   * keeps `initial` (with `objective: 'micro'`, the micro F-beta decides for
   * all classes at once). It costs three tuning passes instead of one.
   * Defaults to `true`.
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

/** The comparison value the accumulator uses for a probability threshold (see binarize in batch-statistics): float32, a logit with `from: 'logits'`. */
function scoreCut(threshold: number, from: ScoreKind): number {
  return Math.fround(from === 'logits' ? Math.log(threshold / (1 - threshold)) : threshold);
}

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));
const sum = (a: readonly number[]) => a.reduce((x, v) => x + v, 0);

/**
 * One class's possible cuts, from the highest score down: predicting every
 * score above cut k gives tp[k], fp[k]. Cut k lies between the scores
 * hi[k] > lo[k]; its probability threshold is found only for the cuts a
 * tuning pass picks ({@link cutThreshold}), as most are never picked.
 */
interface ClassCuts {
  readonly positives: number;
  readonly hi: number[];
  readonly lo: number[];
  readonly tp: number[];
  readonly fp: number[];
  /** tp and fp at `initial`. */
  readonly tp0: number;
  readonly fp0: number;
}

/**
 * The cuts of one class. Scores are compared in float32 exactly as the
 * accumulator does (value > cut, both float32), so the counts here are the
 * counts it will measure. A cut lies midway between two adjacent distinct
 * scores, in float32; where no float32 lies strictly between them, on the
 * lower one. Cuts that no probability threshold can express (saturated
 * logits) are left out.
 */
function classCuts(col: Column, member: Uint8Array, from: ScoreKind, initial: number): ClassCuts {
  const { scores, positive, order } = col;
  let positives = 0;
  let tp0 = 0;
  let fp0 = 0;
  const c0 = scoreCut(initial, from);
  for (let i = 0; i < scores.length; i++) {
    if (!member[i]) continue;
    positives += positive[i]!;
    if (scores[i]! > c0) {
      if (positive[i]) tp0++;
      else fp0++;
    }
  }
  const his: number[] = [];
  const los: number[] = [];
  const tps: number[] = [];
  const fps: number[] = [];
  let tp = 0;
  let fp = 0;
  // The column's rows are sorted once, by descending score; a subset of rows walks that order.
  const N = order.length;
  const nextMember = (k: number) => {
    while (k < N && !member[order[k]!]) k++;
    return k;
  };
  for (let k = nextMember(0); k < N; ) {
    const v = scores[order[k]!]!;
    while (k < N && scores[order[k]!]! === v) {
      if (member[order[k]!]) {
        if (positive[order[k]!]) tp++;
        else fp++;
      }
      k = nextMember(k + 1);
    }
    his.push(v);
    los.push(k < N ? scores[order[k]!]! : -Infinity);
    tps.push(tp);
    fps.push(fp);
  }
  return { positives, hi: his, lo: los, tp: tps, fp: fps, tp0, fp0 };
}

/** The probability threshold of cut j, or undefined when no probability threshold expresses it (saturated logits). */
function cutThreshold(k: ClassCuts, j: number, from: ScoreKind): number | undefined {
  return thresholdBetween(k.lo[j]!, k.hi[j]!, from);
}

/** A probability threshold whose float32 cut c satisfies lo ≤ c < hi (every score ≥ hi predicted, none ≤ lo), if there is one. */
function thresholdBetween(lo: number, hi: number, from: ScoreKind): number | undefined {
  const candidates: number[] = [];
  if (lo === -Infinity) {
    // Below the lowest score: predict every row.
    candidates.push(from === 'logits' ? sigmoid(hi - Math.max(1, Math.abs(hi))) : hi / 2);
  } else {
    const mid = Math.fround((lo + hi) / 2);
    for (const c of mid < hi && mid >= lo ? [mid, lo] : [lo]) candidates.push(from === 'logits' ? sigmoid(c) : c);
  }
  return candidates.find((t) => {
    if (!(t >= 0 && t <= 1)) return false;
    const c = scoreCut(t, from);
    return c < hi && (lo === -Infinity || c >= lo);
  });
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
 * Three guards keep thresholds that would not generalise from being used: a
 * class keeps `initial` when it has fewer than `minPositives` positives, when
 * even its best F-beta is below `fbr` (the SCutFBR rule of Yang, SIGIR 2001),
 * or when thresholds tuned on half the rows do not beat `initial` on the other
 * half (`crossFit`).
 *
 * A fourth guard keeps the classes' thresholds together from costing more
 * than `maxMicroDrop` micro F-beta (0.02 by default).
 *
 * Defaults: probabilities (`from: 'probabilities'`), β = 0.5, one threshold per class starting from 0.5, with the fbr 0.2 and 5-positive guards, cross-fitting on and at most 0.02 micro F-beta given up.
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

/**
 * {@link TuneThresholdsOptions} checked and filled in with their defaults:
 * the one place the defaults are written. @internal
 */
export function tuneSettings(options: TuneThresholdsOptions = {}): { settings: CoreSettings; crossFit: boolean } {
  if (options === null || typeof options !== 'object') {
    throw new InvalidOptionError('options', `must be an object such as { beta: 0.5 }, got ${describe(options)}.`);
  }
  checkOptionNames('options', options, ['beta', 'from', 'initial', 'objective', 'fbr', 'minPositives', 'crossFit', 'maxMicroDrop']);
  const beta = checkFBeta('options.beta', options.beta ?? 0.5);
  const initial = checkRange('options.initial', options.initial ?? 0.5, { min: 0, max: 1 });
  const { from } = resolvePredictionArgs({ from: options.from ?? 'probabilities' }, 'options') as { from: ScoreKind };
  const objective = options.objective ?? 'per-class';
  if (objective !== 'per-class' && objective !== 'micro') {
    throw new InvalidOptionError('options.objective', `must be 'per-class' or 'micro', got ${describe(objective)}.`);
  }
  const fbr = checkRange('options.fbr', options.fbr ?? 0.2, { min: 0, max: 1 });
  const minPositives = options.minPositives ?? 5;
  if (!Number.isInteger(minPositives) || minPositives < 0) {
    throw new InvalidOptionError('options.minPositives', `must be a whole number ≥ 0, got ${describe(minPositives)}.`);
  }
  const crossFit = options.crossFit ?? true;
  if (typeof crossFit !== 'boolean') {
    throw new InvalidOptionError('options.crossFit', `must be true or false, got ${describe(crossFit)}.`);
  }
  const maxMicroDrop = checkRange('options.maxMicroDrop', options.maxMicroDrop ?? 0.02, { min: 0, max: 1 });
  return { settings: { beta, from, initial, objective, fbr, minPositives, maxMicroDrop }, crossFit };
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
export function sortedColumns(yTrue: LabelMatrix | tf.Tensor, scores: LabelMatrix | tf.Tensor, from: ScoreKind): SortedColumns {
  const y = toDenseMatrix('yTrue', yTrue as LabelMatrix);
  const s = toDenseMatrix('scores', scores as LabelMatrix, { values: from === 'logits' ? 'finite' : 'probabilities' });
  if (y.rows !== s.rows || y.cols !== s.cols) {
    throw new ShapeMismatchError('scores', `has shape [${s.rows}, ${s.cols}] but yTrue has shape [${y.rows}, ${y.cols}]; they must match.`);
  }
  return { rows: y.rows, columns: Array.from({ length: y.cols }, (_, c) => columnOf(y.data, s.data, y.rows, y.cols, c)) };
}

/**
 * {@link tuneThresholds} on some of the rows of {@link sortedColumns}: the
 * same thresholds as tuning a matrix of just those rows, in that order (the
 * cross-fitting folds are their even and odd positions), without sorting
 * again. @internal
 */
export function tuneOnRows(sorted: SortedColumns, rows: Int32Array, settings: CoreSettings, crossFit: boolean): TunedThresholds {
  const { columns } = sorted;
  const { beta, from, initial, objective, maxMicroDrop } = settings;
  let allowed = new Array<boolean>(columns.length).fill(true);
  if (crossFit) {
    // Tune on the even rows and score on the odd ones, and the reverse; keep tuning only where that beats `initial`.
    const folds = [rows.filter((_, k) => k % 2 === 0), rows.filter((_, k) => k % 2 === 1)];
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
  const r = tuneCore(columns, rows, settings, allowed);
  return { thresholds: r.thresholds, f: r.f, fInitial: r.fInitial, tuned: r.thresholds.map((t) => t !== initial), micro: { f: r.micro, fInitial: r.microInitial } };
}

/** The settings of one tuning pass. @internal */
export interface CoreSettings {
  readonly beta: number;
  readonly from: ScoreKind;
  readonly initial: number;
  readonly objective: ThresholdObjective;
  readonly fbr: number;
  readonly minPositives: number;
  readonly maxMicroDrop: number;
}

/** One class's scores (float32, as the accumulator sees them), 0/1 labels, and its rows by descending score. @internal */
export interface Column {
  readonly scores: Float32Array;
  readonly positive: Uint8Array;
  readonly order: Int32Array;
}

function columnOf(y: ArrayLike<number>, s: ArrayLike<number>, N: number, C: number, c: number): Column {
  const scores = new Float32Array(N);
  const positive = new Uint8Array(N);
  for (let i = 0; i < N; i++) {
    scores[i] = s[i * C + c]!;
    positive[i] = y[i * C + c]! >= 0.5 ? 1 : 0;
  }
  return { scores, positive, order: descendingOrder(scores, Int32Array.from({ length: N }, (_, i) => i)) };
}

const fbetaOf = (beta: number) => {
  const { a, b, c } = fbetaCoefficients(beta);
  return (tp: number, fp: number, fn: number) => {
    const den = a * tp + b * fn + c * fp;
    return den === 0 ? 0 : (a * tp) / den;
  };
};

/** Per class, the true and false positives of some rows at some thresholds, compared as the accumulator does. */
function countAt(columns: readonly Column[], rows: Int32Array, thresholds: readonly number[], from: ScoreKind): { tp: number[]; fp: number[] } {
  const tp: number[] = [];
  const fp: number[] = [];
  columns.forEach((col, c) => {
    const cut = scoreCut(thresholds[c]!, from);
    let t = 0;
    let f = 0;
    for (const i of rows) {
      if (col.scores[i]! > cut) {
        if (col.positive[i]) t++;
        else f++;
      }
    }
    tp.push(t);
    fp.push(f);
  });
  return { tp, fp };
}

/** One tuning pass over some rows: the guards, then the objective, for the classes `allowed`. */
function tuneCore(columns: readonly Column[], rows: Int32Array, o: CoreSettings, allowed: readonly boolean[]) {
  const fOf = fbetaOf(o.beta);
  const C = columns.length;
  const member = new Uint8Array(columns[0]?.scores.length ?? 0);
  for (const i of rows) member[i] = 1;
  const cuts = columns.map((col) => classCuts(col, member, o.from, o.initial));
  const thresholds = new Array<number>(C).fill(o.initial);
  const tp = cuts.map((k) => k.tp0);
  const fp = cuts.map((k) => k.fp0);
  const fInitial = cuts.map((k) => fOf(k.tp0, k.fp0, k.positives - k.tp0));
  // A cut counts only where a probability threshold expresses it; that is checked for the few cuts that would win.
  const tunable = cuts.map((k, c) => {
    if (!allowed[c] || k.positives < o.minPositives) return false;
    let best = fInitial[c]!;
    for (let j = 0; j < k.tp.length; j++) {
      const v = fOf(k.tp[j]!, k.fp[j]!, k.positives - k.tp[j]!);
      if (v > best && cutThreshold(k, j, o.from) !== undefined) best = v;
    }
    return best >= o.fbr;
  });
  const choose = (c: number, score: (tpc: number, fpc: number) => number) => {
    const k = cuts[c]!;
    let best = score(tp[c]!, fp[c]!);
    for (let j = 0; j < k.tp.length; j++) {
      const v = score(k.tp[j]!, k.fp[j]!);
      if (v > best) {
        const t = cutThreshold(k, j, o.from);
        if (t === undefined) continue;
        best = v;
        thresholds[c] = t;
        tp[c] = k.tp[j]!;
        fp[c] = k.fp[j]!;
      }
    }
  };
  const positives = cuts.map((k) => k.positives);
  const totalPositives = sum(positives);
  const tp0 = cuts.map((k) => k.tp0);
  const fp0 = cuts.map((k) => k.fp0);
  if (o.objective === 'per-class') {
    for (let c = 0; c < C; c++) if (tunable[c]) choose(c, (tpc, fpc) => fOf(tpc, fpc, positives[c]! - tpc));
    const tuned = thresholds.map((t) => t !== o.initial);
    holdMicro(tuned, tp, fp, tp0, fp0, positives, o.maxMicroDrop, fOf);
    tuned.forEach((t, c) => void (t || (thresholds[c] = o.initial)));
  } else {
    // Coordinate ascent on micro F-beta; each step never lowers it, so it ends.
    for (let pass = 0; pass < 20; pass++) {
      const before = thresholds.slice();
      for (let c = 0; c < C; c++) {
        if (!tunable[c]) continue;
        const TP = sum(tp) - tp[c]!;
        const FP = sum(fp) - fp[c]!;
        choose(c, (tpc, fpc) => fOf(TP + tpc, FP + fpc, totalPositives - TP - tpc));
      }
      if (thresholds.every((t, c) => t === before[c])) break;
    }
  }
  return {
    thresholds,
    positives,
    f: cuts.map((k, c) => fOf(tp[c]!, fp[c]!, k.positives - tp[c]!)),
    fInitial,
    micro: fOf(sum(tp), sum(fp), totalPositives - sum(tp)),
    microInitial: fOf(sum(tp0), sum(fp0), totalPositives - sum(tp0)),
    tp0,
    fp0,
  };
}

/**
 * The `maxMicroDrop` guard: while the tuned classes cost more micro F-beta
 * than allowed, set back to `initial` the tuned class that gives up the least
 * macro F-beta per unit of micro F-beta regained. `tp` and `fp` are the
 * counts at the tuned thresholds (at `initial` for a class not tuned); the
 * arrays change in place.
 */
function holdMicro(
  tuned: boolean[],
  tp: number[],
  fp: number[],
  tp0: readonly number[],
  fp0: readonly number[],
  positives: readonly number[],
  maxMicroDrop: number,
  fOf: (tp: number, fp: number, fn: number) => number,
): void {
  const P = sum(positives);
  const micro = (TP: number, FP: number) => fOf(TP, FP, P - TP);
  const floor = micro(sum(tp0), sum(fp0)) - maxMicroDrop;
  let TP = sum(tp);
  let FP = sum(fp);
  while (micro(TP, FP) < floor) {
    let best = -1;
    let bestRatio = -Infinity;
    for (let c = 0; c < tuned.length; c++) {
      if (!tuned[c]) continue;
      const regained = micro(TP - tp[c]! + tp0[c]!, FP - fp[c]! + fp0[c]!) - micro(TP, FP);
      if (!(regained > 0)) continue;
      const lost = fOf(tp[c]!, fp[c]!, positives[c]! - tp[c]!) - fOf(tp0[c]!, fp0[c]!, positives[c]! - tp0[c]!);
      const ratio = regained / Math.max(lost, 1e-12);
      if (ratio > bestRatio) {
        bestRatio = ratio;
        best = c;
      }
    }
    if (best < 0) return; // nothing left whose reset raises micro
    TP += tp0[best]! - tp[best]!;
    FP += fp0[best]! - fp[best]!;
    tuned[best] = false;
    tp[best] = tp0[best]!;
    fp[best] = fp0[best]!;
  }
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
  options: { readonly from?: ScoreKind } = {},
): number[][] {
  checkOptionNames('options', options, ['from']);
  const { from } = resolvePredictionArgs({ from: options.from ?? 'probabilities' }, 'options') as { from: ScoreKind };
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
