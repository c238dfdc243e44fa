import * as tf from '@tensorflow/tfjs-core';
import { AveragePrecisionAccumulator, FBetaAccumulator, averagePrecision, fbetaMetric, type FBetaScores } from '@tfjs-imbalance/fbeta-metric';
import { checkFields, runCase, type CaseResult, type Checker } from '../compare.js';
import { cases } from './losses.js';

type Json = Record<string, unknown>;
type Prf = { precision: number[]; recall: number[]; f: number[] } | { precision: number; recall: number; f: number };

function checkScores(check: Checker, where: string, got: FBetaScores, e: Json, multilabel: boolean): void {
  const per = e['per_class'] as Prf;
  check.close(`${where} precision`, got.precision, per.precision);
  check.close(`${where} recall`, got.recall, per.recall);
  check.close(`${where} f`, got.f, per.f);
  check.close(`${where} support`, got.support, e['support']);
  for (const avg of ['micro', 'macro', 'weighted'] as const) {
    const want = e[avg] as Prf;
    check.close(`${where} ${avg}.precision`, got[avg].precision, want.precision);
    check.close(`${where} ${avg}.recall`, got[avg].recall, want.recall);
    check.close(`${where} ${avg}.f`, got[avg].f, want.f);
  }
  if (multilabel) {
    const s = e['samples'] as Prf;
    check.close(`${where} samples (F)`, got.samples, s.f);
    check.close(`${where} samplesPrecision`, got.samplesPrecision, s.precision);
    check.close(`${where} samplesRecall`, got.samplesRecall, s.recall);
  }
}

/**
 * The `fbeta_weighted` family: scikit-learn's precision, recall and F-beta
 * with `sample_weight` (every average, the samples average's precision and
 * recall too) and a `labels` subset, through `FBetaAccumulator.update(y, p,
 * sampleWeight)` on arrays (the JS route) and tensors (the tensor route,
 * asynchronous reads), and through `fbetaMetric` with the weights packed in
 * a last label column (`sampleWeightColumn`).
 */
export async function runFbetaWeighted(raw: unknown): Promise<CaseResult[]> {
  const out: CaseResult[] = [];
  for (const c of cases('fbeta_weighted', raw)) {
    const name = String(c['name']);
    checkFields(name, c, ['name', 'kind', 'y_true', 'scores', 'threshold', 'sample_weight', 'subset', 'sklearn', 'average_precision']);
    const multilabel = c['kind'] === 'multilabel';
    const y = c['y_true'] as number[] | number[][];
    const scores = c['scores'] as number[][];
    const w = c['sample_weight'] as number[];
    const C = scores[0]!.length;
    const task = multilabel ? ({ threshold: c['threshold'] as number } as const) : ({ task: 'multiclass', numClasses: C } as const);
    out.push(
      await runCase(name, async (check) => {
        const ap = c['average_precision'] as Record<string, number | number[]> | null;
        if (ap !== null) {
          // Average precision with sample weights: the function on arrays, and the accumulator over two batches of tensors.
          const half = Math.floor(scores.length / 2);
          const acc = new AveragePrecisionAccumulator();
          tf.tidy(() => {
            acc.update(tf.tensor2d((y as number[][]).slice(0, half)), tf.tensor2d(scores.slice(0, half)), tf.tensor1d(w.slice(0, half)));
            acc.update(tf.tensor2d((y as number[][]).slice(half)), tf.tensor2d(scores.slice(half)), w.slice(half));
          });
          for (const [where, got] of [['averagePrecision', averagePrecision(y as number[][], scores, w)], ['AveragePrecisionAccumulator', acc.result()]] as const) {
            check.close(`${where} perClass`, got.perClass, ap['per_class']);
            for (const avg of ['micro', 'macro', 'weighted', 'samples'] as const) check.close(`${where} ${avg}`, got[avg], ap[avg]);
          }
        }
        for (const e of c['sklearn'] as Json[]) {
          const beta = e['beta'] as number;
          const zeroDivision = e['zero_division'] as 0 | 1;
          const args = { ...task, beta, zeroDivision, samplesAverage: multilabel };
          const tag = `β ${beta}, zero_division ${zeroDivision}`;
          checkScores(check, `arrays, ${tag}:`, new FBetaAccumulator(args).update(y, scores, w).result(), e, multilabel);
          const [yt, pt, wt] = [tf.tensor(y as number[]), tf.tensor2d(scores), tf.tensor1d(w)];
          try {
            checkScores(check, `tensors, ${tag}:`, (await new FBetaAccumulator(args).updateAsync(yt, pt, wt)).result(), e, multilabel);
            if (zeroDivision !== 0) continue;
            // The compile metric: the weights in a last column of the labels, as packSampleWeights packs them.
            const packed = tf.tidy(() => tf.concat([multilabel ? tf.cast(yt, 'float32') : tf.cast(tf.oneHot(tf.cast(yt, 'int32'), C), 'float32'), tf.reshape(wt, [-1, 1])], 1));
            try {
              for (const average of ['micro', 'macro', 'weighted'] as const) {
                const metric = fbetaMetric({ ...task, beta, average, sampleWeightColumn: true });
                check.close(`fbetaMetric ${average}, ${tag}`, tf.tidy(() => metric(packed, pt).dataSync()[0]), (e[average] as { f: number }).f);
              }
              const subset = fbetaMetric({ ...task, beta, average: 'macro', labels: c['subset'] as number[], sampleWeightColumn: true });
              check.close(`fbetaMetric macro over labels ${JSON.stringify(c['subset'])}, ${tag}`, tf.tidy(() => subset(packed, pt).dataSync()[0]), e['subset_macro_f']);
            } finally {
              packed.dispose();
            }
          } finally {
            tf.dispose([yt, pt, wt]);
          }
        }
      }),
    );
  }
  return out;
}
