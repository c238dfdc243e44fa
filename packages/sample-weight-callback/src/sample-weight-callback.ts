import { Callback } from '@tensorflow/tfjs-layers';
import {
  ImbalanceError,
  InvalidOptionError,
  OutOfRangeError,
  ShapeMismatchError,
  classWeights,
  countMultiHot,
  emptyRowClassWeight,
  countStream,
  ClassCounter,
  type BatchSource,
  type ClassCounts,
  type LabelFormat,
  type LabelMatrix,
  type SchemeConfig,
  type SchemeName,
} from '@tfjs-imbalance/weight-schemes';
import {
  checkBoundedDataset,
  checkClassCounts,
  checkOptionNames,
  checkCompiledMetrics,
  checkOutputKind,
  checkRange,
  describe,
  isTensorLike,
  parseScheme,
} from '@tfjs-imbalance/weight-schemes/internal';
import type { OnlineCounts, WeightedLoss } from '@tfjs-imbalance/weighted-loss';

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
  readonly losses: WeightedLoss | readonly WeightedLoss[];
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

const ARGS = [
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
] as const;

/** The JSON-serialisable part of the arguments; the losses and data are passed again to {@link SampleWeightCallback.fromConfig}. */
export type SampleWeightCallbackConfig = Omit<SampleWeightCallbackArgs, 'losses' | 'data'>;

type Logs = Parameters<Callback['onEpochEnd']>[1];

/**
 * A `tf.Callback` that sets the class weights of weighted losses during
 * `fit` and `fitDataset`: from known counts, from data it counts at train
 * begin, or from the label counts the losses record online; recomputed once,
 * per epoch or per batch; with deferred re-weighting and a β schedule for ENS.
 *
 * Callbacks never see the batch tensors, so each sample's weight is derived
 * inside the loss from `yTrue`; this callback changes the class-weight
 * variable the loss reads.
 *
 * @example ENS weights from the training labels, recomputed never
 * ```ts
 * const loss = weightedBinaryCrossentropy({ numClasses: 29 });
 * model.compile({ optimizer: 'adam', loss });
 * await model.fit(x, y, { callbacks: [sampleWeightCallback({ losses: loss, scheme: { name: 'ens', beta: 0.999 }, data: y })] });
 * ```
 *
 * @example Online counts on a stream, deferred until epoch 3
 * ```ts
 * await model.fitDataset(stream, {
 *   epochs: 10,
 *   callbacks: [sampleWeightCallback({ losses: loss, scheme: 'isns', online: true, decay: 0.999, deferUntilEpoch: 3 })],
 * });
 * ```
 */
export class SampleWeightCallback extends Callback {
  private readonly losses: readonly WeightedLoss[];
  private readonly scheme: SchemeConfig;
  private readonly config: SampleWeightCallbackConfig;
  private readonly data: LabelMatrix | BatchSource<unknown> | undefined;
  private readonly online: boolean;
  private readonly schedule: Schedule;
  private counts: ClassCounts | undefined;
  /** Online: the counts of the last complete epoch. */
  private epochCounts: ClassCounts | undefined;
  private epoch = 0;
  /** The first epoch of the current fit (fit's `initialEpoch` when resuming), once it began. */
  private firstEpoch: number | undefined;
  private callsAtBatchBegin: number[] = [];
  /** The class weights last set on the losses. */
  currentWeights: readonly number[] = [];
  /** The empty-row weight of the 'as-class' rule last computed (set on the losses built with it). */
  currentEmptyRowWeight = 1;

