import { EmptyInputError, ShapeMismatchError } from '@tfjs-imbalance/weight-schemes';
import { checkConstraint, checkOptionNames, optionNames } from '@tfjs-imbalance/weight-schemes/internal';
import type { BatchInput } from './batch-statistics.js';
import { countBatch, countBatchAsync } from './count-batch.js';
import type { SampleWeightInput } from './sample-weights.js';
import { addConfusionCounts, type ConfusionCounts } from './confusion-counts.js';
import { checkZeroDivision, fbetaScores, type FBetaScores, type ZeroDivision } from './fbeta-scores.js';
import { PREDICTION_ARGS, resolveFBetaArgs, type PredictionArgs, type ResolvedFBetaArgs } from './prediction-options.js';

/** Arguments of {@link FBetaAccumulator} and {@link confusionCounts}. */
export interface FBetaAccumulatorArgs extends PredictionArgs {
  /** β > 0 of the samples average, and of {@link FBetaAccumulator.result}. Defaults to `0.5`. */
  readonly beta?: number;
  /** The value of a score whose denominator is 0, as scikit-learn's `zero_division`. Defaults to `0`. */
  readonly zeroDivision?: ZeroDivision;
  /**
   * Also track the per-sample statistics of the `samples` average
   * (multi-label only). It costs three more passes over each batch, about 20%,
   * so it is off unless asked for. Defaults to `false`.
   */
  readonly samplesAverage?: boolean;
}

const ACCUMULATOR_ARGS = optionNames<FBetaAccumulatorArgs>()(...PREDICTION_ARGS, 'beta', 'zeroDivision', 'samplesAverage');

/**
 * The confusion counts of one batch: per-class TP, FP and FN, and the
 * per-sample F-beta sum for the samples average. Every tensor it makes is
 * disposed; invalid labels or predictions throw with their position.
 *
 * Defaults: multi-label probabilities (`from: 'probabilities'`) positive above 0.5.
 *
 * @param yTrue - Multi-hot labels [N, C]; for multiclass, [N] indices or one-hot [N, C].
 * @param yPred - Scores [N, C] (probabilities or logits); for multiclass also [N] indices.
 * @param args - See {@link FBetaAccumulatorArgs}.
 * @param sampleWeight - Optional weights: one per sample, or one per position of per-position outputs (see {@link SampleWeightInput}).
 * @returns The counts of this batch.
 *
 * @example
 * ```ts
 * const c = confusionCounts([[1, 0], [1, 1]], [[0.9, 0.2], [0.4, 0.7]]);
 * // c.tp = [1, 1], c.fp = [0, 0], c.fn = [1, 0]
 * ```
 */
export function confusionCounts(yTrue: BatchInput, yPred: BatchInput, args: FBetaAccumulatorArgs = {}, sampleWeight?: SampleWeightInput): ConfusionCounts {
  const resolved = resolveFBetaArgs(args, 'args', ACCUMULATOR_ARGS);
  if (args.zeroDivision !== undefined) checkZeroDivision('args.zeroDivision', args.zeroDivision);
  return countBatch(yTrue, yPred, resolved, checkSamplesAverage(args.samplesAverage), sampleWeight);
}

function checkSamplesAverage(v: boolean | undefined): boolean {
  if (v !== undefined) checkConstraint('args.samplesAverage', v, 'boolean');
  return v ?? false;
}

/**
 * An exact, streaming F-beta: {@link FBetaAccumulator.update} it with
 * batches, read every score with {@link FBetaAccumulator.result}. It holds
 * only per-class TP, FP and FN counts (plus two numbers for the samples
 * average), takes tensors or arrays, and leaks no tensors.
 *
 * @example F0.5 over a validation set, batch by batch
 * ```ts
 * const acc = new FBetaAccumulator({ beta: 0.5, from: 'logits' });
 * for (const [x, y] of batches) {
 *   const logits = model.predict(x) as tf.Tensor;
 *   acc.update(y, logits);
 *   logits.dispose();
 * }
 * const { micro, macro, f } = acc.result();
 * ```
 */
export class FBetaAccumulator {
  private readonly args: ResolvedFBetaArgs;
  private readonly zeroDivision: ZeroDivision;
  private readonly samplesAverage: boolean;
  private total: ConfusionCounts | undefined;

