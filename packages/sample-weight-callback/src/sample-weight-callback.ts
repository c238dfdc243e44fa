import * as tf from '@tensorflow/tfjs-core';
import { Callback } from '@tensorflow/tfjs-layers';
import { InvalidOptionError, classWeights, emptyRowClassWeight, type BatchSource, type ClassCounts, type LabelMatrix, type SchemeConfig } from '@tfjs-imbalance/weight-schemes';
import { checkCompiledMetrics, checkOutputKind, resolveScalarLogs } from '@tfjs-imbalance/fbeta-metric/internal';
import { claimForFit, warnSlowBackend } from '@tfjs-imbalance/weight-schemes/internal';
import type { OnlineCounts, ReweightableLoss, Weighting } from '@tfjs-imbalance/weighted-loss';
import { resolveArgs, type SampleWeightCallbackArgs, type SampleWeightCallbackConfig, type Schedule } from './args.js';
import { DecayedCounts, EpochCounts, FixedCounts, type CountSource } from './count-sources.js';

type Logs = Parameters<Callback['onEpochEnd']>[1];

/** A training of at least this many batches is long enough to warn about the pure-JS cpu backend in Node. */
const LONG_TRAINING_BATCHES = 1000;

/** The batches `fit` or `fitDataset` will run, from the callback's params, or `undefined` when unknown. */
function trainingBatches(params: Record<string, unknown> | undefined): number | undefined {
  const n = (k: string) => (typeof params?.[k] === 'number' && Number.isFinite(params[k]) ? (params[k] as number) : undefined);
  const epochs = n('epochs'), steps = n('steps'), samples = n('samples'), batchSize = n('batchSize');
  const perEpoch = steps ?? (samples !== undefined && batchSize !== undefined && batchSize > 0 ? Math.ceil(samples / batchSize) : undefined);
  return epochs === undefined || perEpoch === undefined ? undefined : (epochs - (n('initialEpoch') ?? 0)) * perEpoch;
}

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
  private readonly losses: readonly ReweightableLoss[];
  /** The losses' weightings: the only way the callback drives them. */
  private readonly weightings: readonly Weighting[];
  private readonly scheme: SchemeConfig;
  private readonly config: SampleWeightCallbackConfig;
  private readonly schedule: Schedule;
  /** Where the counts come from: fixed, the training set per epoch, or decayed running counts. */
  private readonly source: CountSource;
  private epoch = 0;
  /** The first epoch of the current fit (fit's `initialEpoch` when resuming), once it began. */
  private firstEpoch: number | undefined;
  /** Whether the last epoch's end renewed the counts as a whole (this fit's first complete epoch, online). */
  private renewed = false;
  /** The class weights last set on the losses. */
  currentWeights: readonly number[] = [];
  /** The empty-row weight of the 'as-class' rule last computed (set on the losses built with it). */
  currentEmptyRowWeight = 1;

  /**
   * @param args - See {@link SampleWeightCallbackArgs}.
   */
  constructor(args: SampleWeightCallbackArgs) {
    super();
    const r = resolveArgs(args);
    this.losses = r.losses;
    this.weightings = r.losses.map((l) => l.weighting);
    this.scheme = r.scheme;
    this.schedule = r.schedule;
    this.config = r.config;
    const decay = r.config.decay;
    this.source = !r.online
      ? new FixedCounts(r.counts, r.data, this.weightings[0]!, r.config.format ?? 'multi-hot')
      : decay !== undefined && decay < 1
        ? new DecayedCounts(this.weightings, decay)
        : new EpochCounts(this.weightings);
  }

  /**
   * Binds the callback to the model of a fit, refusing a model other than the
   * one of a fit still running with this callback or with one of its losses
   * (one callback and one loss per concurrent fit). Called by tfjs.
   */
  override setModel(model: Parameters<Callback['setModel']>[0]): void {
    claimForFit(this, model, 'callbacks', 'this sampleWeightCallback', "the two trainings would set each other's class weights");
    this.losses.forEach((loss, i) =>
      claimForFit(loss, model, this.losses.length > 1 ? `args.losses[${i}]` : 'args.losses', 'this loss, driven by a sampleWeightCallback,', 'one model would train with the class weights and counts of the other'),
    );
    super.setModel(model);
  }

  /** Counts `data` if given, resets the online counts and sets the first weights. Called by tfjs. */
  override async onTrainBegin(): Promise<void> {
    this.checkModelLosses();
    this.weightings.forEach((w, i) => checkOutputKind(this.model, w.from, this.losses.length > 1 ? `args.losses[${i}].from` : 'args.losses.from'));
    checkCompiledMetrics(this.model);
    const batches = trainingBatches(this.params);
    if (batches !== undefined && batches >= LONG_TRAINING_BATCHES) warnSlowBackend(tf.getBackend(), `this training (${batches} batches)`);
    // The callback takes the weightings over: online counts cleared, each loss's current weights kept until set.
    const kept = await Promise.all(this.weightings.map((w) => w.attach()));
    await this.source.begin();
    this.currentWeights = kept[0]!;
    this.epoch = 0;
    this.firstEpoch = undefined;
    this.renewed = false;
    this.apply(await this.source.now());
    if (this.config.verbose === 1) console.log(this.table());
  }

  /**
   * With online counts, throws when one loss object serves several outputs of
   * the model: its counts would mix their labels. (A loss the model never
   * calls is caught after the first batch, which also allows a loss wrapped in
   * another function.)
   */
  private checkModelLosses(): void {
    if (!this.source.online) return;
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
      this.source.startFit(epoch);
      if (epoch > 0 && epochDependent) this.apply(await this.source.now());
      return;
    }
    // Online, this fit's first epoch's counts are complete now: even 'once' sets its weights from them.
    if (this.schedule !== 'once' || epochDependent || this.renewed) this.apply(await this.source.now());
  }

  /** Lets the losses count this batch's training step, and no later call (validation runs inside the last batch). Called by tfjs. */
  override async onBatchBegin(): Promise<void> {
    for (const w of this.weightings) w.beginStep();
  }

  /**
   * Stops counting, checks that the model trains with the losses and that the
   * labels are valid, recomputes from the online counts per batch if asked
   * (with fixed counts the weights could not change), then decays the counts.
   * No blocking read: online per batch, one asynchronous read of the counts
   * (in the first epoch, or every batch with decay); otherwise none. Called by tfjs.
   */
  override async onBatchEnd(): Promise<void> {
    // Closing the step settles the label checks too (on WebGL and WebGPU they are read asynchronously): an invalid batch stops training here, named.
    const called = await Promise.all(this.weightings.map((w) => w.endStep()));
    const idle = called.indexOf(false);
    if (idle >= 0) {
      throw new InvalidOptionError(
        this.losses.length > 1 ? `args.losses[${idle}]` : 'args.losses',
        'was not called during a training batch, so its class weights change nothing: the model is not compiled with it. ' +
          'Pass the loss object you gave model.compile({ loss }).',
      );
    }
    // Per batch, the weights follow the running counts (until a first epoch is complete, or always when decayed).
    const counts = await this.source.afterBatch(this.schedule === 'batch');
    if (counts !== undefined) this.apply(counts);
  }

  /** Checks the labels seen, closes the epoch's online counts, and logs the weights on request. Called by tfjs. */
  override async onEpochEnd(_epoch: number, logs?: Logs): Promise<void> {
    // Fixed counts cannot change, and each loss checks its own labels: only online counts need a read.
    if (this.source.online && logs !== undefined) {
      // Resolved first: should the label check throw, tfjs would not free the epoch's logged tensors.
      await resolveScalarLogs(logs as Record<string, unknown>);
    }
    this.renewed = await this.source.endEpoch();
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
    for (const w of this.weightings) w.apply({ reweighting: true });
  }

  /** The class weights and the empty-row weight (the 'as-class' rule) for the current epoch and counts; `undefined` online before anything was counted. */
  private computeAll(counts: ClassCounts | undefined): { classWeights: number[]; emptyRow: number; counts?: ClassCounts } | undefined {
    const C = this.weightings[0]!.numClasses;
    // Before the deferral epoch every row weighs 1 (plain training); the counts still go to losses balanced against them.
    if (this.epoch < (this.config.deferUntilEpoch ?? 0)) return { classWeights: new Array<number>(C).fill(1), emptyRow: 1, ...(counts === undefined ? {} : { counts }) };
    let scheme: SchemeConfig = this.scheme;
    const betas = this.config.betaSchedule;
    if (betas !== undefined && scheme.name === 'ens') {
      scheme = { ...scheme, beta: betas[Math.min(this.epoch, betas.length - 1)]! };
    }
    // No label counted yet (the start of a fit): the losses keep the weights they have, uniform for a new loss,
    // the saved ones for a resumed loss.
    if (counts === undefined) return undefined;
    if (!this.source.online) return { classWeights: classWeights(counts, scheme), emptyRow: emptyRowClassWeight(counts, scheme), counts };
    // Early batches may miss classes: a class seen 0 times gets the largest weight, never Infinity.
    const filled = { ...scheme, emptyClass: scheme.emptyClass ?? 'max' } as SchemeConfig;
    return {
      classWeights: classWeights(counts, filled, { allowFractionalCounts: true }),
      emptyRow: emptyRowClassWeight(counts, filled, { allowFractionalCounts: true }),
      counts,
    };
  }

  /** Sets the weights for the current epoch and counts on the losses (only whether to weigh at all, while nothing was counted). */
  private apply(counts: ClassCounts | undefined): void {
    const all = this.computeAll(counts);
    const reweighting = this.epoch >= (this.config.deferUntilEpoch ?? 0);
    if (all === undefined) {
      for (const w of this.weightings) w.apply({ reweighting });
      return;
    }
    const { classWeights: w, emptyRow } = all;
    // Each loss takes what applies to it: the empty-row weight with 'as-class', the counts for the Distribution-Balanced loss.
    for (const weighting of this.weightings) weighting.apply({ reweighting, classWeights: w, emptyRowWeight: emptyRow, ...(all.counts === undefined ? {} : { classCounts: all.counts }) });
    this.currentWeights = w;
    this.currentEmptyRowWeight = emptyRow;
  }

  /**
   * The counts and weights as a text table.
   *
   * @param online - Online counts already read. Defaults to the last complete epoch's, else a read of the running ones.
   * @returns The table.
   */
  table(online?: OnlineCounts): string {
    const labels = this.config.labels ?? this.currentWeights.map((_, i) => String(i));
    const counts = (online ?? this.source.known())?.positives ?? [];
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
    losses: ReweightableLoss | readonly ReweightableLoss[],
    data?: LabelMatrix | BatchSource<unknown>,
  ): SampleWeightCallback {
    return new SampleWeightCallback({ ...config, losses, ...(data === undefined ? {} : { data }) });
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