  /**
   * @param args - See {@link SampleWeightCallbackArgs}.
   */
  constructor(args: SampleWeightCallbackArgs) {
    super();
    if (args === null || typeof args !== 'object') {
      throw new InvalidOptionError('args', 'expected { losses, scheme, ... }; losses is required.');
    }
    checkOptionNames('args', args, ARGS);
    const losses = Array.isArray(args.losses) ? (args.losses as readonly WeightedLoss[]) : [args.losses as WeightedLoss];
    if (args.losses === undefined || losses.length === 0 || losses.some((l) => typeof l?.setClassWeights !== 'function')) {
      throw new InvalidOptionError('args.losses', 'must be a weighted loss (or a non-empty array of them) from @tfjs-imbalance/weighted-loss.');
    }
    const C = losses[0]!.numClasses;
    const other = losses.find((l) => l.numClasses !== C);
    if (other !== undefined) {
      throw new ShapeMismatchError('args.losses', `have ${C} and ${other.numClasses} classes; every loss must cover the same classes.`);
    }
    this.losses = losses;
    const rawScheme = args.scheme ?? losses[0]!.scheme;
    if (rawScheme === undefined) {
      throw new InvalidOptionError('args.scheme', "is needed: the loss has no scheme. Pass e.g. scheme: { name: 'ens', beta: 0.999 }.");
    }
    this.scheme = parseScheme(rawScheme, 'args.scheme');
    if (args.counts !== undefined && args.data !== undefined) {
      throw new InvalidOptionError('args', 'got both counts and data; pass one of them (or neither, for online counts).');
    }
    checkBoundedDataset('args.data', args.data, 'the callback counts its labels before training and', "Pass the training dataset without .repeat() (fit's batchesPerEpoch does not apply to this count), or pass counts, or leave both out for online counts.");
    this.online = args.online ?? (args.counts === undefined && args.data === undefined);
    if (this.online && (args.counts !== undefined || args.data !== undefined)) {
      throw new InvalidOptionError('args.online', 'is true but counts or data was given too; online mode counts the training batches itself.');
    }
    if (args.decay !== undefined) {
      checkRange('args.decay', args.decay, { min: 0, max: 1, minExclusive: true });
      if (!this.online) throw new InvalidOptionError('args.decay', 'only applies to online counts (online: true).');
    }
    const schedule = args.schedule ?? (this.online ? 'batch' : 'once');
    if (!['once', 'epoch', 'batch'].includes(schedule)) {
      throw new InvalidOptionError('args.schedule', `must be 'once', 'epoch' or 'batch', got ${describe(schedule)}.`);
    }
    this.schedule = schedule;
    if (args.deferUntilEpoch !== undefined && (!Number.isInteger(args.deferUntilEpoch) || args.deferUntilEpoch < 0)) {
      throw new InvalidOptionError('args.deferUntilEpoch', `must be a whole number ≥ 0, got ${describe(args.deferUntilEpoch)}.`);
    }
    if (args.betaSchedule !== undefined) {
      if (this.scheme.name !== 'ens') {
        throw new InvalidOptionError('args.betaSchedule', `only applies to the 'ens' scheme, but the scheme is '${this.scheme.name}'.`);
      }
      if (!Array.isArray(args.betaSchedule) || args.betaSchedule.length === 0) {
        throw new InvalidOptionError('args.betaSchedule', 'must be a non-empty array of β values, one per epoch.');
      }
      args.betaSchedule.forEach((b, i) => checkRange(`args.betaSchedule[${i}]`, b, { min: 0, max: 1, maxExclusive: true }));
    }
    if (args.verbose !== undefined && args.verbose !== 0 && args.verbose !== 1) {
      throw new InvalidOptionError('args.verbose', `must be 0 or 1, got ${describe(args.verbose)}.`);
    }
    if (args.logWeights !== undefined && typeof args.logWeights !== 'boolean') {
      throw new InvalidOptionError('args.logWeights', `must be true or false, got ${describe(args.logWeights)}.`);
    }
    if (args.format !== undefined && !['multi-hot', 'one-hot', 'indices'].includes(args.format)) {
      throw new InvalidOptionError('args.format', `must be 'multi-hot', 'one-hot' or 'indices', got ${describe(args.format)}.`);
    }
    if (args.labels !== undefined && args.labels.length !== C) {
      throw new ShapeMismatchError('args.labels', `has ${args.labels.length} names but the loss has ${C} classes.`);
    }
    if (args.counts !== undefined) {
      const counts = Array.isArray(args.counts)
        ? { positives: args.counts as number[], samples: (args.counts as number[]).reduce((a, b) => a + b, 0), emptyRows: 0 }
        : (args.counts as ClassCounts);
      this.counts = checkClassCounts('args.counts', counts);
      this.checkClassCount(this.counts.positives.length, 'args.counts');
    }
    const { losses: _losses, data, ...config } = args;
    this.data = data;
    this.config = config;
  }

