import * as tf from '@tensorflow/tfjs-core';
import { Callback } from '@tensorflow/tfjs-layers';
import { EmptyInputError, InvalidOptionError, ShapeMismatchError, toDenseMatrix, type LabelMatrix } from '@tfjs-imbalance/weight-schemes';
import { checkBoundedDataset, checkCompiledMetrics, checkOptionNames, describe, declareDirection } from '@tfjs-imbalance/weight-schemes/internal';
import { forEachValidationBatch, setLog } from './batch-statistics.js';
import { descendingOrder } from './descending-order.js';
import type { ValidationData, ValidationDataset } from './fbeta-callback.js';
import type { SortedColumns } from './tune-thresholds.js';

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
  /** Each class's number of positives. */
  readonly support: number[];
}

/**
 * The step-wise average precision of one ranking, as scikit-learn: the sum
 * over the distinct score thresholds, from the highest down, of
 * (R_n − R_{n−1})·P_n, tied scores forming one threshold. 0 when there is no
 * positive (recall is then 1 at every threshold).
 */
function binaryAp(labels: ArrayLike<number>, scores: ArrayLike<number>, idx: Int32Array): number {
  let positives = 0;
  for (const i of idx) positives += labels[i]! >= 0.5 ? 1 : 0;
  return positives === 0 ? 0 : apOfOrder(labels, scores, descendingOrder(scores, idx), positives);
}

/** {@link binaryAp} of rows already in descending-score order, with `positives` of them positive. */
function apOfOrder(labels: ArrayLike<number>, scores: ArrayLike<number>, order: Int32Array, positives: number): number {
  let tp = 0;
  let fp = 0;
  let ap = 0;
  let lastRecall = 0;
  for (let k = 0; k < order.length; ) {
    const v = scores[order[k]!]!;
    while (k < order.length && scores[order[k]!]! === v) {
      if (labels[order[k]!]! >= 0.5) tp++;
      else fp++;
      k++;
    }
    const recall = tp / positives;
    ap += (recall - lastRecall) * (tp / (tp + fp));
    lastRecall = recall;
  }
  return ap;
}

/**
 * The macro average precision of columns already sorted by
 * {@link sortedColumns} (scores in float32): `averagePrecision(...).macro`
 * without sorting again, and without the micro and samples averages. @internal
 */
export function macroAveragePrecision(sorted: SortedColumns): number {
  const { columns } = sorted;
  if (columns.length === 0) return 0;
  let total = 0;
  for (const col of columns) {
    let positives = 0;
    for (const p of col.positive) positives += p;
    total += positives === 0 ? 0 : apOfOrder(col.positive, col.scores, col.order, positives);
  }
  return total / columns.length;
}

