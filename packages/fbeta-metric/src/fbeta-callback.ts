import { Callback } from '@tensorflow/tfjs-layers';
import { InvalidOptionError, ShapeMismatchError } from '@tfjs-imbalance/weight-schemes';
import { checkOptionNames, claimForFit, describe, optionNames, checkConstraint, checkOneOf } from '@tfjs-imbalance/weight-schemes/internal';
import { checkBoundedDataset, checkCompiledMetrics, checkOutputKind, lastLayerActivation } from './model-checks.js';
import { FBetaAccumulator } from './accumulator.js';
import type { FBetaScores, ZeroDivision } from './fbeta-scores.js';
import { forEachValidationBatch, resolveScalarLogs, setLog, type ValidationData, type ValidationDataset } from './validation-data.js';
import { PREDICTION_ARGS, type PredictionArgs } from './prediction-options.js';
import { declareOnModel, type Direction } from './log-directions.js';

/** The averages {@link FBetaCallback} can log. */
export type LoggedAverage = 'micro' | 'macro' | 'weighted' | 'samples';

/** Arguments of {@link FBetaCallback}. */
export interface FBetaCallbackArgs extends PredictionArgs {
  /** The data to score at the end of every epoch. Required. */
  readonly validationData: ValidationData;
  /** β > 0. Defaults to `0.5` (precision counts twice as much as recall). */
  readonly beta?: number;
  /** Which average goes into the log. Defaults to `'micro'`. */
  readonly average?: LoggedAverage;
  /** The log key. Defaults to `'val_fbeta'`, which `tf.callbacks.earlyStopping({ monitor: 'val_fbeta', mode: 'max' })` reads. */
  readonly logName?: string;
  /** Also log each class's F-beta as `<logName>_<label>`: `true` uses class indices, an array gives the labels. Defaults to `false`. */
  readonly perClass?: boolean | readonly string[];
  /** The batch size of `model.predict` on `[x, y]` data. Defaults to `256`. */
  readonly batchSize?: number;
  /** The value of a score whose denominator is 0. Defaults to `0`. */
  readonly zeroDivision?: ZeroDivision;
  /** `1` prints one line per epoch with the logged value and the micro precision and recall, as Keras' progress lines do. Defaults to `0` (silent). */
  readonly verbose?: 0 | 1;
}

const CALLBACK_ARGS = optionNames<FBetaCallbackArgs>()(
  ...PREDICTION_ARGS,
  'validationData',
  'beta',
  'average',
  'logName',
  'perClass',
  'batchSize',
  'zeroDivision',
  'verbose',
);

/**
 * A `tf.Callback` that computes the **exact** F-beta over validation data at
 * the end of every epoch, from the per-class counts of the whole set, and
 * writes it into the epoch logs (`val_fbeta` by default, and per class on
 * request). Put it **before** `tf.callbacks.earlyStopping` in the callbacks
 * list so early stopping sees the value. If the compile metric
 * {@link fbetaMetric} also logs `val_fbeta`, this callback overwrites that
 * approximation with the exact value.
 *
 * Defaults: multi-label probabilities (`from: 'probabilities'`) positive above 0.5, β = 0.5, the micro average logged as `val_fbeta`; a model that outputs logits passes `from: 'logits'`.
 *
 * @example Early stopping on the exact validation F0.5
 * ```ts
 * await model.fit(xTrain, yTrain, {
 *   epochs: 20,
 *   callbacks: [
 *     fbetaCallback({ validationData: [xVal, yVal], beta: 0.5, from: 'logits' }),
 *     tf.callbacks.earlyStopping({ monitor: 'val_fbeta', mode: 'max', patience: 3 }),
 *   ],
 * });
 * ```
 */
export class FBetaCallback extends Callback {
  private readonly accumulator: FBetaAccumulator;
  private readonly data: ValidationData;
  private readonly average: LoggedAverage;
  /** The key the score is logged under. */
  readonly logName: string;
  /** Larger is better for {@link FBetaCallback.logName}; `earlyStopping({ mode: 'auto' })` reads it. */
  readonly direction: Direction = 'max';
  private readonly perClass: boolean | readonly string[];
  private readonly from: string;
  private readonly task: string;
  /** Whether `task` was given (a softmax model without it is a mistake to name). */
  private readonly taskGiven: boolean;
  private readonly batchSize: number;
  private readonly verbose: 0 | 1;
  /** The scores of the last epoch, or `undefined` before the first epoch ends. */
  lastScores: FBetaScores | undefined;