  /**
   * @param args - See {@link FBetaAccumulatorArgs}.
   */
  constructor(args: FBetaAccumulatorArgs = {}) {
    this.args = resolveFBetaArgs(args, 'args', ACCUMULATOR_ARGS);
    this.zeroDivision = checkZeroDivision('args.zeroDivision', args.zeroDivision ?? 0);
    this.samplesAverage = checkSamplesAverage(args.samplesAverage);
  }

  /**
   * Adds one batch.
   *
   * @param yTrue - Labels, as for {@link confusionCounts}.
   * @param yPred - Predictions, as for {@link confusionCounts}.
   * @param sampleWeight - Optional weights, as Keras' `FBetaScore.update_state(yTrue, yPred, sampleWeight)`: one per sample, or one per position of per-position outputs (a 0/1 mask leaves positions out).
   * @returns This accumulator, for chaining.
   */
  update(yTrue: BatchInput, yPred: BatchInput, sampleWeight?: SampleWeightInput): this {
    return this.add(countBatch(yTrue, yPred, this.args, this.samplesAverage, sampleWeight));
  }

  /**
   * {@link FBetaAccumulator.update} with asynchronous reads only: the way to
   * count on WebGPU, where tfjs' synchronous reads fail, and on WebGL, where
   * they stall the GPU. `fbetaCallback` uses it.
   *
   * @param yTrue - Labels, as for {@link confusionCounts}.
   * @param yPred - Predictions, as for {@link confusionCounts}.
   * @param sampleWeight - Optional weights, as for {@link FBetaAccumulator.update}.
   * @returns This accumulator, once the batch is counted.
   *
   * @example
   * ```ts
   * await acc.updateAsync(yBatch, logitsBatch);
   * ```
   */
  async updateAsync(yTrue: BatchInput, yPred: BatchInput, sampleWeight?: SampleWeightInput): Promise<this> {
    return this.add(await countBatchAsync(yTrue, yPred, this.args, this.samplesAverage, sampleWeight));
  }

  private add(batch: ConfusionCounts): this {
    if (this.total !== undefined && this.total.tp.length !== batch.tp.length) {
      throw new ShapeMismatchError(
        'yPred',
        `has ${batch.tp.length} classes but earlier batches had ${this.total.tp.length}; ` +
          'every batch must use the same classes (call reset() to start over).',
      );
    }
    this.total = this.total === undefined ? batch : addConfusionCounts(this.total, batch);
    return this;
  }

  /**
   * Adds counts from elsewhere (another accumulator or shard).
   *
   * @param counts - Counts over the same classes.
   * @returns This accumulator, for chaining.
   */
  merge(counts: ConfusionCounts): this {
    if (this.total !== undefined && this.total.tp.length !== counts.tp.length) {
      throw new ShapeMismatchError(
        'counts',
        `has ${counts.tp.length} classes but this accumulator has ${this.total.tp.length}; merge counts over the same classes.`,
      );
    }
    this.total = this.total === undefined ? counts : addConfusionCounts(this.total, counts);
    return this;
  }

  /**
   * @returns The counts so far, or `undefined` before the first update.
   */
  counts(): ConfusionCounts | undefined {
    return this.total;
  }

  /**
   * Every score over the batches so far.
   *
   * @param options - Overrides of `zeroDivision` for this reading. Defaults to the constructor's.
   * @returns The scores; see {@link FBetaScores}.
   */
  result(options: { readonly zeroDivision?: ZeroDivision } = {}): FBetaScores {
    checkOptionNames('options', options, ['zeroDivision']);
    if (this.total === undefined) {
      throw new EmptyInputError('result', 'no batch was added yet; call update(yTrue, yPred) first.');
    }
    return fbetaScores(this.total, { beta: this.args.beta, zeroDivision: options.zeroDivision ?? this.zeroDivision });
  }

  /**
   * The accumulator's settings as JSON; `new FBetaAccumulator(config)` rebuilds it (without its counts).
   *
   * @returns The config.
   */
  getConfig(): FBetaAccumulatorArgs {
    const { task, from, threshold, numClasses, beta, ignoreClass } = this.args;
    return {
      task,
      from,
      threshold: typeof threshold === 'number' ? threshold : [...threshold],
      beta,
      zeroDivision: this.zeroDivision,
      samplesAverage: this.samplesAverage,
      ...(numClasses === undefined ? {} : { numClasses }),
      ...(ignoreClass === undefined ? {} : { ignoreClass }),
    };
  }

  /** Forgets every batch, for instance at the start of an epoch. */
  reset(): void {
    this.total = undefined;
  }
}
