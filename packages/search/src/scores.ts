import { addConfusionCounts, confusionCounts, fbetaScores, type FBetaScores } from '@tfjs-imbalance/fbeta-metric';
import { macroAveragePrecision, sortedColumns, tuneOnRows, tuneSettings } from '@tfjs-imbalance/fbeta-metric/internal';

/** A [N, C] matrix as a flat row-major array. */
export interface Matrix {
  /** Row-major values. */
  readonly data: Float32Array;
  /** [rows, columns]. */
  readonly shape: [number, number];
}

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

function rowsOf(m: Matrix, rows: Int32Array): Matrix {
  const C = m.shape[1];
  const out = new Float32Array(rows.length * C);
  rows.forEach((i, k) => out.set(m.data.subarray(i * C, (i + 1) * C), k * C));
  return { data: out, shape: [rows.length, C] };
}

/** Macro F-beta over some classes. */
export function meanF(s: FBetaScores, classes: readonly number[]): number {
  return classes.length === 0 ? 0 : classes.reduce((a, c) => a + s.f[c]!, 0) / classes.length;
}

/** tuneThresholds' settings, with its defaults, for `beta` and scores given as logits. */
const tuning = (beta: number) => tuneSettings({ beta, from: 'logits' }).settings;

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
  /**
   * Keep each fold's (and the whole's) micro F-beta within `drop` of plain
   * training's there, where the thresholds can, giving up the least macro
   * F-beta, or of the objective that `weights` (per class, summing to 1) define.
   */
  readonly floor?: { readonly reference: MicroReference; readonly drop: number; readonly weights?: readonly number[] | undefined } | undefined;
}

/**
 * Validation scores with thresholds tuned by 2-fold cross-fitting: tuned on
 * the even rows and scored on the odd ones, and the reverse, the confusion
 * counts summed. Thresholds tuned and scored on the same rows would flatter
 * each run by how much it overfits them; these do not. With `floor`, each
 * fold's thresholds give up the least macro F-beta that keeps micro F-beta
 * within `drop` of plain training's on that fold. With `thresholds`, also
 * the thresholds tuned on all the rows (what `tuneThresholds` returns, with
 * the floor), from the same sorted scores, and this run's
 * {@link MicroReference}.
 */
export function scoreValidation(y: Matrix, logits: Matrix, o: ScoreOptions): { scores: ValidationScores; thresholds?: number[]; reference?: MicroReference } {
  const { beta, tail, floor } = o;
  // Each class's scores are sorted once, for both folds' tuning, the thresholds and the average precision.
  const sorted = sortedColumns(y, logits, 'logits');
  const N = y.shape[0];
  const parity = [0, 1].map((p) => Int32Array.from({ length: Math.ceil((N - p) / 2) }, (_, k) => 2 * k + p));
  const folds = parity.map((rows) => ({ rows, y: rowsOf(y, rows), logits: rowsOf(logits, rows) }));
  const inFold: number[] = [];
  const counts = folds
    .map((fold, k) => {
      const other = folds[1 - k]!;
      const tuned = tuneOnRows(sorted, fold.rows, tuning(beta), true, floor && { micro: floor.reference.folds[k]! - floor.drop, weights: floor.weights });
      inFold.push(tuned.micro.f);
      return confusionCounts(other.y, other.logits, { beta, from: 'logits', threshold: tuned.thresholds });
    })
    .reduce(addConfusionCounts);
  const tuned = fbetaScores(counts, { beta });
  const plain = fbetaScores(confusionCounts(y, logits, { beta, from: 'logits', threshold: 0.5 }), { beta });
  const scores = {
    micro: tuned.micro.f,
    macro: tuned.macro.f,
    bottomThird: meanF(tuned, tail),
    macroAP: macroAveragePrecision(sorted),
    at05: { micro: plain.micro.f, macro: plain.macro.f, bottomThird: meanF(plain, tail) },
  };
  if (o.thresholds !== true) return { scores };
  const whole = tuneOnRows(sorted, Int32Array.from({ length: N }, (_, i) => i), tuning(beta), true, floor && { micro: floor.reference.whole - floor.drop, weights: floor.weights });
  return { scores, thresholds: whole.thresholds, reference: { folds: inFold, whole: whole.micro.f } };
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
