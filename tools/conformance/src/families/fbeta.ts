import { FBetaAccumulator, confusionCounts, type FBetaAccumulatorArgs, type FBetaScores } from '@tfjs-imbalance/fbeta-metric';
import { CaseFormatError, checkFields, runCase, type CaseResult, type Checker } from '../compare.js';

type Json = Record<string, unknown>;

const SKLEARN_ENTRY = ['beta', 'zero_division', 'none', 'micro', 'macro', 'weighted', 'samples', 'precision', 'recall', 'support'];
const TORCHMETRICS = ['micro', 'macro', 'weighted', 'none'];

/** Feeds the rows in two batches, so every case also checks streaming accumulation. */
function accumulate(args: FBetaAccumulatorArgs, yTrue: unknown[], yPred: unknown[]): FBetaAccumulator {
  const acc = new FBetaAccumulator(args);
  const half = Math.ceil(yTrue.length / 2);
  acc.update(yTrue.slice(0, half) as number[][], yPred.slice(0, half) as number[][]);
  if (half < yTrue.length) acc.update(yTrue.slice(half) as number[][], yPred.slice(half) as number[][]);
  return acc;
}

function checkEntry(check: Checker, where: string, entry: Json, scores: FBetaScores): void {
  check.close(`${where}.none`, scores.f, entry['none']);
  check.close(`${where}.micro`, scores.micro.f, entry['micro']);
  check.close(`${where}.macro`, scores.macro.f, entry['macro']);
  check.close(`${where}.weighted`, scores.weighted.f, entry['weighted']);
  if ('samples' in entry) check.close(`${where}.samples`, scores.samples, entry['samples']);
  check.close(`${where}.precision`, scores.precision, entry['precision']);
  check.close(`${where}.recall`, scores.recall, entry['recall']);
  check.exact(`${where}.support`, scores.support, entry['support']);
}

/** Runs the `fbeta` family against scikit-learn and torchmetrics. */
export async function runFbeta(cases: unknown): Promise<CaseResult[]> {
  if (!Array.isArray(cases)) throw new CaseFormatError('fbeta: cases must be a list');
  const out: CaseResult[] = [];
  for (const c of cases as Json[]) {
    const name = String(c['name']);
    const multilabel = c['kind'] === 'multilabel';
    if (multilabel) {
      checkFields(name, c, ['name', 'kind', 'y_true', 'probs', 'threshold', 'y_pred', 'sklearn', 'torchmetrics_beta0.5']);
    } else if (c['kind'] === 'multiclass') {
      checkFields(name, c, ['name', 'kind', 'num_classes', 'y_true', 'y_pred', 'sklearn']);
    } else {
      throw new CaseFormatError(`${name}: unknown kind ${String(c['kind'])}`);
    }
    for (const e of c['sklearn'] as Json[]) {
      checkFields(`${name}.sklearn`, e, SKLEARN_ENTRY, SKLEARN_ENTRY.filter((k) => multilabel || k !== 'samples'));
    }
    const yTrue = c['y_true'] as unknown[];
    // Multi-label cases go through our thresholding of the probabilities; multi-class through class indices.
    const yPred = (multilabel ? c['probs'] : c['y_pred']) as unknown[];
    const base: FBetaAccumulatorArgs = multilabel
      ? { threshold: c['threshold'] as number, samplesAverage: true }
      : { task: 'multiclass', numClasses: c['num_classes'] as number };
    out.push(
      await runCase(name, (check) => {
        if (multilabel) {
          // Our thresholding (strictly greater) must give the reference's binary predictions.
          const ours = confusionCounts(yTrue as number[][], yPred as number[][], base);
          const ref = confusionCounts(yTrue as number[][], c['y_pred'] as number[][], { threshold: 0.5 });
          check.exact('y_pred (as tp)', ours.tp, ref.tp);
          check.exact('y_pred (as fp)', ours.fp, ref.fp);
          check.exact('y_pred (as fn)', ours.fn, ref.fn);
        }
        for (const entry of c['sklearn'] as Json[]) {
          const beta = entry['beta'] as number;
          const zd = entry['zero_division'];
          if (zd !== 0 && zd !== 1) throw new CaseFormatError(`${name}: zero_division ${String(zd)} is not 0 or 1`);
          const where = `sklearn[beta=${beta},zd=${zd}]`;
          const acc = check.attempt(where, () => accumulate({ ...base, beta }, yTrue, yPred));
          if (acc) checkEntry(check, where, entry, acc.result({ zeroDivision: zd }));
        }
        if (multilabel) {
          const tm = c['torchmetrics_beta0.5'] as Json;
          checkFields(`${name}.torchmetrics`, tm, TORCHMETRICS);
          const s = accumulate({ ...base, beta: 0.5 }, yTrue, yPred).result({ zeroDivision: 0 });
          check.close('torchmetrics.micro', s.micro.f, tm['micro']);
          check.close('torchmetrics.macro', s.macro.f, tm['macro']);
          check.close('torchmetrics.weighted', s.weighted.f, tm['weighted']);
          check.close('torchmetrics.none', s.f, tm['none']);
        }
      }),
    );
  }
  return out;
}
