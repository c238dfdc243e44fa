import {
  addConfusionCounts,
  averagePrecision,
  confusionCounts,
  fbetaScores,
  tuneThresholds,
  type FBetaScores,
} from '@tfjs-imbalance/fbeta-metric';

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

function rowsOf(m: Matrix, keep: (i: number) => boolean): Matrix {
  const [N, C] = m.shape;
  const idx: number[] = [];
  for (let i = 0; i < N; i++) if (keep(i)) idx.push(i);
  const out = new Float32Array(idx.length * C);
  idx.forEach((i, k) => out.set(m.data.subarray(i * C, (i + 1) * C), k * C));
  return { data: out, shape: [idx.length, C] };
}

/** Macro F-beta over some classes. */
export function meanF(s: FBetaScores, classes: readonly number[]): number {
  return classes.length === 0 ? 0 : classes.reduce((a, c) => a + s.f[c]!, 0) / classes.length;
}

/**
 * Validation scores with thresholds tuned by 2-fold cross-fitting: tuned on
 * the even rows and scored on the odd ones, and the reverse, the confusion
 * counts summed. Thresholds tuned and scored on the same rows would flatter
 * each run by how much it overfits them; these do not.
 */
export function scoreValidation(y: Matrix, logits: Matrix, beta: number, tail: readonly number[]): ValidationScores {
  const folds = [(i: number) => i % 2 === 0, (i: number) => i % 2 === 1].map((keep) => ({ y: rowsOf(y, keep), logits: rowsOf(logits, keep) }));
  const counts = folds
    .map((fold, k) => {
      const other = folds[1 - k]!;
      const { thresholds } = tuneThresholds(fold.y, fold.logits, { beta, from: 'logits' });
      return confusionCounts(other.y, other.logits, { beta, from: 'logits', threshold: thresholds });
    })
    .reduce(addConfusionCounts);
  const tuned = fbetaScores(counts, { beta });
  const plain = fbetaScores(confusionCounts(y, logits, { beta, from: 'logits', threshold: 0.5 }), { beta });
  return {
    micro: tuned.micro.f,
    macro: tuned.macro.f,
    bottomThird: meanF(tuned, tail),
    macroAP: averagePrecision(y, logits).macro,
    at05: { micro: plain.micro.f, macro: plain.macro.f, bottomThird: meanF(plain, tail) },
  };
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
