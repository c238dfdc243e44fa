import { confusionCounts, fbetaScores, type FBetaScores } from '@tfjs-imbalance/fbeta-metric';
import { fbetaOf, macroAveragePrecision, parityFolds, scoreCut, sortedColumns, tuneOnRows, tuneSettings } from '@tfjs-imbalance/fbeta-metric/internal';
import type { Matrix } from './matrix.js';
import type { ResampledRun } from './noise.js';

export type { Matrix } from './matrix.js';

/** What {@link compareTreatments} selects on; see {@link CompareTreatmentsArgs.objective}. */
export type SearchObjective = 'macro' | 'micro' | 'bottom-third' | 'macro-ap';

/** Validation scores of one run. F-beta figures are at thresholds tuned by 2-fold cross-fitting unless named `at05`. */
export interface ValidationScores {
  /** Micro F-beta at cross-fitted tuned thresholds. */
  readonly micro: number;
  /** Macro F-beta at cross-fitted tuned thresholds. */
  readonly macro: number;
  /** Macro F-beta over the bottom third of classes by training count, at cross-fitted tuned thresholds. */
  readonly bottomThird: number;
  /** Macro average precision (threshold-free). */
  readonly macroAP: number;
  /** The same F-beta figures at threshold 0.5. */
  readonly at05: {
    /** Micro F-beta at 0.5. */
    readonly micro: number;
    /** Macro F-beta at 0.5. */
    readonly macro: number;
    /** Bottom-third macro F-beta at 0.5. */
    readonly bottomThird: number;
  };
}

/** Macro F-beta over some classes. */
export function meanF(s: FBetaScores, classes: readonly number[]): number {
  return classes.length === 0 ? 0 : classes.reduce((a, c) => a + s.f[c]!, 0) / classes.length;
}

/**
 * tuneThresholds' settings and estimator, with its defaults, for `beta` and scores given as logits; `quick`
 * tunes one cut per class (no bagging), for the curve scored after epochs, where only runs at the same epoch are
 * compared.
 */
const tuning = (beta: number, quick = false) => tuneSettings({ beta, from: 'logits', ...(quick ? { bootstrap: 0 } : {}) });

/**
 * Plain training's micro F-beta at its own tuned thresholds, on the rows
 * they were tuned on: each cross-fitting fold, and all the rows. What the
 * other runs' thresholds must keep, less `maxMicroDrop`.
 */
export interface MicroReference {
  readonly folds: readonly number[];
  readonly whole: number;
}

/** How {@link scoreValidation} scores a run. */
export interface ScoreOptions {
  readonly beta: number;
  /** The classes of the bottom-third score. */
  readonly tail: readonly number[];
  /** Also tune the thresholds on all the rows (what the run hands to users). */
  readonly thresholds?: boolean;
  /** One cut per class instead of bagged cuts: cheaper, for the objective after each epoch (the pruner's curves). */
  readonly quick?: boolean;
  /**
   * Keep each fold's (and the whole's) micro F-beta within `drop` of plain
   * training's there, where the thresholds can, giving up the least macro
   * F-beta, or of the objective that `weights` (per class, summing to 1) define.
   */
  readonly floor?: { readonly reference: MicroReference; readonly drop: number; readonly weights?: readonly number[] | undefined; readonly maxObjectiveDrop?: number | undefined } | undefined;
}

/** What {@link scoreValidation} returns. */
export interface ScoredRun {
  readonly scores: ValidationScores;
  /** The out-of-fold predictions and sorted scores, for the bootstrap. */
  readonly resampled: ResampledRun;
  /** With `thresholds`: the thresholds tuned on all the rows. */
  readonly thresholds?: number[];
  /** With `thresholds`: this run's {@link MicroReference}. */
  readonly reference?: MicroReference;
}

/**
 * Validation scores with thresholds tuned by 2-fold cross-fitting: tuned on
 * the even rows and scored on the odd ones, and the reverse, each row's
 * predictions made by the thresholds of the fold it was not tuned on.
 * Thresholds tuned and scored on the same rows would flatter each run by how
 * much it overfits them; these do not. With `floor`, each fold's thresholds
 * give up the least macro F-beta that keeps micro F-beta within `drop` of
 * plain training's on that fold. With `thresholds`, also the thresholds tuned
 * on all the rows (what `tuneThresholds` returns, with the floor), from the
 * same sorted scores, and this run's {@link MicroReference}.
 */