  /**
   * @param args - See {@link FBetaCallbackArgs}.
   */
  constructor(args: FBetaCallbackArgs) {
    super();
    if (args === undefined || args === null || typeof args !== 'object') {
      throw new InvalidOptionError('args', 'expected { validationData, ... }; validationData is required.');
    }
    const { validationData, average = 'micro', logName = 'val_fbeta', perClass = false, batchSize = 256, verbose = 0, ...rest } = args;
    checkOptionNames('args', args, CALLBACK_ARGS);
    this.accumulator = new FBetaAccumulator(average === 'samples' ? { ...rest, samplesAverage: true } : rest);
    this.from = rest.from ?? 'probabilities';
    this.task = rest.task ?? 'multilabel';
    this.taskGiven = rest.task !== undefined;
    if (validationData === undefined) {
      throw new InvalidOptionError('args.validationData', 'is required: pass [xVal, yVal] tensors or a tf.data.Dataset of {xs, ys}.');
    }
    const isPair = Array.isArray(validationData) && (validationData.length === 2 || validationData.length === 3);
    const isDataset = typeof (validationData as ValidationDataset).iterator === 'function';
    if (!isPair && !isDataset) {
      throw new InvalidOptionError(
        'args.validationData',
        `expected [xVal, yVal] (or [xVal, yVal, sampleWeight]) or a tf.data.Dataset of {xs, ys}, got ${describe(validationData)}.`,
      );
    }
    checkBoundedDataset('args.validationData', validationData, 'the callback', 'Pass the validation dataset without .repeat(), or .take(n) batches of it.');
    checkOneOf('args.average', average, ['micro', 'macro', 'weighted', 'samples']);
    if (average === 'samples' && args.task === 'multiclass') {
      throw new InvalidOptionError('args.average', "'samples' is only defined for multi-label data; use 'micro' or 'macro'.");
    }
    checkConstraint('args.logName', logName, { text: {} });
    checkConstraint('args.batchSize', batchSize, { whole: { min: 1 } });
    this.data = validationData;
    this.average = average;
    this.logName = logName;
    if (typeof perClass !== 'boolean' && !(Array.isArray(perClass) && perClass.every((l) => typeof l === 'string'))) {
      throw new InvalidOptionError('args.perClass', `must be true, false or one label string per class, got ${describe(perClass)}.`);
    }
    this.perClass = perClass;
    this.batchSize = batchSize;
    checkOneOf('args.verbose', verbose, [0, 1]);
    this.verbose = verbose;
  }

  /**
   * The callback's settings as JSON, without the validation data:
   * `fbetaCallback({ ...config, validationData })` rebuilds it.
   *
   * @returns The config.
   */
  getConfig(): Omit<FBetaCallbackArgs, 'validationData'> {
    const { samplesAverage: _s, ...accumulator } = this.accumulator.getConfig();
    return {
      ...accumulator,
      average: this.average,
      logName: this.logName,
      perClass: typeof this.perClass === 'boolean' ? this.perClass : [...this.perClass],
      batchSize: this.batchSize,
      verbose: this.verbose,
    };
  }

  /**
   * Binds the callback to the model of a fit, refusing a model other than the
   * one of a fit still running with it (one callback per concurrent fit).
   * Called by tfjs.
   */
  override setModel(model: Parameters<Callback['setModel']>[0]): void {
    claimForFit(this, model, 'callbacks', 'this fbetaCallback', "both fits' histories would log the scores of the model that set it last");
    declareOnModel(model, this.logName, this.direction); // F-beta: larger is better, whatever the key is called
    super.setModel(model);
  }

