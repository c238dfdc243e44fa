import * as tf from '@tensorflow/tfjs-core';
import { Callback, type Logs } from '@tensorflow/tfjs-layers';
import { InvalidOptionError } from '@tfjs-imbalance/weight-schemes';
import { checkConstraint, checkDeclared, checkFinite, checkOptionNames, claimForFit, describe, optionNames, type Constraints } from '@tfjs-imbalance/weight-schemes/internal';
import { resolveScalarLogs } from './validation-data.js';
import { declaredDirection } from './log-directions.js';

/** Arguments of {@link EarlyStopping}. */
export interface EarlyStoppingArgs {
  /** The epoch-log key to watch. Defaults to `'val_fbeta'` (what {@link fbetaCallback} logs). */
  readonly monitor?: string;
  /** Whether larger (`'max'`) or smaller (`'min'`) is better; `'auto'` takes the direction that `fbetaCallback`, `averagePrecisionCallback` or `fbetaMetric` declared for the key (whatever their `logName`), else `'max'` for names with fbeta, map, acc, auc, precision or recall, else `'min'`. Defaults to `'auto'`. */
  readonly mode?: 'auto' | 'min' | 'max';
  /** Epochs without improvement before training stops. Defaults to `0`. */
  readonly patience?: number;
  /** The least change that counts as an improvement; a negative value counts as its absolute value, as in tfjs and Keras. Defaults to `0`. */
  readonly minDelta?: number;
  /** Put back the weights of the best epoch when training ends (tfjs' own `earlyStopping` throws on this option). Defaults to `false`, as in Keras. */
  readonly restoreBestWeights?: boolean;
  /** `1` prints a line when training stops and when the best weights are restored. Defaults to `0`. */
  readonly verbose?: 0 | 1;
  /**
   * A value the monitored one must beat: the best starts there, so training
   * stops after `patience` epochs that do not beat it, as tfjs' own
   * `earlyStopping` and Keras 2 do (with `restoreBestWeights`, nothing is
   * restored when no epoch beat it). Defaults to none.
   */
  readonly baseline?: number;
  /** Epochs to train before monitoring starts (a warm-up in which no improvement is expected), as Keras' `start_from_epoch`. Defaults to `0`. */
  readonly startFromEpoch?: number;
}

const ARGS = optionNames<EarlyStoppingArgs>()('monitor', 'mode', 'patience', 'minDelta', 'restoreBestWeights', 'verbose', 'baseline', 'startFromEpoch');

/** The options' declared constraints. */
const EARLY_STOPPING_CONSTRAINTS: Constraints<EarlyStoppingArgs> = {
  startFromEpoch: { whole: { min: 0 } },
  mode: { oneOf: ['auto', 'min', 'max'] },
  patience: { whole: { min: 0 } },
  restoreBestWeights: 'boolean',
  verbose: { oneOf: [0, 1] },
};

/**
 * Early stopping, as Keras' `EarlyStopping`, with `restoreBestWeights`: stops
 * `fit` once the monitored value has not improved for `patience` epochs and,
 * on request, restores the weights of the best epoch when training ends. Put
 * it after the callback that logs the monitored value ({@link fbetaCallback},
 * {@link averagePrecisionCallback}). A monitored key missing from the logs is an error,
 * not a silent no-op. Only the model's weights are restored, not the
 * optimizer's state (as in Keras).
 *
 * @example Stop on the exact validation F0.5 and keep the best epoch's weights
 * ```ts
 * await model.fit(x, y, {
 *   epochs: 50,
 *   callbacks: [
 *     fbetaCallback({ validationData: [xVal, yVal], from: 'logits' }),
 *     earlyStopping({ monitor: 'val_fbeta', patience: 3, restoreBestWeights: true }),
 *   ],
 * });
 * ```
 */
export class EarlyStopping extends Callback {
  private readonly monitor: string;
  private readonly mode: 'auto' | 'min' | 'max';
  private readonly delta: number;
  private better!: (current: number, best: number) => boolean;
  /** The best value before any epoch: −∞ when larger is better, +∞ when smaller is. */
  private worst!: number;
  private readonly patience: number;
  private readonly restoreBestWeights: boolean;
  private readonly baseline: number | undefined;
  private readonly startFromEpoch: number;
  private readonly verbose: 0 | 1;
  /** The best epoch's weights, as plain arrays: no tensor is held between epochs, so a `fit` that throws leaks nothing. */
  private weights: { values: Float32Array | Int32Array | Uint8Array; shape: number[]; dtype: tf.DataType }[] | undefined;
  private wait = 0;
  /** The best monitored value so far (±Infinity before the first epoch). */
  best = -Infinity;
  /** The epoch (0-based) of the best value, or −1. */
  bestEpoch = -1;
  /** The epoch (0-based) at which training was stopped, or −1 if it ran to the end. */
  stoppedEpoch = -1;
  /** How many epochs ran. */
  epochsRun = 0;