function inputs(yTrue: LabelMatrix | tf.Tensor, scores: LabelMatrix | tf.Tensor) {
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
 * @param yTrue - Multi-hot labels [N, C] (arrays or a tensor).
 * @param scores - Scores [N, C].
 * @returns Every average.
 *
 * @example
 * ```ts
 * averagePrecision([[1, 0], [0, 1], [1, 1]], [[0.9, 0.2], [0.4, 0.7], [0.6, 0.1]]).macro; // (1 + 0.833) / 2 = 0.917
 * ```
 */
export function averagePrecision(yTrue: LabelMatrix | tf.Tensor, scores: LabelMatrix | tf.Tensor): AveragePrecisionScores {
  const { y, s } = inputs(yTrue, scores);
  const N = y.rows;
  const C = y.cols;
  const column = (c: number) => Int32Array.from({ length: N }, (_, i) => i * C + c);
  const perClass = Array.from({ length: C }, (_, c) => binaryAp(y.data, s.data, column(c)));
  const support = Array.from({ length: C }, (_, c) => {
    let n = 0;
    for (let i = 0; i < N; i++) n += (y.data[i * C + c] as number) >= 0.5 ? 1 : 0;
    return n;
  });
  const all = Int32Array.from({ length: N * C }, (_, i) => i);
  const total = support.reduce((a, b) => a + b, 0);
  let samples = 0;
  for (let i = 0; i < N; i++) samples += binaryAp(y.data, s.data, Int32Array.from({ length: C }, (_, c) => i * C + c));
  return {
    perClass,
    micro: binaryAp(y.data, s.data, all),
    macro: perClass.reduce((a, b) => a + b, 0) / C,
    weighted: total === 0 ? 0 : perClass.reduce((a, ap, c) => a + ap * support[c]!, 0) / total,
    samples: samples / N,
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

/**
 * A streaming average precision: {@link AveragePrecisionAccumulator.update}
 * it batch by batch, read every average with
 * {@link AveragePrecisionAccumulator.result}. The exact AP needs the whole
 * ranking of each class, so it keeps each batch's labels and scores (N × C
 * numbers in float32, 8 bytes per cell); it holds no tensor.
 *
 * @example mAP over a validation set, batch by batch
 * ```ts
 * const acc = new AveragePrecisionAccumulator();
 * acc.update([[1, 0]], [[0.9, 0.3]]);
 * acc.update([[0, 1]], [[0.2, 0.8]]);
 * acc.result().macro; // 1
 * ```
 */
export class AveragePrecisionAccumulator {
  private readonly labels: Float32Array[] = [];
  private readonly scores: Float32Array[] = [];
  private cols = -1;
  private rows = 0;

  /**
   * Adds one batch.
   *
   * @param yTrue - Multi-hot labels [N, C] (arrays or a tensor).
   * @param scores - Scores [N, C], probabilities or logits.
   * @returns The accumulator, for chaining.
   */
  update(yTrue: LabelMatrix | tf.Tensor, scores: LabelMatrix | tf.Tensor): this {
    const { y, s } = inputs(yTrue, scores);
    if (this.cols >= 0 && y.cols !== this.cols) {
      throw new ShapeMismatchError('yTrue', `has ${y.cols} classes (shape [${y.rows}, ${y.cols}]) but earlier batches had ${this.cols}; use one class order.`);
    }
    this.cols = y.cols;
    this.rows += y.rows;
    this.labels.push(Float32Array.from(y.data as ArrayLike<number>));
    this.scores.push(Float32Array.from(s.data as ArrayLike<number>));
    return this;
  }

  /**
   * @returns Every average precision over the batches added so far.
   */
  result(): AveragePrecisionScores {
    if (this.rows === 0) throw new EmptyInputError('accumulator', 'no batch was added yet; call update(yTrue, scores) first.');
    const join = (parts: Float32Array[]) => {
      const out = new Float32Array(this.rows * this.cols);
      let at = 0;
      for (const p of parts) {
        out.set(p, at);
        at += p.length;
      }
      return { data: out, shape: [this.rows, this.cols] as [number, number] };
    };
    return averagePrecision(join(this.labels), join(this.scores));
  }

  /** Forgets every batch. */
  reset(): void {
    this.labels.length = 0;
    this.scores.length = 0;
    this.cols = -1;
    this.rows = 0;
  }
}

/** Which average {@link MapCallback} logs. */
export type ApAverage = 'micro' | 'macro' | 'weighted' | 'samples';

/** Arguments of {@link MapCallback}. */
export interface MapCallbackArgs {
  /** The data to score at the end of every epoch: `[x, y]` tensors or a dataset of `{ xs, ys }` batches. Required. */
  readonly validationData: ValidationData;
  /** The average logged. Defaults to `'macro'` (the papers' mAP). */
  readonly average?: ApAverage;
  /** The log key. Defaults to `'val_map'`. */
  readonly logName?: string;
  /** The batch size of `model.predict` on `[x, y]` data. Defaults to `256`. */
  readonly batchSize?: number;
}

/**
 * An epoch-end callback that scores the validation data with exact average
 * precision and writes it into the epoch logs as `val_map` (by default the
 * macro average, the mAP of the long-tail papers), for early stopping and
 * model selection without a threshold. It holds the validation scores of one
 * epoch (N × C numbers), since the exact AP needs the whole ranking.
 *
 * @example
 * ```ts
 * await model.fit(x, y, {
 *   epochs: 30,
 *   callbacks: [mapCallback({ validationData: [xVal, yVal] }), tf.callbacks.earlyStopping({ monitor: 'val_map', mode: 'max' })],
 * });
 * ```
 */
export class MapCallback extends Callback {
  private readonly data: ValidationData;
  private readonly average: ApAverage;
  private readonly logName: string;
  private readonly batchSize: number;
  /** The scores of the last evaluation. */
  lastScores: AveragePrecisionScores | undefined;

  /**
   * @param args - See {@link MapCallbackArgs}.
   */
  constructor(args: MapCallbackArgs) {
    super();
    if (args === null || typeof args !== 'object') {
      throw new InvalidOptionError('args', `expected { validationData }, got ${describe(args)}.`);
    }
    checkOptionNames('args', args, ['validationData', 'average', 'logName', 'batchSize']);
    const d = args.validationData as unknown;
    const isPair = Array.isArray(d) && d.length === 2;
    const isDataset = d !== null && typeof d === 'object' && typeof (d as ValidationDataset).iterator === 'function';
    if (!isPair && !isDataset) {
      throw new InvalidOptionError('args.validationData', `is required: [xVal, yVal] tensors or a dataset of { xs, ys } batches, got ${describe(d)}.`);
    }
    checkBoundedDataset('args.validationData', d, 'the callback', 'Pass the validation dataset without .repeat(), or .take(n) batches of it.');
    const average = args.average ?? 'macro';
    if (!['micro', 'macro', 'weighted', 'samples'].includes(average)) {
      throw new InvalidOptionError('args.average', `must be 'micro', 'macro', 'weighted' or 'samples', got ${describe(average)}.`);
    }
    const logName = args.logName ?? 'val_map';
    if (typeof logName !== 'string' || logName.length === 0) {
      throw new InvalidOptionError('args.logName', `must be a non-empty string such as 'val_map', got ${describe(logName)}.`);
    }
    const batchSize = args.batchSize ?? 256;
    if (!Number.isInteger(batchSize) || batchSize < 1) {
      throw new InvalidOptionError('args.batchSize', `must be a whole number ≥ 1, got ${describe(batchSize)}.`);
    }
    this.data = args.validationData;
    this.average = average;
    this.logName = logName;
    declareDirection(logName, 'max'); // average precision: larger is better, whatever the key is called
    this.batchSize = batchSize;
  }

  /** Checks the model's F-beta compile metrics against its last layer (their `from`). Called by tfjs. */
  override async onTrainBegin(): Promise<void> {
    checkCompiledMetrics(this.model);
  }

  /** Scores the validation data and writes the average into the logs. Called by tfjs. */
  override async onEpochEnd(_epoch: number, logs?: Record<string, number>): Promise<void> {
    const scores = await this.evaluate();
    this.lastScores = scores;
    if (logs !== undefined) setLog(logs, this.logName, scores[this.average]);
  }

  /**
   * Scores the validation data with the current model, outside of `fit`.
   *
   * @returns Every average precision.
   */
  async evaluate(): Promise<AveragePrecisionScores> {
    const acc = new AveragePrecisionAccumulator();
    // Read asynchronously (no blocking read on WebGL and WebGPU); other ranks go to update, which names the problem.
    await forEachValidationBatch(this.model, this.data, this.batchSize, 'MapCallback', async (y, p) => {
      if (y.rank !== 2 || p.rank !== 2) return acc.update(y, p);
      const [yd, pd] = await Promise.all([y.data(), p.data()]);
      return acc.update({ data: yd, shape: y.shape as [number, number] }, { data: pd, shape: p.shape as [number, number] });
    });
    return acc.result();
  }
}

/**
 * Creates a {@link MapCallback}.
 *
 * @param args - See {@link MapCallbackArgs}.
 * @returns The callback.
 *
 * @example
 * ```ts
 * const cb = mapCallback({ validationData: [xVal, yVal], average: 'micro' });
 * ```
 */
export function mapCallback(args: MapCallbackArgs): MapCallback {
  return new MapCallback(args);
}
