import type * as tf from '@tensorflow/tfjs-core';
import { EmptyInputError, InvalidOptionError, ShapeMismatchError, type LabelMatrix } from '@tfjs-imbalance/weight-schemes';
import type { BatchInput } from './batch-statistics.js';
import { readSampleWeights, rowWeights, sampleCount, type SampleWeightInput } from './sample-weights.js';
import { averagePrecision, inputs, type AveragePrecisionScores } from './average-precision.js';

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
  private readonly weights: Float64Array[] = [];
  private cols = -1;
  private rows = 0;

  /**
   * Adds one batch.
   *
   * @param yTrue - Multi-hot labels [N, C] (arrays or a tensor).
   * @param scores - Scores [N, C], probabilities or logits.
   * @param sampleWeight - Optional weights, one per sample or per position (see {@link averagePrecision}); give them with every batch or with none.
   * @returns The accumulator, for chaining.
   */
  update(yTrue: LabelMatrix | tf.Tensor, scores: LabelMatrix | tf.Tensor, sampleWeight?: SampleWeightInput): this {
    const { y, s } = inputs(yTrue, scores);
    if (this.cols >= 0 && y.cols !== this.cols) {
      throw new ShapeMismatchError('yTrue', `has ${y.cols} classes (shape [${y.rows}, ${y.cols}]) but earlier batches had ${this.cols}; use one class order.`);
    }
    if (this.rows > 0 && (sampleWeight === undefined) !== (this.weights.length === 0)) {
      throw new InvalidOptionError('sampleWeight', `is ${sampleWeight === undefined ? 'missing' : 'given'} for this batch but ${sampleWeight === undefined ? 'was given' : 'not'} for earlier ones; weigh every batch or none.`);
    }
    const read = readSampleWeights(sampleWeight, true);
    if (read !== undefined) this.weights.push(rowWeights(read, sampleCount(yTrue as BatchInput), y.rows, `yTrue [${y.rows}, ${y.cols}]`));
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
    const weights = this.weights.length === 0 ? undefined : Float64Array.from(this.weights.flatMap((w) => Array.from(w)));
    return averagePrecision(join(this.labels), join(this.scores), weights);
  }

  /** Forgets every batch. */
  reset(): void {
    this.labels.length = 0;
    this.scores.length = 0;
    this.weights.length = 0;
    this.cols = -1;
    this.rows = 0;
  }
}
