import type * as tf from '@tensorflow/tfjs-core';
import { EmptyInputError, ShapeMismatchError, toDenseMatrix, type LabelMatrix } from '@tfjs-imbalance/weight-schemes';
import { descendingOrder } from './descending-order.js';
import type { SortedColumns } from './tune-thresholds.js';
import type { BatchInput } from './batch-statistics.js';
import { readSampleWeights, rowWeights, sampleCount, type SampleWeightInput } from './sample-weights.js';

/** Average precision, per class and every average of scikit-learn's `average_precision_score`. */
export interface AveragePrecisionScores {
  /** Each class's AP (0 for a class with no positive, as scikit-learn, which warns). */
  readonly perClass: number[];
  /** AP of all (sample, class) cells pooled. */
  readonly micro: number;
  /** The mean of the per-class APs. */
  readonly macro: number;
  /** The per-class APs weighted by each class's number of positives. */
  readonly weighted: number;
  /** The mean over samples of each sample's AP across its classes. */
  readonly samples: number;
  /** Each class's number of positives (with sample weights, their summed weights). */
  readonly support: number[];
}

/**
 * The step-wise average precision of one ranking, as scikit-learn: the sum
 * over the distinct score thresholds, from the highest down, of
 * (R_n − R_{n−1})·P_n, tied scores forming one threshold. 0 when there is no
 * positive (recall is then 1 at every threshold).
 */
function binaryAp(labels: ArrayLike<number>, scores: ArrayLike<number>, idx: Int32Array, weights?: ArrayLike<number>): number {
  let positives = 0;
  for (const i of idx) positives += labels[i]! >= 0.5 ? (weights === undefined ? 1 : weights[i]!) : 0;
  return positives === 0 ? 0 : apOfOrder(labels, scores, descendingOrder(scores, idx), positives, weights);
}

/**
 * {@link binaryAp} of rows already in descending-score order, with `positives` of them positive; with
 * `weights`, each row counts its weight times (a bootstrap resample), and `positives` is their weighted sum.
 */
function apOfOrder(labels: ArrayLike<number>, scores: ArrayLike<number>, order: Int32Array, positives: number, weights?: ArrayLike<number>): number {
  let tp = 0;
  let fp = 0;
  let ap = 0;
  let lastRecall = 0;
  for (let k = 0; k < order.length; ) {
    const v = scores[order[k]!]!;
    while (k < order.length && scores[order[k]!]! === v) {
      const i = order[k]!;
      const w = weights === undefined ? 1 : weights[i]!;
      if (labels[i]! >= 0.5) tp += w;
      else fp += w;
      k++;
    }
    if (tp + fp === 0) continue;
    const recall = tp / positives;
    ap += (recall - lastRecall) * (tp / (tp + fp));
    lastRecall = recall;
  }
  return ap;
}

/**
 * The macro average precision of columns already sorted by
 * {@link sortedColumns} (scores in float32): `averagePrecision(...).macro`
 * without sorting again, and without the micro and samples averages. With
 * `weights`, row i counts weights[i] times (a bootstrap resample). @internal
 */
export function macroAveragePrecision(sorted: SortedColumns, weights?: ArrayLike<number>): number {
  const { columns } = sorted;
  if (columns.length === 0) return 0;
  let total = 0;
  for (const col of columns) {
    let positives = 0;
    if (weights === undefined) for (const p of col.positive) positives += p;
    else col.positive.forEach((p, i) => (positives += p * weights[i]!));
    total += positives === 0 ? 0 : apOfOrder(col.positive, col.scores, col.order, positives, weights);
  }
  return total / columns.length;
}

/** Reads and checks yTrue and scores of an average precision. @internal */
export function inputs(yTrue: LabelMatrix | tf.Tensor, scores: LabelMatrix | tf.Tensor) {
  const y = toDenseMatrix('yTrue', yTrue as LabelMatrix, { values: 'probabilities' });
  const s = toDenseMatrix('scores', scores as LabelMatrix, { values: 'finite' });
  if (y.rows !== s.rows || y.cols !== s.cols) {
    throw new ShapeMismatchError('scores', `has shape [${s.rows}, ${s.cols}] but yTrue has shape [${y.rows}, ${y.cols}]; they must match.`);
  }
  if (y.rows === 0) throw new EmptyInputError('yTrue', 'has no rows; pass at least one labelled row.');
  return { y, s };
}

