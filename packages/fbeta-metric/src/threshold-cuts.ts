import { descendingOrder } from './descending-order.js';
import { fbetaCoefficients } from './fbeta-scores.js';
import { keepMicroFloor, sum, type MicroFloor } from './micro-floor.js';
import type { PredictionKind } from '@tfjs-imbalance/weight-schemes';

/**
 * What `tuneThresholds` maximises:
 * - `'per-class'`: each class's own F-beta, independently (SCut). This
 *   maximises the macro average.
 * - `'micro'`: the micro-averaged F-beta over all classes, by coordinate
 *   ascent (each class's threshold in turn, the others held fixed, until no
 *   change raises it).
 */
export type ThresholdObjective = 'per-class' | 'micro';

/** The comparison value the accumulator uses for a probability threshold (see binarize in batch-statistics): float32, a logit with `from: 'logits'`. */
export function scoreCut(threshold: number, from: PredictionKind): number {
  return Math.fround(from === 'logits' ? Math.log(threshold / (1 - threshold)) : threshold);
}

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

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

/** A class's positives and its true and false positives above the score cut `c0`, each row counted `member[i]` times. */
function countsAtCut(col: Column, member: Uint16Array, c0: number): { positives: number; tp0: number; fp0: number } {
  const { scores, positive, order, positiveRows } = col;
  let positives = 0;
  for (const i of positiveRows) positives += member[i]!;
  // The rows above c0 come first in the descending order.
  let tp0 = 0;
  let fp0 = 0;
  for (let k = 0; k < order.length && scores[order[k]!]! > c0; k++) {
    const i = order[k]!;
    if (positive[i]) tp0 += member[i]!;
    else fp0 += member[i]!;
  }
  return { positives, tp0, fp0 };
}

/**
 * The cuts of one class. Scores are compared in float32 exactly as the
 * accumulator does (value > cut, both float32), so the counts here are the
 * counts it will measure. A cut lies midway between two adjacent distinct
 * scores, in float32; where no float32 lies strictly between them, on the
 * lower one. Cuts that no probability threshold can express (saturated
 * logits) are left out.
 */
