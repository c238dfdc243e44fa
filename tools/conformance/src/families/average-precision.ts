import { averagePrecision, labelRankingAveragePrecision } from '@tfjs-imbalance/fbeta-metric';
import { CaseFormatError, checkFields, runCase, type CaseResult } from '../compare.js';

/** The `average_precision` family: scikit-learn's average_precision_score (every average) and label_ranking_average_precision_score. */
export async function runAveragePrecision(raw: unknown): Promise<CaseResult[]> {
  if (!Array.isArray(raw)) throw new CaseFormatError('average_precision: cases must be a list');
  const out: CaseResult[] = [];
  for (const c of raw as Record<string, unknown>[]) {
    const name = String(c['name']);
    checkFields(name, c, ['name', 'y_true', 'scores', 'per_class', 'micro', 'macro', 'weighted', 'samples', 'lrap']);
    const y = c['y_true'] as number[][];
    const s = c['scores'] as number[][];
    out.push(
      await runCase(name, (check) => {
        const ap = averagePrecision(y, s);
        check.close('per_class', ap.perClass, c['per_class']);
        for (const avg of ['micro', 'macro', 'weighted', 'samples'] as const) check.close(avg, ap[avg], c[avg]);
        check.close('lrap', labelRankingAveragePrecision(y, s), c['lrap']);
      }),
    );
  }
  return out;
}