  private checkClassCount(n: number, argument: string): void {
    const C = this.losses[0]!.numClasses;
    if (n !== C) {
      throw new ShapeMismatchError(
        argument,
        `have ${n} classes but the loss has ${C} class weights; count the same classes the model predicts.`,
      );
    }
  }

  /** Counts `data` if given, resets the online counts and sets the first weights. Called by tfjs. */
  override async onTrainBegin(): Promise<void> {
    this.checkModelLosses();
    this.losses.forEach((loss, i) => checkOutputKind(this.model, loss.from, this.losses.length > 1 ? `args.losses[${i}].from` : 'args.losses.from'));
    checkCompiledMetrics(this.model);
    if (this.data !== undefined && this.counts === undefined) {
      this.counts = await countData(this.data, this.config.format ?? 'multi-hot', this.losses[0]!.numClasses);
      this.checkClassCount(this.counts.positives.length, 'args.data');
    }
    for (const loss of this.losses) loss.decayCounts(0);
    this.epoch = 0;
    this.firstEpoch = undefined;
    this.epochCounts = undefined;
    const running = await this.runningCounts();
    if (!this.apply(running)) {
      // Nothing counted yet: each loss keeps its weights (read without blocking). Setting them back also tells a
      // loss built with a scheme and no counts that the callback now drives its weights.
      const kept = await Promise.all(this.losses.map((loss) => loss.getClassWeightsAsync()));
      this.losses.forEach((loss, i) => loss.setClassWeights(kept[i]!));
      this.currentWeights = kept[0]!;
    }
    if (this.config.verbose === 1) console.log(this.table(running));
  }

  /**
   * With online counts, throws when one loss object serves several outputs of
   * the model: its counts would mix their labels. (A loss the model never
   * calls is caught after the first batch, which also allows a loss wrapped in
   * another function.)
   */
  private checkModelLosses(): void {
    if (!this.online) return;
    const model = this.model as unknown as { lossFunctions?: unknown; outputNames?: unknown } | undefined;
    const used = model?.lossFunctions;
    if (!Array.isArray(used)) return;
    const names = Array.isArray(model!.outputNames) ? (model!.outputNames as string[]) : [];
    this.losses.forEach((loss, i) => {
      const outputs = used.flatMap((f, k) => (f === loss ? [names[k] ?? String(k)] : []));
      if (outputs.length > 1) {
        throw new InvalidOptionError(
          this.losses.length > 1 ? `args.losses[${i}]` : 'args.losses',
          `is the loss of ${outputs.length} outputs (${outputs.map((n) => `"${n}"`).join(', ')}), so its online counts would mix their labels. ` +
            'Build one loss per output, compile with model.compile({ loss: [lossA, lossB] }), and pass them all: losses: [lossA, lossB].',
        );
      }
    });
  }

  /** Recomputes the weights when the schedule says so. Called by tfjs. */
  override async onEpochBegin(epoch: number): Promise<void> {
    this.epoch = epoch;
    const epochDependent = this.config.deferUntilEpoch !== undefined || this.config.betaSchedule !== undefined;
    if (this.firstEpoch === undefined) {
      // The first epoch of this fit: 0, or fit's initialEpoch when training resumes. The weights set at train
      // begin assumed epoch 0; a deferral or β schedule may already be past that.
      this.firstEpoch = epoch;
      if (epoch > 0 && epochDependent) this.apply(await this.runningCounts());
      return;
    }
    // Online, this fit's first epoch's counts are complete now: even 'once' sets its weights from them.
    const firstCounted = this.online && !this.decaying && epoch === this.firstEpoch + 1;
    if (this.schedule !== 'once' || epochDependent || firstCounted) this.apply(await this.runningCounts());
  }