/**
 * Average precision (the area under the precision-recall curve, step-wise),
 * exactly as scikit-learn's `average_precision_score`: per class, and micro,
 * macro, weighted and samples averages. It needs no threshold, which makes it
 * the usual score of the long-tail papers (their "mAP" is the macro average).
 * Scores may be probabilities or logits: only their order matters.
 *
 * With `sampleWeight` (one weight per sample, or per position of
 * per-position outputs), as scikit-learn's `sample_weight`: each row's cells
 * count its weight in the per-class and micro curves, `support` is the
 * weighted count of positives (the weighted average's weights), and the
 * samples average is the weighted mean of the rows' APs.
 *
 * @param yTrue - Multi-hot labels [N, C] (arrays or a tensor), or [N, ..., C] per position.
 * @param scores - Scores of the same shape.
 * @param sampleWeight - Optional weights ≥ 0: one per sample ([N]), or one per position.
 * @returns Every average.
 *
 * @example
 * ```ts
 * averagePrecision([[1, 0], [0, 1], [1, 1]], [[0.9, 0.2], [0.4, 0.7], [0.6, 0.1]]).macro; // (1 + 0.833) / 2 = 0.917
 * ```
 */
export function averagePrecision(yTrue: LabelMatrix | tf.Tensor, scores: LabelMatrix | tf.Tensor, sampleWeight?: SampleWeightInput): AveragePrecisionScores {
  const { y, s } = inputs(yTrue, scores);
  const N = y.rows;
  const C = y.cols;
  const read = readSampleWeights(sampleWeight, true);
  const w = read === undefined ? undefined : rowWeights(read, sampleCount(yTrue as BatchInput), N, `yTrue [${N}, ${C}]`);
  // Each cell weighs its row's weight.
  const cells = w === undefined ? undefined : Float64Array.from({ length: N * C }, (_, i) => w[Math.floor(i / C)]!);
  const column = (c: number) => Int32Array.from({ length: N }, (_, i) => i * C + c);
  const perClass = Array.from({ length: C }, (_, c) => binaryAp(y.data, s.data, column(c), cells));
  const support = Array.from({ length: C }, (_, c) => {
    let n = 0;
    for (let i = 0; i < N; i++) n += (y.data[i * C + c] as number) >= 0.5 ? (w === undefined ? 1 : w[i]!) : 0;
    return n;
  });
  const all = Int32Array.from({ length: N * C }, (_, i) => i);
  const total = support.reduce((a, b) => a + b, 0);
  let samples = 0;
  for (let i = 0; i < N; i++) samples += (w === undefined ? 1 : w[i]!) * binaryAp(y.data, s.data, Int32Array.from({ length: C }, (_, c) => i * C + c));
  const weightSum = w === undefined ? N : w.reduce((a, b) => a + b, 0);
  return {
    perClass,
    micro: binaryAp(y.data, s.data, all, cells),
    macro: perClass.reduce((a, b) => a + b, 0) / C,
    weighted: total === 0 ? 0 : perClass.reduce((a, ap, c) => a + ap * support[c]!, 0) / total,
    samples: weightSum === 0 ? 0 : samples / weightSum,
    support,
  };
}

/**
 * Label-ranking average precision, as scikit-learn's
 * `label_ranking_average_precision_score`: for each sample and each of its
 * positive labels, the fraction of the labels ranked at or above it that are
 * positive, averaged over the sample's positives, then over samples. A sample
 * with no positive label, or with only positive labels, scores 1.
 *
 * @param yTrue - Multi-hot labels [N, C].
 * @param scores - Scores [N, C].
 * @returns The score in [0, 1].
 *
 * @example
 * ```ts
 * labelRankingAveragePrecision([[1, 0, 0], [0, 0, 1]], [[0.75, 0.5, 1], [1, 0.2, 0.1]]); // 0.4167
 * ```
 */
export function labelRankingAveragePrecision(yTrue: LabelMatrix | tf.Tensor, scores: LabelMatrix | tf.Tensor): number {
  const { y, s } = inputs(yTrue, scores);
  const C = y.cols;
  let sum = 0;
  for (let i = 0; i < y.rows; i++) {
    const pos: number[] = [];
    for (let c = 0; c < C; c++) if ((y.data[i * C + c] as number) >= 0.5) pos.push(c);
    if (pos.length === 0 || pos.length === C) {
      sum += 1;
      continue;
    }
    let row = 0;
    for (const j of pos) {
      const sj = s.data[i * C + j] as number;
      let rank = 0;
      let posRank = 0;
      for (let c = 0; c < C; c++) {
        if ((s.data[i * C + c] as number) >= sj) {
          rank++;
          if ((y.data[i * C + c] as number) >= 0.5) posRank++;
        }
      }
      row += posRank / rank;
    }
    sum += row / pos.length;
  }
  return sum / y.rows;
}