  /**
   * @param args - See {@link EarlyStoppingArgs}.
   */
  constructor(args: EarlyStoppingArgs = {}) {
    super();
    if (args === null || typeof args !== 'object') throw new InvalidOptionError('args', `must be an object, got ${describe(args)}.`);
    checkOptionNames('args', args, ARGS);
    const { monitor = 'val_fbeta', mode = 'auto', patience = 0, minDelta = 0, restoreBestWeights = false, verbose = 0, baseline, startFromEpoch = 0 } = args;
    checkDeclared('args', args, EARLY_STOPPING_CONSTRAINTS);
    checkConstraint('args.monitor', monitor, { text: { what: 'a log key', example: 'val_fbeta' } });
    // A negative minDelta counts as its absolute value, as in tfjs' and Keras' EarlyStopping.
    const delta = Math.abs(checkFinite('args.minDelta', minDelta));
    this.monitor = monitor;
    this.mode = mode;
    this.delta = delta;
    this.patience = patience;
    this.restoreBestWeights = restoreBestWeights;
    this.verbose = verbose;
    this.baseline = baseline === undefined ? undefined : checkFinite('args.baseline', baseline);
    this.startFromEpoch = startFromEpoch;
    this.setDirection();
  }

  /**
   * Larger or smaller is better: as `mode` says; with `'auto'`, as the
   * callback or metric that logs the key declared (fbetaCallback, averagePrecisionCallback
   * and fbetaMetric declare theirs, whatever their `logName`), else by the
   * key's name: max for fbeta, map, acc, auc, precision and recall, min for
   * the rest (loss).
   */
  private setDirection(): void {
    const declared = this.mode === 'auto' ? declaredDirection(this.model, this.monitor) : undefined;
    const max = this.mode === 'max' || (this.mode === 'auto' && (declared ?? (/fbeta|map|acc|auc|precision|recall/i.test(this.monitor) ? 'max' : 'min')) === 'max');
    const delta = this.delta;
    this.better = max ? (c, b) => c - delta > b : (c, b) => c + delta < b;
    this.worst = max ? -Infinity : Infinity;
    this.best = this.baseline ?? this.worst;
  }

  /**
   * Binds the callback to the model of a fit, refusing a model other than the
   * one of a fit still running with it (one callback per concurrent fit).
   * Called by tfjs.
   */
  override setModel(model: Parameters<Callback['setModel']>[0]): void {
    claimForFit(this, model, 'callbacks', 'this earlyStopping callback', 'neither model would end with its own best weights');
    super.setModel(model);
  }

  /** Resets the state for a new `fit`. Called by tfjs. */
  override async onTrainBegin(): Promise<void> {
    // The callbacks of this fit are built by now, and have declared the directions of the keys they log.
    this.setDirection();
    this.wait = 0;
    this.bestEpoch = -1;
    this.stoppedEpoch = -1;
    this.epochsRun = 0;
    this.release();
  }

  /** Compares the monitored value with the best so far; stops training after `patience` epochs without improvement. Called by tfjs. */
  override async onEpochEnd(epoch: number, logs?: Logs): Promise<void> {
    this.epochsRun = epoch + 1;
    // tfjs may still hold logged values as scalar tensors here (val_loss, compile metrics); read them as its own callbacks do.
    if (logs !== undefined) await resolveScalarLogs(logs as Record<string, unknown>);
    const current = logs?.[this.monitor];
    if (typeof current !== 'number' || Number.isNaN(current)) {
      throw new InvalidOptionError(
        'args.monitor',
        `"${this.monitor}" is ${current === undefined ? 'not in' : `${describe(current)} in`} the epoch logs (keys: ${Object.keys(logs ?? {}).join(', ') || 'none'}). ` +
          'Put the callback that logs it (fbetaCallback, averagePrecisionCallback) before earlyStopping, or pass validationData to fit for val_loss.',
      );
    }
    // The warm-up: monitored from epoch startFromEpoch (0-based) on.
    if (epoch < this.startFromEpoch) return;
    if (this.better(current, this.best)) {
      this.best = current;
      this.bestEpoch = epoch;
      this.wait = 0;
      if (this.restoreBestWeights) {
        const weights = this.model.getWeights();
        const values = await Promise.all(weights.map((w) => w.data()));
        this.weights = weights.map((w, i) => ({ values: values[i]!.slice() as Float32Array, shape: w.shape, dtype: w.dtype }));
      }
      return;
    }
    this.wait++;
    if (this.wait >= Math.max(this.patience, 1)) {
      this.stoppedEpoch = epoch;
      this.model.stopTraining = true;
      if (this.verbose === 1) console.log(`Epoch ${epoch + 1}: early stopping (${this.monitor} best ${this.best.toFixed(4)} at epoch ${this.bestEpoch + 1})`);
    }
  }

  /** Restores the best epoch's weights on request, and frees the copy. Called by tfjs. */
  override async onTrainEnd(): Promise<void> {
    if (this.restoreBestWeights && this.weights !== undefined) {
      const tensors = this.weights.map((w) => tf.tensor(w.values, w.shape, w.dtype));
      this.model.setWeights(tensors);
      tf.dispose(tensors);
      if (this.verbose === 1) console.log(`Restored the weights of epoch ${this.bestEpoch + 1} (${this.monitor} ${this.best.toFixed(4)})`);
    }
    this.release();
  }

  private release(): void {
    this.weights = undefined;
  }
}

/**
 * Creates an {@link EarlyStopping} callback.
 *
 * @param args - See {@link EarlyStoppingArgs}.
 * @returns The callback.
 *
 * @example
 * ```ts
 * const stop = earlyStopping({ monitor: 'val_map', patience: 5, restoreBestWeights: true });
 * ```
 */
export function earlyStopping(args: EarlyStoppingArgs = {}): EarlyStopping {
  return new EarlyStopping(args);
}
