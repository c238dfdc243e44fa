import { InvalidOptionError, ShapeMismatchError } from '@tfjs-imbalance/weight-schemes';
import { checkOptionNames, describe } from '@tfjs-imbalance/weight-schemes/internal';

/** What {@link compareScores} reads of a score set: per-class F-beta, precision, recall and support, as {@link fbetaScores} returns them. */
export interface PerClassScores {
  /** F-beta per class. */
  readonly f: readonly number[];
  /** Precision per class. */
  readonly precision: readonly number[];
  /** Recall per class. */
  readonly recall: readonly number[];
  /** Support (true positives + false negatives) per class. */
  readonly support: readonly number[];
}

/** The metrics a comparison covers. */
export type ComparedMetric = 'f' | 'precision' | 'recall';

/** One class of a {@link ScoreComparison}. */
export interface ClassComparison {
  /** The class's label. */
  readonly label: string;
  /** The class's support (true positives + false negatives) in the baseline's data. */
  readonly support: number;
  /** The baseline's F-beta, precision and recall for the class. */
  readonly baseline: Readonly<Record<ComparedMetric, number>>;
  /** The candidate's. */
  readonly candidate: Readonly<Record<ComparedMetric, number>>;
  /** candidate − baseline. */
  readonly delta: Readonly<Record<ComparedMetric, number>>;
  /** (candidate − baseline) / baseline · 100; `null` where the baseline is 0 and the candidate is not (no finite change). */
  readonly percent: Readonly<Record<ComparedMetric, number | null>>;
}

/** One row of {@link ScoreComparison.values}: the long format that vega-lite's `data.values` and tfjs-vis read. */
export interface ComparisonValue {
  /** The class's label. */
  readonly label: string;
  /** The class's support in the baseline's data. */
  readonly support: number;
  /** Which metric this row is about. */
  readonly metric: ComparedMetric;
  /** The baseline's value. */
  readonly baseline: number;
  /** The candidate's value. */
  readonly candidate: number;
  /** candidate − baseline. */
  readonly delta: number;
  /** The change in %, or `null` where the baseline is 0 and the candidate is not. */
  readonly percent: number | null;
}

/** How many classes a metric moved. */
export interface ChangeCount {
  /** Classes whose value rose by more than the threshold. */
  readonly better: number;
  /** Classes whose value fell by more than the threshold. */
  readonly worse: number;
}

/** The outcome of {@link compareScores}. */
export interface ScoreComparison {
  /** One entry per class, the most frequent (by baseline support) first. */
  readonly classes: readonly ClassComparison[];
  /** The labels in that order (for a chart's x-axis). */
  readonly order: readonly string[];
  /** Every class × metric as a flat list, in that order. */
  readonly values: readonly ComparisonValue[];
  /** How many classes each metric moved up or down by more than `threshold`. */
  readonly summary: Readonly<Record<ComparedMetric, ChangeCount>>;
}

/** Options of {@link compareScores}. */
export interface CompareScoresOptions {
  /** One label per class. Defaults to the class indices as strings. */
  readonly labels?: readonly string[];
  /** The change that counts in {@link ScoreComparison.summary}. Defaults to `0.01`. */
  readonly threshold?: number;
}

const METRICS: readonly ComparedMetric[] = ['f', 'precision', 'recall'];

function checkScores(argument: string, s: PerClassScores): number {
  if (s === null || typeof s !== 'object' || !METRICS.every((m) => Array.isArray(s[m])) || !Array.isArray(s.support)) {
    throw new InvalidOptionError(argument, `must be per-class scores { f, precision, recall, support } as fbetaScores() returns, got ${describe(s)}.`);
  }
  const C = s.f.length;
  for (const m of [...METRICS, 'support'] as const) {
    if (s[m].length !== C) throw new ShapeMismatchError(`${argument}.${m}`, `has ${s[m].length} values but ${argument}.f has ${C}; pass one per class.`);
  }
  return C;
}

/**
 * Compares two models class by class, as the write-up's figure does: per
 * class, the change in F-beta, precision and recall from `baseline` to
 * `candidate`, the most frequent classes first. The result is plain data:
 * `values` goes straight into a vega-lite spec's `data.values` (see the
 * example) or, filtered to one metric, into tfjs-vis `render.barchart`.
 *
 * @param baseline - The reference model's scores (say, plain training), as {@link fbetaScores} returns them.
 * @param candidate - The other model's scores on the same data and classes.
 * @param options - See {@link CompareScoresOptions}.
 * @returns The per-class comparison.
 *
 * @example A vega-lite bar chart of the F0.5 change per class
 * ```ts
 * const cmp = compareScores(plainScores, reweightedScores, { labels: tagNames });
 * const spec = {
 *   data: { values: cmp.values.filter((v) => v.metric === 'f') },
 *   mark: 'bar',
 *   encoding: { x: { field: 'label', sort: cmp.order }, y: { field: 'delta', type: 'quantitative' } },
 * };
 * ```
 *
 * @example tfjs-vis
 * ```ts
 * tfvis.render.barchart(container, cmp.values.filter((v) => v.metric === 'recall').map((v) => ({ index: v.label, value: v.delta })));
 * ```
 */
export function compareScores(baseline: PerClassScores, candidate: PerClassScores, options: CompareScoresOptions = {}): ScoreComparison {
  checkOptionNames('options', options, ['labels', 'threshold']);
  const C = checkScores('baseline', baseline);
  const Cc = checkScores('candidate', candidate);
  if (Cc !== C) throw new ShapeMismatchError('candidate', `has ${Cc} classes but baseline has ${C}; compare scores over the same classes.`);
  const labels = options.labels ?? Array.from({ length: C }, (_, i) => String(i));
  if (!Array.isArray(labels) || labels.length !== C || !labels.every((l) => typeof l === 'string')) {
    throw new InvalidOptionError('options.labels', `must be one string per class (${C}), got ${describe(labels)}.`);
  }
  const threshold = options.threshold ?? 0.01;
  if (typeof threshold !== 'number' || !(threshold >= 0)) throw new InvalidOptionError('options.threshold', `must be a number ≥ 0, got ${describe(threshold)}.`);
  const per = (s: PerClassScores, i: number) => ({ f: s.f[i]!, precision: s.precision[i]!, recall: s.recall[i]! });
  const pct = (b: number, c: number) => (b === 0 ? (c === 0 ? 0 : null) : ((c - b) / b) * 100);
  const classes = labels
    .map((label, i): ClassComparison => {
      const b = per(baseline, i);
      const c = per(candidate, i);
      return {
        label,
        support: baseline.support[i]!,
        baseline: b,
        candidate: c,
        delta: { f: c.f - b.f, precision: c.precision - b.precision, recall: c.recall - b.recall },
        percent: { f: pct(b.f, c.f), precision: pct(b.precision, c.precision), recall: pct(b.recall, c.recall) },
      };
    })
    .sort((a, b) => b.support - a.support);
  const values = classes.flatMap((k) =>
    METRICS.map((metric) => ({
      label: k.label,
      support: k.support,
      metric,
      baseline: k.baseline[metric],
      candidate: k.candidate[metric],
      delta: k.delta[metric],
      percent: k.percent[metric],
    })),
  );
  const count = (m: ComparedMetric) => ({
    better: classes.filter((k) => k.delta[m] > threshold).length,
    worse: classes.filter((k) => k.delta[m] < -threshold).length,
  });
  return { classes, order: classes.map((k) => k.label), values, summary: { f: count('f'), precision: count('precision'), recall: count('recall') } };
}