  /** Lets the losses count this batch's training step, and no later call (validation runs inside the last batch). Called by tfjs. */
  override async onBatchBegin(): Promise<void> {
    this.callsAtBatchBegin = this.losses.map((l) => l.callCount);
    for (const loss of this.losses) loss.recordNextCall();
  }

  /**
   * The running online counts, read without blocking, when the next weights
   * come from them: online, before the first epoch is complete or with
   * decayed counts. Otherwise undefined, and no read.
   */
  private async runningCounts(): Promise<OnlineCounts | undefined> {
    if (!this.online || (!this.decaying && this.epochCounts !== undefined)) return undefined;
    return this.losses[0]!.readCountsAsync();
  }

  /**
   * Stops counting, checks that the model trains with the losses and that the
   * labels are valid, recomputes from the online counts per batch if asked
   * (with fixed counts the weights could not change), then decays the counts.
   * No blocking read: online per batch, one asynchronous read of the counts
   * (in the first epoch, or every batch with decay); otherwise none. Called by tfjs.
   */
  override async onBatchEnd(): Promise<void> {
    for (const loss of this.losses) loss.setRecording(false);
    const idle = this.losses.findIndex((l, i) => l.callCount === this.callsAtBatchBegin[i]);
    if (idle >= 0) {
      throw new InvalidOptionError(
        this.losses.length > 1 ? `args.losses[${idle}]` : 'args.losses',
        'was not called during a training batch, so its class weights change nothing: the model is not compiled with it. ' +
          'Pass the loss object you gave model.compile({ loss }).',
      );
    }
    // On WebGL and WebGPU the losses check labels asynchronously: an invalid batch stops training here, named.
    for (const loss of this.losses) await loss.settleLabelChecks();
    // Per batch, the weights follow the running counts until a first epoch is complete. Not when training resumes
    // (initialEpoch > 0): the loss already holds the weights of a complete epoch's counts (saved with it), so the
    // first resumed epoch keeps them, as an unbroken run would.
    const fresh = this.epochCounts === undefined && (this.firstEpoch ?? 0) === 0;
    if (this.online && this.schedule === 'batch' && (fresh || this.decaying)) {
      const counts = await this.losses[0]!.readCountsAsync();
      this.checkLabels(counts);
      this.apply(counts);
    }
    if (this.decaying) {
      for (const loss of this.losses) loss.decayCounts(this.config.decay!);
    }
  }

  private get decaying(): boolean {
    return this.online && this.config.decay !== undefined && this.config.decay < 1;
  }

  /** Checks the labels seen, closes the epoch's online counts, and logs the weights on request. Called by tfjs. */
  override async onEpochEnd(_epoch: number, logs?: Logs): Promise<void> {
    // Fixed counts cannot change, and each loss checks its own labels: only online counts need a read.
    if (!this.online) {
      this.logWeights(logs);
      return;
    }
    const counts = await this.losses[0]!.readCountsAsync();
    this.checkLabels(counts);
    if (!this.decaying) {
      // This epoch's counts are the training set's; the next epoch is counted afresh.
      this.epochCounts = { positives: counts.positives, samples: counts.samples, emptyRows: counts.emptyRows };
      for (const loss of this.losses) loss.decayCounts(0);
    }
    this.logWeights(logs);
  }

  private logWeights(logs: Logs | undefined): void {
    if (this.config.logWeights && logs !== undefined) {
      logs['class_weight_min'] = Math.min(...this.currentWeights);
      logs['class_weight_max'] = Math.max(...this.currentWeights);
    }
  }

  /** Stops counting, and leaves the losses weighting rows from their labels. Called by tfjs. */
  override async onTrainEnd(): Promise<void> {
    for (const loss of this.losses) {
      loss.setRecording(false);
      loss.setReweighting(true);
    }
  }