  /**
   * Checks that the model outputs what `from` says, here and in the model's
   * F-beta compile metrics (a sigmoid output with from: 'logits' scores
   * silently wrong). Called by tfjs.
   */
  override async onTrainBegin(): Promise<void> {
    const single = this.taskGiven ? undefined : singleLabelSign(this.model);
    if (single !== undefined) {
      throw new InvalidOptionError(
        'args.task',
        `is not set, so the callback scores the model as multi-label (each class thresholded on its own), but ${single}: one class per row. ` +
          "Pass task: 'multiclass' to score the argmax against one-hot or index labels, or task: 'multilabel' to threshold each class anyway.",
      );
    }
    if (this.task !== 'multiclass') checkOutputKind(this.model, this.from, 'args.from');
    checkCompiledMetrics(this.model);
  }

  /**
   * Scores the validation data and writes the logs. Called by tfjs.
   *
   * @param epoch - The epoch index.
   * @param logs - The epoch logs, which receive the F-beta values.
   */
  override async onEpochEnd(epoch: number, logs?: Parameters<Callback['onEpochEnd']>[1]): Promise<void> {
    // Resolved first: should scoring throw, tfjs would not free the epoch's logged tensors.
    if (logs !== undefined) await resolveScalarLogs(logs as Record<string, unknown>);
    const scores = await this.evaluate();
    this.lastScores = scores;
    const value = this.average === 'samples' ? (scores.samples ?? Number.NaN) : scores[this.average].f;
    if (this.verbose === 1) {
      const total = (this.params as { epochs?: unknown } | undefined)?.epochs;
      console.log(
        `Epoch ${epoch + 1}${typeof total === 'number' ? `/${total}` : ''}: ${this.logName} = ${value.toFixed(4)} ` +
          `(${this.average}; micro precision ${scores.micro.precision.toFixed(4)}, recall ${scores.micro.recall.toFixed(4)})`,
      );
    }
    if (logs === undefined) return;
    setLog(logs, this.logName, value);
    if (this.perClass !== false) {
      const labels = this.perClass === true ? scores.f.map((_, i) => String(i)) : this.perClass;
      if (labels.length !== scores.f.length) {
        throw new ShapeMismatchError(
          'args.perClass',
          `has ${labels.length} labels but the model predicts ${scores.f.length} classes (epoch ${epoch}); pass one label per class.`,
        );
      }
      labels.forEach((label, i) => setLog(logs, `${this.logName}_${label}`, scores.f[i]!));
    }
  }

  /**
   * Scores the validation data with the current model, outside of `fit`.
   *
   * @returns Every F-beta score over the validation data.
   */
  async evaluate(): Promise<FBetaScores> {
    this.accumulator.reset();
    await forEachValidationBatch(this.model, this.data, this.batchSize, 'FBetaCallback', (y, p, w) => this.accumulator.updateAsync(y, p, w));
    return this.accumulator.result();
  }
}


/** The single-label losses a model may be compiled with, by tfjs name or loss class. */
const SINGLE_LABEL_LOSSES = ['categoricalCrossentropy', 'sparseCategoricalCrossentropy', 'categorical_crossentropy', 'sparse_categorical_crossentropy'];

/** Why a model looks single-label (a softmax output, or a categorical loss), or undefined. */
function singleLabelSign(model: unknown): string | undefined {
  const last = lastLayerActivation(model);
  if (last?.activation === 'softmax') return `its last layer "${last.layer}" has a softmax activation`;
  const loss = (model as { loss?: unknown } | null)?.loss;
  if (typeof loss === 'string' && SINGLE_LABEL_LOSSES.includes(loss)) return `it is compiled with the ${loss} loss`;
  // A loss class of @tfjs-imbalance/weighted-loss declares its task on itself.
  if (typeof loss === 'function' && (loss as { task?: unknown }).task === 'multiclass') {
    const factory = loss.name.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase()); // the factory's name, as tfjs records it in snake_case
    return `it is compiled with ${factory}, a single-label loss (softmax cross-entropy on logits)`;
  }
  return undefined;
}

/**
 * Creates an {@link FBetaCallback}.
 *
 * @param args - See {@link FBetaCallbackArgs}.
 * @returns The callback.
 *
 * @example
 * ```ts
 * const cb = fbetaCallback({ validationData: [xVal, yVal], perClass: tagNames });
 * ```
 */
export function fbetaCallback(args: FBetaCallbackArgs): FBetaCallback {
  return new FBetaCallback(args);
}
