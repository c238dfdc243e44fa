import * as tf from '@tensorflow/tfjs-core';
import { Callback } from '@tensorflow/tfjs-layers';
import { InvalidOptionError } from '@tfjs-imbalance/weight-schemes';
import { checkOptionNames, claimForFit, describe, optionNames, checkConstraint, checkOneOf } from '@tfjs-imbalance/weight-schemes/internal';
import { AveragePrecisionAccumulator } from './average-precision-accumulator.js';
import type { AveragePrecisionScores } from './average-precision.js';
import { checkBoundedDataset, checkCompiledMetrics } from './model-checks.js';
import { declareOnModel, type Direction } from './log-directions.js';
import { readSampleWeights, rowWeights } from './sample-weights.js';
import { forEachValidationBatch, resolveScalarLogs, setLog, type ValidationData, type ValidationDataset } from './validation-data.js';

/** Which average {@link AveragePrecisionCallback} logs. */
export type ApAverage = 'micro' | 'macro' | 'weighted' | 'samples';

/** Arguments of {@link AveragePrecisionCallback}. */
export interface AveragePrecisionCallbackArgs {
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
 *   callbacks: [averagePrecisionCallback({ validationData: [xVal, yVal] }), earlyStopping({ monitor: 'val_map', patience: 3, restoreBestWeights: true })],
 * });
 * ```
 */
export class AveragePrecisionCallback extends Callback {
  private readonly data: ValidationData;
  private readonly average: ApAverage;
  /** The key the score is logged under. */
  readonly logName: string;
  /** Larger is better for {@link AveragePrecisionCallback.logName}; `earlyStopping({ mode: 'auto' })` reads it. */
  readonly direction: Direction = 'max';
  private readonly batchSize: number;
  /** The scores of the last evaluation. */
  lastScores: AveragePrecisionScores | undefined;

  /**
   * @param args - See {@link AveragePrecisionCallbackArgs}.
   */
  constructor(args: AveragePrecisionCallbackArgs) {
    super();
    if (args === null || typeof args !== 'object') {
      throw new InvalidOptionError('args', `expected { validationData }, got ${describe(args)}.`);
    }
    checkOptionNames('args', args, optionNames<AveragePrecisionCallbackArgs>()('validationData', 'average', 'logName', 'batchSize'));
    const d = args.validationData as unknown;
    const isPair = Array.isArray(d) && (d.length === 2 || d.length === 3);
    const isDataset = d !== null && typeof d === 'object' && typeof (d as ValidationDataset).iterator === 'function';
    if (!isPair && !isDataset) {
      throw new InvalidOptionError('args.validationData', `is required: [xVal, yVal] tensors or a dataset of { xs, ys } batches, got ${describe(d)}.`);
    }
    checkBoundedDataset('args.validationData', d, 'the callback', 'Pass the validation dataset without .repeat(), or .take(n) batches of it.');
    const average = args.average ?? 'macro';
    checkOneOf('args.average', average, ['micro', 'macro', 'weighted', 'samples']);
    const logName = args.logName ?? 'val_map';
    checkConstraint('args.logName', logName, { text: { example: 'val_map' } });
    const batchSize = args.batchSize ?? 256;
    checkConstraint('args.batchSize', batchSize, { whole: { min: 1 } });
    this.data = args.validationData;
    this.average = average;
    this.logName = logName;
    this.batchSize = batchSize;
  }

  /**
   * Binds the callback to the model of a fit, refusing a model other than the
   * one of a fit still running with it (one callback per concurrent fit).
   * Called by tfjs.
   */
  override setModel(model: Parameters<Callback['setModel']>[0]): void {
    claimForFit(this, model, 'callbacks', 'this averagePrecisionCallback', "both fits' histories would log the scores of the model that set it last");
    declareOnModel(model, this.logName, this.direction); // average precision: larger is better, whatever the key is called
    super.setModel(model);
  }

  /** Checks the model's F-beta compile metrics against its last layer (their `from`). Called by tfjs. */
  override async onTrainBegin(): Promise<void> {
    checkCompiledMetrics(this.model);
  }

  /** Scores the validation data and writes the average into the logs. Called by tfjs. */
  override async onEpochEnd(_epoch: number, logs?: Record<string, number>): Promise<void> {
    // Resolved first: should scoring throw, tfjs would not free the epoch's logged tensors.
    if (logs !== undefined) await resolveScalarLogs(logs as Record<string, unknown>);
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
    await forEachValidationBatch(this.model, this.data, this.batchSize, 'averagePrecisionCallback', async (y, p, w) => {
      // Per-position outputs [N, ..., C] are read as rows [M, C], pooled per class, as F-beta does.
      const weights = await readSampleWeights(w, false);
      if (!tf.util.arraysEqual(y.shape, p.shape) || p.rank < 2) return acc.update(y, p, weights);
      const C = p.shape[p.rank - 1]!;
      const [yd, pd] = await Promise.all([y.data(), p.data()]);
      const rows = yd.length / C;
      // Read as rows [M, C]: weights per sample are spread over their positions against the original shape.
      const perRow = weights === undefined ? undefined : rowWeights(weights, y.shape[0]!, rows, `yVal [${y.shape.join(', ')}]`);
      return acc.update({ data: yd, shape: [rows, C] }, { data: pd, shape: [rows, C] }, perRow);
    });
    return acc.result();
  }
}

/**
 * Creates a {@link AveragePrecisionCallback}.
 *
 * @param args - See {@link AveragePrecisionCallbackArgs}.
 * @returns The callback.
 *
 * @example
 * ```ts
 * const cb = averagePrecisionCallback({ validationData: [xVal, yVal], average: 'micro' });
 * ```
 */
export function averagePrecisionCallback(args: AveragePrecisionCallbackArgs): AveragePrecisionCallback {
  return new AveragePrecisionCallback(args);
}

/**
 * The former name of {@link averagePrecisionCallback}.
 * @deprecated Use `averagePrecisionCallback` (the same function): `mapCallback` read like `Array.map`. Removed in 0.3.
 */
export const mapCallback = averagePrecisionCallback;
/**
 * The former name of {@link AveragePrecisionCallback}.
 * @deprecated Use `AveragePrecisionCallback`. Removed in 0.3.
 */
export const MapCallback = AveragePrecisionCallback;
/** @deprecated Use `AveragePrecisionCallback`. Removed in 0.3. */
export type MapCallback = AveragePrecisionCallback;
/** @deprecated Use `AveragePrecisionCallbackArgs`. Removed in 0.3. */
export type MapCallbackArgs = AveragePrecisionCallbackArgs;