function classCuts(col: Column, member: Uint16Array, from: PredictionKind, initial: number): ClassCuts {
  const { scores, positive, order } = col;
  const { positives, tp0, fp0 } = countsAtCut(col, member, scoreCut(initial, from));
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
      const w = member[order[k]!]!;
      if (w) {
        if (positive[order[k]!]) tp += w;
        else fp += w;
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

/**
 * Each class's threshold from one per-class tuning pass on rows counted
 * `member[i]` times: what {@link tuneCore} picks with the per-class
 * objective and no micro guard (the first cut, from the highest score down,
 * whose F-beta is strictly best and above the F-beta at `initial`, where a
 * probability threshold expresses it; `initial` for a class not `allowed`,
 * with fewer than `minPositives` positives, or whose best is below `fbr`),
 * in one pass per class and no arrays: the bagging loop calls it once per
 * resample. @internal
 */
export function bestCuts(columns: readonly Column[], member: Uint16Array, o: CoreSettings, allowed: readonly boolean[]): number[] {
  const fOf = fbetaOf(o.beta);
  const c0 = scoreCut(o.initial, o.from);
  return columns.map((col, c) => {
    if (!allowed[c]) return o.initial;
    const { scores, positive, order } = col;
    const N = order.length;
    const { positives, tp0, fp0 } = countsAtCut(col, member, c0);
    if (positives < o.minPositives) return o.initial;
    let best = fOf(tp0, fp0, positives - tp0);
    let threshold = o.initial;
    let tp = 0;
    let fp = 0;
    let k = 0;
    while (k < N && !member[order[k]!]) k++;
    while (k < N) {
      const v = scores[order[k]!]!;
      while (k < N && scores[order[k]!]! === v) {
        const w = member[order[k]!]!;
        if (positive[order[k]!]) tp += w;
        else fp += w;
        k++;
        while (k < N && !member[order[k]!]) k++;
      }
      const f = fOf(tp, fp, positives - tp);
      if (f > best) {
        const t = thresholdBetween(k < N ? scores[order[k]!]! : -Infinity, v, o.from);
        if (t !== undefined) {
          best = f;
          threshold = t;
        }
      }
      // Past the last positive, each lower cut only adds false positives: its F-beta is lower, never strictly best.
      if (tp === positives) break;
    }
    return best >= o.fbr ? threshold : o.initial;
  });
}

/** The probability threshold of cut j, or undefined when no probability threshold expresses it (saturated logits). */
function cutThreshold(k: ClassCuts, j: number, from: PredictionKind): number | undefined {
  return thresholdBetween(k.lo[j]!, k.hi[j]!, from);
}

/** A probability threshold whose float32 cut c satisfies lo ≤ c < hi (every score ≥ hi predicted, none ≤ lo), if there is one. */
function thresholdBetween(lo: number, hi: number, from: PredictionKind): number | undefined {
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

/** The settings of one tuning pass. @internal */
export interface CoreSettings {
  readonly beta: number;
  readonly from: PredictionKind;
  readonly initial: number;
  readonly objective: ThresholdObjective;
  readonly fbr: number;
  readonly minPositives: number;
  readonly maxMicroDrop: number;
  /** Bootstrap resamples whose cuts are averaged (bagging); 0 for one cut on the rows. */
  readonly bootstrap: number;
}

/** One class's scores (float32, as the accumulator sees them), 0/1 labels, and its rows by descending score. @internal */
export interface Column {
  readonly scores: Float32Array;
  readonly positive: Uint8Array;
  readonly order: Int32Array;
  /** The rows where `positive` is 1. */
  readonly positiveRows: Int32Array;
}

/** @internal */
export function columnOf(y: ArrayLike<number>, s: ArrayLike<number>, N: number, C: number, c: number): Column {
  const scores = new Float32Array(N);
  const positive = new Uint8Array(N);
  const rows = new Int32Array(N);
  let positives = 0;
  for (let i = 0; i < N; i++) {
    scores[i] = s[i * C + c]!;
    positive[i] = y[i * C + c]! >= 0.5 ? 1 : 0;
    positives += positive[i]!;
    rows[i] = i;
  }
  const positiveRows = new Int32Array(positives);
  for (let i = 0, k = 0; i < N; i++) if (positive[i]) positiveRows[k++] = i;
  return { scores, positive, order: descendingOrder(scores, rows), positiveRows };
}

/** @internal */
export const fbetaOf = (beta: number) => {
  const { a, b, c } = fbetaCoefficients(beta);
  return (tp: number, fp: number, fn: number) => {
    const den = a * tp + b * fn + c * fp;
    return den === 0 ? 0 : (a * tp) / den;
  };
};

/** Per class, the true and false positives of some rows at some thresholds, compared as the accumulator does. */
/** @internal */
export function countAt(columns: readonly Column[], rows: Int32Array, thresholds: readonly number[], from: PredictionKind): { tp: number[]; fp: number[] } {
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

/**
 * One tuning pass over some rows: the guards, then the objective, for the
 * classes `allowed`. With `floor` (per-class objective only), the
 * thresholds then keep at least its micro F-beta on these rows where they
 * can ({@link keepMicroFloor}). With `given` (per-class objective only), the
 * thresholds are those (bagged cuts) instead of each class's best cut on
 * these rows; the micro guard and the floor then apply to them, and the floor
 * only raises them.
 * @internal
 */
export function tuneCore(columns: readonly Column[], rows: Int32Array, o: CoreSettings, allowed: readonly boolean[], floor?: MicroFloor, given?: readonly number[]) {
  const fOf = fbetaOf(o.beta);
  const C = columns.length;
  // How many times each row counts: once, or as often as a bootstrap resample drew it.
  const member = new Uint16Array(columns[0]?.scores.length ?? 0);
  for (const i of rows) member[i]++;
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
    if (given === undefined) {
      for (let c = 0; c < C; c++) if (tunable[c]) choose(c, (tpc, fpc) => fOf(tpc, fpc, positives[c]! - tpc));
    } else {
      const at = countAt(columns, rows, given, o.from);
      given.forEach((t, c) => {
        if (t === o.initial || !allowed[c]) return;
        thresholds[c] = t;
        tp[c] = at.tp[c]!;
        fp[c] = at.fp[c]!;
      });
    }
    const tuned = thresholds.map((t) => t !== o.initial);
    holdMicro(tuned, tp, fp, tp0, fp0, positives, o.maxMicroDrop, fOf);
    tuned.forEach((t, c) => void (t || ((thresholds[c] = o.initial), (tp[c] = tp0[c]!), (fp[c] = fp0[c]!))));
    if (floor !== undefined) {
      keepMicroFloor(floor.micro, {
        cuts,
        tunable: given === undefined ? tunable : allowed,
        thresholds,
        tp,
        fp,
        initial: o.initial,
        beta: o.beta,
        fOf,
        weights: floor.weights,
        maxObjectiveDrop: floor.maxObjectiveDrop,
        thresholdOf: (c, j) => cutThreshold(cuts[c]!, j, o.from),
        ...(given === undefined ? {} : { raiseOnly: true }),
      });
    }
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
/** @internal */
export function holdMicro(
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