export function scoreValidation(y: Matrix, logits: Matrix, o: ScoreOptions): ScoredRun {
  const { beta, tail, floor } = o;
  // Each class's scores are sorted once, for both folds' tuning, the thresholds and the average precision.
  const sorted = sortedColumns(y, logits, 'logits');
  const [N, C] = y.shape;
  const parity = parityFolds(Int32Array.from({ length: N }, (_, k) => k));
  const inFold: number[] = [];
  const predicted = new Uint8Array(N * C);
  parity.forEach((rows, k) => {
    const { settings, crossFit } = tuning(beta, o.quick);
    const tuned = tuneOnRows(sorted, rows, settings, crossFit, floor && { micro: floor.reference.folds[k]! - floor.drop, weights: floor.weights, maxObjectiveDrop: floor.maxObjectiveDrop });
    inFold.push(tuned.micro.f);
    const cuts = tuned.thresholds.map((t) => scoreCut(t, 'logits'));
    for (const i of parity[1 - k]!) for (let c = 0; c < C; c++) predicted[i * C + c] = Math.fround(logits.data[i * C + c]!) > cuts[c]! ? 1 : 0;
  });
  const tuned = scoresOfPredictions(y, predicted, beta);
  const plain = fbetaScores(confusionCounts(y, logits, { beta, from: 'logits', threshold: 0.5 }), { beta });
  const scores = {
    micro: tuned.micro,
    macro: tuned.macro,
    bottomThird: tail.length === 0 ? 0 : tail.reduce((a, c) => a + tuned.f[c]!, 0) / tail.length,
    macroAP: macroAveragePrecision(sorted),
    at05: { micro: plain.micro.f, macro: plain.macro.f, bottomThird: meanF(plain, tail) },
  };
  const resampled = { predicted, sorted };
  if (o.thresholds !== true) return { scores, resampled };
  const { settings, crossFit } = tuning(beta);
  const whole = tuneOnRows(sorted, Int32Array.from({ length: N }, (_, i) => i), settings, crossFit, floor && { micro: floor.reference.whole - floor.drop, weights: floor.weights, maxObjectiveDrop: floor.maxObjectiveDrop });
  return { scores, resampled, thresholds: whole.thresholds, reference: { folds: inFold, whole: whole.micro.f } };
}

/** Per-class and micro F-beta of 0/1 predictions [N·C]. */
function scoresOfPredictions(y: Matrix, predicted: Uint8Array, beta: number): { f: number[]; micro: number; macro: number } {
  const [N, C] = y.shape;
  const tp = new Float64Array(C);
  const fp = new Float64Array(C);
  const fn = new Float64Array(C);
  for (let i = 0; i < N; i++) {
    for (let c = 0; c < C; c++) {
      const k = i * C + c;
      const positive = y.data[k]! >= 0.5;
      if (predicted[k]) (positive ? tp : fp)[c]++;
      else if (positive) fn[c]++;
    }
  }
  const fOf = fbetaOf(beta);
  const f = Array.from({ length: C }, (_, c) => fOf(tp[c]!, fp[c]!, fn[c]!));
  const total = (a: Float64Array) => a.reduce((s, v) => s + v, 0);
  return { f, micro: fOf(total(tp), total(fp), total(fn)), macro: C === 0 ? 0 : f.reduce((a, v) => a + v, 0) / C };
}

/** The value of an objective. */
export function objectiveOf(s: ValidationScores, objective: SearchObjective): number {
  switch (objective) {
    case 'macro':
      return s.macro;
    case 'micro':
      return s.micro;
    case 'bottom-third':
      return s.bottomThird;
    case 'macro-ap':
      return s.macroAP;
  }
}

/** The runs no other run beats on both micro and macro F-beta (validation, cross-fitted), by micro descending. */
export function paretoFront<T extends { readonly validation: ValidationScores }>(runs: readonly T[]): T[] {
  return runs
    .filter((r) => !runs.some((o) => o !== r && o.validation.micro >= r.validation.micro && o.validation.macro >= r.validation.macro && (o.validation.micro > r.validation.micro || o.validation.macro > r.validation.macro)))
    .sort((a, b) => b.validation.micro - a.validation.micro);
}
