import { InvalidOptionError, ShapeMismatchError } from '@tfjs-imbalance/weight-schemes';
import { checkOptionNames, describe, checkConstraint, checkOneOf } from '@tfjs-imbalance/weight-schemes/internal';
import type { FBetaScores } from './fbeta-scores.js';

/** Options of {@link classificationReport}. */
export interface ClassificationReportOptions {
  /** A name per class. Defaults to the class indices. */
  readonly labels?: readonly string[];
  /** Digits after the decimal point. Defaults to `3`. */
  readonly digits?: number;
  /** Row order: `'support'` (most frequent first, as the reference compares classes) or `'index'`. Defaults to `'support'`. */
  readonly sortBy?: 'support' | 'index';
}

/**
 * A text table like scikit-learn's `classification_report`: precision,
 * recall, F-beta and support per class, sorted by support, then the micro,
 * macro, weighted and samples averages.
 *
 * @param scores - Scores from {@link fbetaScores} or {@link FBetaAccumulator.result}.
 * @param options - See {@link ClassificationReportOptions}.
 * @returns The table, one line per row.
 *
 * @example
 * ```ts
 * console.log(classificationReport(acc.result(), { labels: ['games', 'devel', 'web'] }));
 * //          precision  recall  f0.5-score  support
 * //   devel      0.812   0.700       0.787      120
 * //   ...
 * ```
 */
export function classificationReport(scores: FBetaScores, options: ClassificationReportOptions = {}): string {
  checkOptionNames('options', options, ['labels', 'digits', 'sortBy']);
  const complete = (k: string) => Array.isArray((scores as unknown as Record<string, unknown>)?.[k]);
  if (scores === null || typeof scores !== 'object' || !['f', 'precision', 'recall', 'support'].every(complete) || !scores.micro || !scores.macro) {
    throw new InvalidOptionError('scores', `must be the FBetaScores of fbetaScores() or accumulator.result(), got ${describe(scores)}.`);
  }
  const { digits = 3, sortBy = 'support' } = options;
  const C = scores.f.length;
  const labels = (options.labels ?? Array.from({ length: C }, (_, i) => String(i))) as readonly unknown[];
  if (!Array.isArray(labels) || labels.some((l) => typeof l !== 'string')) {
    throw new InvalidOptionError('options.labels', `must be one string per class, got ${describe(labels)}; convert numeric labels with String().`);
  }
  if (labels.length !== C) {
    throw new ShapeMismatchError(
      'options.labels',
      `has ${labels.length} names but the scores have ${C} classes; pass one name per class.`,
    );
  }
  checkConstraint('options.digits', digits, { whole: { min: 0, max: 10 } });
  checkOneOf('options.sortBy', sortBy, ['support', 'index']);
  const order = labels.map((_, i) => i);
  if (sortBy === 'support') order.sort((a, b) => scores.support[b]! - scores.support[a]! || a - b);
  const fName = `f${Number(scores.beta.toFixed(3))}-score`;
  const head = ['', 'precision', 'recall', fName, 'support'];
  const fmt = (x: number | undefined) => (x === undefined ? '' : Number.isNaN(x) ? 'nan' : x.toFixed(digits));
  const total = scores.support.reduce((a, b) => a + b, 0);
  const rows: string[][] = order.map((i) => [
    labels[i]!,
    fmt(scores.precision[i]),
    fmt(scores.recall[i]),
    fmt(scores.f[i]),
    String(scores.support[i]),
  ]);
  const avg = (name: string, s: { precision: number; recall: number; f: number }) => [
    name,
    fmt(s.precision),
    fmt(s.recall),
    fmt(s.f),
    String(total),
  ];
  const tail = [avg('micro avg', scores.micro), avg('macro avg', scores.macro), avg('weighted avg', scores.weighted)];
  if (scores.samples !== undefined) tail.push(['samples avg', '', '', fmt(scores.samples), String(total)]);
  const all = [head, ...rows, ...tail];
  const widths = head.map((_, k) => Math.max(...all.map((r) => r[k]!.length)));
  const line = (r: string[]) => r.map((cell, k) => (k === 0 ? cell.padStart(widths[0]!) : cell.padStart(widths[k]!))).join('  ');
  return [line(head), '', ...rows.map(line), '', ...tail.map(line)].join('\n');
}
