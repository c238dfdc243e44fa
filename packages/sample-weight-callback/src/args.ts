import {
  InvalidOptionError,
  ShapeMismatchError,
  type BatchSource,
  type ClassCounts,
  type LabelFormat,
  type LabelMatrix,
  type SchemeConfig,
  type SchemeName,
} from '@tfjs-imbalance/weight-schemes';
import { checkBoundedDataset } from '@tfjs-imbalance/fbeta-metric/internal';
import { checkClassCounts, checkDeclared, checkOptionNames, checkRange, optionNames, parseScheme, type Constraints } from '@tfjs-imbalance/weight-schemes/internal';
import type { ReweightableLoss } from '@tfjs-imbalance/weighted-loss';

/**
 * When the class weights are recomputed:
 * - `'once'`: at the start of training (and when a deferred or β schedule says so);
 * - `'epoch'`: at the start of every epoch;
 * - `'batch'`: after every training batch, from the online counts (with fixed
 *   counts the weights cannot change between batches, so it acts as `'epoch'`).
 *
 * Online counts mean the training set: the losses count the labels of each
 * training batch (never the validation batches that tfjs runs inside the last
 * one), and each epoch is counted afresh. During the first epoch, `'batch'`
 * follows the running counts and the other schedules keep the losses'
 * weights (uniform for a new loss). When `fit` resumes (`initialEpoch` > 0,
 * a loss from `resumeTraining`), the first resumed epoch keeps the weights
 * the loss was saved with under every schedule, as an unbroken run would.
 * From the second epoch on, the weights come from the last complete epoch's
 * counts (dataset-size counts, which ENS needs), once (`'once'`) or at each
 * epoch start. With `decay` < 1 the counts are instead an exponentially
 * decayed running sum across batches and epochs, for streams whose class mix
 * drifts.
 */
export type Schedule = 'once' | 'epoch' | 'batch';

/** Arguments of {@link SampleWeightCallback}. */
export interface SampleWeightCallbackArgs {
  /** The loss, or losses, whose class weights the callback sets. Required. */
  readonly losses: ReweightableLoss | readonly ReweightableLoss[];
  /** The class-weight scheme. Defaults to the scheme of the first loss. */
  readonly scheme?: SchemeConfig | SchemeName;
  /** The training set's class counts. Defaults to counting `data`, or to online counts. */
  readonly counts?: ClassCounts | readonly number[];
  /** Training labels to count at train begin: a [N, C] matrix or tensor, or any batch source `countStream` reads. Defaults to none. */
  readonly data?: LabelMatrix | BatchSource<unknown>;
  /** How `data` is laid out. Defaults to `'multi-hot'`. */
  readonly format?: LabelFormat;
  /**
   * Count classes online: the losses record each training batch's labels (no
   * extra pass over the data, nothing held), and the weights come from the
   * counts of the last complete epoch (see {@link Schedule}). Defaults to
   * `true` when neither `counts` nor `data` is given.
   */
  readonly online?: boolean;
  /**
   * Online only: below 1, the counts become a running sum multiplied by this
   * factor after every batch, kept across epochs, and the weights follow it
   * batch by batch. Defaults to `1` (each epoch counted afresh).
   */
  readonly decay?: number;
  /** When the weights are recomputed. Defaults to `'batch'` online, else `'once'`. */
  readonly schedule?: Schedule;
  /**
   * Deferred re-weighting (LDAM-DRW): plain training before this epoch (every
   * row weighs 1, also under the sum rule, where class weights of 1 would
   * still weigh a row by its number of labels), the scheme from it on.
   * Defaults to `0` (from the start).
   */
  readonly deferUntilEpoch?: number;
  /** ENS only: β for each epoch (the last value is kept for later epochs). Defaults to the scheme's β throughout. */
  readonly betaSchedule?: readonly number[];
  /** Write `class_weight_min` and `class_weight_max` into the epoch logs. Defaults to `false`. */
  readonly logWeights?: boolean;
  /** `1` prints the counts and weights table once, at train begin. Defaults to `0`. */
  readonly verbose?: 0 | 1;
  /** Class names for the verbose table. Defaults to class indices. */
  readonly labels?: readonly string[];
}

/** The option names of {@link SampleWeightCallbackArgs}. */
const ARGS = optionNames<SampleWeightCallbackArgs>()(
  'losses',
  'scheme',
  'counts',
  'data',
  'format',
  'online',
  'decay',
  'schedule',
  'deferUntilEpoch',
  'betaSchedule',
  'logWeights',
  'verbose',
  'labels',
);

/** The options' declared constraints (the losses, data, counts, scheme and β schedule are checked on their own). */
const CONSTRAINTS: Constraints<SampleWeightCallbackArgs> = {
  online: 'boolean',
  schedule: { oneOf: ['once', 'epoch', 'batch'] },
  deferUntilEpoch: { whole: { min: 0 } },
  verbose: { oneOf: [0, 1] },
  logWeights: 'boolean',
  format: { oneOf: ['multi-hot', 'one-hot', 'indices'] },
};