  /** Throws if the training labels held NaN or values outside the label range. */
  private checkLabels({ invalidLabels }: OnlineCounts): void {
    if (invalidLabels > 0) {
      throw new OutOfRangeError(
        'yTrue',
        `${invalidLabels} training label value(s) were NaN or outside the label range ([0, 1] for multi-hot or one-hot labels, ` +
          '[0, C) for class indices). Fix the labels: the weighted loss would be silently wrong.',
      );
    }
  }

  /**
   * The weights for the current epoch and counts.
   *
   * @param online - Online counts already read this batch. Defaults to the last complete epoch's counts, else reading the running ones (online mode only).
   * @returns One weight per class.
   */
  computeWeights(online?: OnlineCounts): number[] {
    return this.computeAll(online)?.classWeights ?? [...this.currentWeights];
  }

  /** The class weights and the empty-row weight (the 'as-class' rule) for the current epoch and counts. */
  private computeAll(online?: OnlineCounts): { classWeights: number[]; emptyRow: number; counts?: ClassCounts } | undefined {
    const C = this.losses[0]!.numClasses;
    const uniform = { classWeights: new Array<number>(C).fill(1), emptyRow: 1 };
    if (this.epoch < (this.config.deferUntilEpoch ?? 0)) return { ...uniform, ...this.countsFor(online) };
    let scheme: SchemeConfig = this.scheme;
    const betas = this.config.betaSchedule;
    if (betas !== undefined && scheme.name === 'ens') {
      scheme = { ...scheme, beta: betas[Math.min(this.epoch, betas.length - 1)]! };
    }
    if (!this.online) {
      return { classWeights: classWeights(this.counts!, scheme), emptyRow: emptyRowClassWeight(this.counts!, scheme), counts: this.counts! };
    }
    const plain = this.countsFor(online).counts;
    // No label counted yet (the start of a fit): the losses keep the weights they have, uniform for a new loss,
    // the saved ones for a resumed loss. Early batches may miss classes: a class seen 0 times gets the largest
    // weight, never Infinity.
    if (plain === undefined) return undefined;
    const filled = { ...scheme, emptyClass: scheme.emptyClass ?? 'max' } as SchemeConfig;
    return {
      classWeights: classWeights(plain, filled, { allowFractionalCounts: true }),
      emptyRow: emptyRowClassWeight(plain, filled, { allowFractionalCounts: true }),
      counts: plain,
    };
  }

  /** The counts the weights come from now (none online before any label was counted). */
  private countsFor(online?: OnlineCounts): { counts?: ClassCounts } {
    if (!this.online) return this.counts === undefined ? {} : { counts: this.counts };
    const c = online ?? (this.decaying ? undefined : this.epochCounts) ?? this.losses[0]!.readCounts();
    if (c.positives.every((n) => n === 0)) return {};
    return { counts: { positives: c.positives, samples: c.samples, emptyRows: c.emptyRows } };
  }

  /** Sets the weights for the current epoch and counts on the losses; false when there is nothing to set yet (online, no label counted). */
  private apply(online?: OnlineCounts): boolean {
    const all = this.computeAll(online);
    // Before the deferral epoch every row weighs 1 (plain training), whatever the combine rule.
    const deferred = this.epoch < (this.config.deferUntilEpoch ?? 0);
    if (all === undefined) {
      for (const loss of this.losses) loss.setReweighting(!deferred);
      return false;
    }
    const { classWeights: w, emptyRow, counts } = all;
    for (const loss of this.losses) {
      loss.setReweighting(!deferred);
      loss.setClassWeights(w);
      if (loss.emptyRowWeight === 'as-class') loss.setEmptyRowWeight(emptyRow);
      // Losses that balance against the counts themselves (the Distribution-Balanced loss) get them too.
      const withCounts = loss as WeightedLoss & { setClassCounts?: (c: ClassCounts) => void };
      if (counts !== undefined && typeof withCounts.setClassCounts === 'function') {
        // A class present in every row counted so far would make log(N/n_c − 1) infinite: count N one higher.
        const most = Math.max(...counts.positives);
        withCounts.setClassCounts(most < counts.samples ? counts : { ...counts, samples: most + 1 });
      }
    }
    this.currentWeights = w;
    this.currentEmptyRowWeight = emptyRow;
    return true;
  }