/** The JSON-serialisable part of the arguments; the losses and data are passed again to {@link SampleWeightCallback.fromConfig}. */
export type SampleWeightCallbackConfig = Omit<SampleWeightCallbackArgs, 'losses' | 'data'>;

/** The callback's arguments, checked, with their defaults. @internal */
export interface ResolvedArgs {
  readonly losses: readonly ReweightableLoss[];
  readonly scheme: SchemeConfig;
  readonly online: boolean;
  readonly schedule: Schedule;
  readonly counts: ClassCounts | undefined;
  readonly data: LabelMatrix | BatchSource<unknown> | undefined;
  readonly config: SampleWeightCallbackConfig;
}

/** Checks the callback's arguments and fills in the defaults. @internal */
export function resolveArgs(args: SampleWeightCallbackArgs): ResolvedArgs {

    if (args === null || typeof args !== 'object') {
      throw new InvalidOptionError('args', 'expected { losses, scheme, ... }; losses is required.');
    }
    checkOptionNames('args', args, ARGS);
    checkDeclared('args', args, CONSTRAINTS);
    const losses = Array.isArray(args.losses) ? (args.losses as readonly ReweightableLoss[]) : [args.losses as ReweightableLoss];
    if (args.losses === undefined || losses.length === 0 || losses.some((l) => typeof l?.weighting?.attach !== 'function')) {
      throw new InvalidOptionError('args.losses', 'must be a weighted loss (or a non-empty array of them) from @tfjs-imbalance/weighted-loss.');
    }
    const C = losses[0]!.weighting.numClasses;
    const other = losses.find((l) => l.weighting.numClasses !== C);
    if (other !== undefined) {
      throw new ShapeMismatchError('args.losses', `have ${C} and ${other.weighting.numClasses} classes; every loss must cover the same classes.`);
    }
    const rawScheme = args.scheme ?? losses[0]!.weighting.scheme;
    if (rawScheme === undefined) {
      throw new InvalidOptionError('args.scheme', "is needed: the loss has no scheme. Pass e.g. scheme: { name: 'ens', beta: 0.999 }.");
    }
    const scheme = parseScheme(rawScheme, 'args.scheme');
    if (args.counts !== undefined && args.data !== undefined) {
      throw new InvalidOptionError('args', 'got both counts and data; pass one of them (or neither, for online counts).');
    }
    checkBoundedDataset('args.data', args.data, 'the callback counts its labels before training and', "Pass the training dataset without .repeat() (fit's batchesPerEpoch does not apply to this count), or pass counts, or leave both out for online counts.");
    const online = args.online ?? (args.counts === undefined && args.data === undefined);
    if (online && (args.counts !== undefined || args.data !== undefined)) {
      throw new InvalidOptionError('args.online', 'is true but counts or data was given too; online mode counts the training batches itself.');
    }
    if (!online && args.counts === undefined && args.data === undefined) {
      throw new InvalidOptionError('args.online', 'is false, but there is nothing to weigh from: pass counts (countMultiHot(yTrain)) or data (the training labels), or leave online out to count the training batches.');
    }
    if (args.decay !== undefined) {
      checkRange('args.decay', args.decay, { min: 0, max: 1, minExclusive: true });
      if (!online) throw new InvalidOptionError('args.decay', 'only applies to online counts (online: true).');
    }
    const schedule = args.schedule ?? (online ? 'batch' : 'once');
    if (args.betaSchedule !== undefined) {
      if (scheme.name !== 'ens') {
        throw new InvalidOptionError('args.betaSchedule', `only applies to the 'ens' scheme, but the scheme is '${scheme.name}'.`);
      }
      if (!Array.isArray(args.betaSchedule) || args.betaSchedule.length === 0) {
        throw new InvalidOptionError('args.betaSchedule', 'must be a non-empty array of β values, one per epoch.');
      }
      args.betaSchedule.forEach((b, i) => checkRange(`args.betaSchedule[${i}]`, b, { min: 0, max: 1, maxExclusive: true }));
    }
    if (args.labels !== undefined && args.labels.length !== C) {
      throw new ShapeMismatchError('args.labels', `has ${args.labels.length} names but the loss has ${C} classes.`);
    }
    let counts: ClassCounts | undefined;
    if (args.counts !== undefined) {
      const given = Array.isArray(args.counts)
        ? { positives: args.counts as number[], samples: (args.counts as number[]).reduce((a, b) => a + b, 0), emptyRows: 0 }
        : (args.counts as ClassCounts);
      counts = checkClassCounts('args.counts', given);
      checkClassCount(counts.positives.length, C, 'args.counts');
    }
    const { losses: _losses, data, ...config } = args;
    return { losses, scheme, online, schedule, counts, data, config };
}

/** Throws unless `n` counted classes match the loss's C. @internal */
export function checkClassCount(n: number, C: number, argument: string): void {
  if (n !== C) {
    throw new ShapeMismatchError(argument, `have ${n} classes but the loss has ${C} class weights; count the same classes the model predicts.`);
  }
}