  /**
   * The counts and weights as a text table.
   *
   * @param online - Online counts already read. Defaults to the last complete epoch's, else a read of the running ones.
   * @returns The table.
   */
  table(online?: OnlineCounts): string {
    const labels = this.config.labels ?? this.currentWeights.map((_, i) => String(i));
    const counts = this.online ? (online ?? this.epochCounts ?? this.losses[0]!.readCounts()).positives : (this.counts?.positives ?? []);
    const width = Math.max(5, ...labels.map((l) => l.length));
    const rows = labels.map(
      (l, i) => `${l.padStart(width)}  ${String(Math.round(counts[i] ?? 0)).padStart(8)}  ${this.currentWeights[i]!.toFixed(4).padStart(8)}`,
    );
    return [`${'class'.padStart(width)}  ${'count'.padStart(8)}  ${'weight'.padStart(8)}`, ...rows].join('\n');
  }

  /**
   * The callback's settings as JSON (without the losses and data).
   *
   * @returns The config.
   */
  getConfig(): SampleWeightCallbackConfig {
    return { ...this.config, scheme: this.scheme };
  }

  /**
   * Rebuilds a callback from {@link SampleWeightCallback.getConfig}.
   *
   * @param config - The config.
   * @param losses - The losses to drive.
   * @param data - The training labels, if the callback counted them.
   * @returns A new callback.
   */
  static fromConfig(
    config: SampleWeightCallbackConfig,
    losses: WeightedLoss | readonly WeightedLoss[],
    data?: LabelMatrix | BatchSource<unknown>,
  ): SampleWeightCallback {
    return new SampleWeightCallback({ ...config, losses, ...(data === undefined ? {} : { data }) });
  }
}

async function countData(data: LabelMatrix | BatchSource<unknown>, format: LabelFormat, numClasses: number): Promise<ClassCounts> {
  const isMatrix =
    isTensorLike(data) ||
    ('data' in (data as object) && 'shape' in (data as object)) ||
    (Array.isArray(data) && (format === 'indices' ? typeof data[0] === 'number' : typeof data[0]?.[0] === 'number'));
  try {
    if (isMatrix) {
      return format === 'multi-hot' ? countMultiHot(data as LabelMatrix) : new ClassCounter(numClasses, format).update(data as LabelMatrix).result();
    }
    return await countStream(data as BatchSource<unknown>, { format, numClasses });
  } catch (e) {
    // The counting functions name their own arguments (labels, source, options.format); the user passed args.data.
    if (!(e instanceof ImbalanceError)) throw e;
    const ErrorClass = e.constructor as new (argument: string, message: string) => ImbalanceError;
    // Drop the counting functions' own fixes (another function, their numClasses option); say the callback's.
    const detail = e.message
      .slice(e.argument.length + 2)
      .replace(/\s*If these are class indices, use the index-based function\./, '')
      .replace(/\s*Pass numClasses large enough for every class\./, '');
    const hint =
      format === 'multi-hot'
        ? " If args.data holds class indices ([N] or [N, 1]), pass format: 'indices'; one-hot rows, format: 'one-hot'."
        : ` args.data is read with format: '${format}' and the loss's ${numClasses} classes: fix the labels, or build the loss with the right numClasses.`;
    throw new ErrorClass('args.data', `${detail}${hint}`);
  }
}

/**
 * Creates a {@link SampleWeightCallback}.
 *
 * @param args - See {@link SampleWeightCallbackArgs}.
 * @returns The callback.
 *
 * @example
 * ```ts
 * const cb = sampleWeightCallback({ losses: loss, scheme: 'ins', counts: countMultiHot(yRows), logWeights: true });
 * ```
 */
export function sampleWeightCallback(args: SampleWeightCallbackArgs): SampleWeightCallback {
  return new SampleWeightCallback(args);
}
