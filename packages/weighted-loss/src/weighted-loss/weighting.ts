import * as tf from '@tensorflow/tfjs-core';
import { InvalidOptionError, OutOfRangeError, type ClassCounts, type ClassWeightsInput, type CombineRule, type SchemeConfig } from '@tfjs-imbalance/weight-schemes';
import { checkClassWeights, checkConstraint, checkRange, classWeightArray } from '@tfjs-imbalance/weight-schemes/internal';
import type { PredictionKind } from '../core/binary-inputs.js';
import { sampleWeightColumn } from '../core/label-weights.js';
import { awaitingWeightsError, column, disposedError, type OnlineCounts } from './args.js';
import type { Weighting, WeightingUpdate } from './contract.js';
import { LabelChecks, type LabelRules } from './label-checks.js';
import { OnlineCounter } from './online-counts.js';

/** What a loss class gives its weighting when it is built. @internal */
export interface WeightingInit {
  readonly numClasses: number;
  readonly from: PredictionKind;
  readonly scheme: SchemeConfig | undefined;
  /** The loss's ignored class, asked when needed (subclasses set it after the base constructor). */
  readonly ignoreClass: () => number | undefined;
  readonly combine: CombineRule;
  readonly emptyRowWeight: number | 'as-class';
  readonly emptyRowInitial: number;
  readonly weights: readonly number[];
  readonly awaitingWeights: boolean;
  readonly labelRules: LabelRules;
  /** Where class counts go: to a loss balanced against them (the Distribution-Balanced loss), else nowhere. */
  readonly onClassCounts: (counts: ClassCounts) => void;
}

/**
 * The weighting state a loss owns: its class weights and empty-row weight
 * (non-trainable variables), whether it weighs rows at all, its online label
 * counts and its label checks. The loss reads it in every call; the
 * sample-weight callback drives it through {@link Weighting}, the only way
 * in; users change it through the loss's own methods.
 * @internal
 */
export class LossWeighting implements Weighting {
  readonly numClasses: number;
  readonly from: PredictionKind;
  readonly scheme: SchemeConfig | undefined;
  /** The class weights, stored as a column [C, 1] (see sampleWeightColumn). */
  readonly classWeightsVar: tf.Variable;
  /** The empty-row weight with `'as-class'`, a scalar variable; `undefined` with a fixed one. */
  readonly emptyRowVar: tf.Variable | undefined;
  private readonly emptyRowFixed: number;
  private readonly combine: CombineRule;
  private readonly counter: OnlineCounter;
  private readonly labelChecks: LabelChecks;
  private readonly onClassCounts: (counts: ClassCounts) => void;
  private readonly ignored: () => number | undefined;
  /** Whether every call is counted (by hand), and whether the current training step's next call is. */
  private recording = false;
  private armed = false;
  private reweighting = true;
  private awaitingWeights: boolean;
  private calls = 0;
  private callsAtStep = 0;
  private disposed = false;

  constructor(init: WeightingInit) {
    this.numClasses = init.numClasses;
    this.from = init.from;
    this.scheme = init.scheme;
    this.ignored = init.ignoreClass;
    this.combine = init.combine;
    this.awaitingWeights = init.awaitingWeights;
    this.onClassCounts = init.onClassCounts;
    this.emptyRowFixed = init.emptyRowWeight === 'as-class' ? init.emptyRowInitial : init.emptyRowWeight;
    this.emptyRowVar = init.emptyRowWeight === 'as-class' ? tf.tidy(() => tf.variable(tf.scalar(init.emptyRowInitial), false)) : undefined;
    this.classWeightsVar = tf.tidy(() => tf.variable(column(init.weights), false));
    this.counter = new OnlineCounter(init.numClasses);
    this.labelChecks = new LabelChecks(init.labelRules);
  }

  // The contract (Weighting): what a fit session drives.

  get ignoreClass(): number | undefined {
    return this.ignored();
  }

  async attach(): Promise<number[]> {
    this.checkAlive('attach');
    this.awaitingWeights = false;
    this.counter.decay(0);
    this.armed = false;
    return this.classWeightsAsync();
  }

  apply(update: WeightingUpdate): void {
    this.checkAlive('apply');
    if (update.reweighting !== undefined) this.setReweighting(update.reweighting);
    if (update.classWeights !== undefined) this.setClassWeights(update.classWeights);
    if (update.emptyRowWeight !== undefined && this.emptyRowVar !== undefined) this.setEmptyRowWeight(update.emptyRowWeight);
    if (update.classCounts !== undefined) {
      const c = update.classCounts;
      // A class present in every row counted so far would make log(N/n_c − 1) infinite: count N one higher.
      const most = Math.max(...c.positives);
      this.onClassCounts(most < c.samples ? c : { ...c, samples: most + 1 });
    }
  }

  beginStep(): void {
    this.checkAlive('beginStep');
    this.callsAtStep = this.calls;
    this.armed = true;
  }

  async endStep(): Promise<boolean> {
    this.checkAlive('endStep');
    this.armed = false;
    const called = this.calls > this.callsAtStep;
    await this.labelChecks.settle();
    return called;
  }

  async counts(options: { readonly restart?: boolean } = {}): Promise<OnlineCounts> {
    this.checkAlive('counts');
    const c = await this.counter.readAsync();
    if (options.restart === true) this.counter.decay(0);
    if (c.invalidLabels > 0) {
      throw new OutOfRangeError(
        'yTrue',
        `${c.invalidLabels} training label value(s) were NaN or outside the label range ([0, 1] for multi-hot or one-hot labels, ` +
          '[0, C) for class indices). Fix the labels: the weighted loss would be silently wrong.',
      );
    }
    return c;
  }

  decay(factor: number): void {
    this.checkAlive('decay');
    this.counter.decay(checkRange('factor', factor, { min: 0, max: 1, minExclusive: true }));
  }

  // What the loss's own methods use.

  /** Replaces the class weights; the next batch uses them. */
  setClassWeights(weights: ClassWeightsInput): void {
    this.checkAlive('setClassWeights');
    this.awaitingWeights = false;
    const w = classWeightArray('weights', weights, this.numClasses);
    tf.tidy(() => this.classWeightsVar.assign(column(w)));
  }

  /** The class weights, read asynchronously. */
  async classWeightsAsync(): Promise<number[]> {
    this.checkAlive('getClassWeightsAsync');
    return Array.from(await this.classWeightsVar.data());
  }

  /** The class weights, with a small synchronous read. */
  classWeights(): number[] {
    this.checkAlive('getClassWeights');
    return Array.from(this.classWeightsVar.dataSync());
  }

  setReweighting(on: boolean): void {
    checkConstraint('on', on, 'boolean');
    this.reweighting = on;
  }

  isReweighting(): boolean {
    return this.reweighting;
  }

  setEmptyRowWeight(weight: number): void {
    this.checkAlive('setEmptyRowWeight');
    if (this.emptyRowVar === undefined) {
      throw new InvalidOptionError(
        'weight',
        `cannot be set: this loss was built with the fixed emptyRowWeight ${String(this.emptyRowFixed)}; ` +
          "build it with emptyRowWeight: 'as-class' to have the weight follow the counts.",
      );
    }
    checkClassWeights('weight', [weight]);
    tf.tidy(() => this.emptyRowVar!.assign(tf.scalar(weight)));
  }

  emptyRowWeight(): number {
    this.checkAlive('getEmptyRowWeight');
    return this.emptyRowVar === undefined ? this.emptyRowFixed : this.emptyRowVar.dataSync()[0]!;
  }

  setRecording(on: boolean): void {
    this.checkAlive('setRecording');
    checkConstraint('on', on, 'boolean');
    this.recording = on;
    if (!on) this.armed = false;
  }

  readCounts(): OnlineCounts {
    this.checkAlive('readCounts');
    return this.counter.read();
  }

  // What the loss's call uses.

  /**
   * Opens one call of the loss: checks its labels (unless `validate` is
   * false) and says whether it is counted; a training step counts its first
   * call only (tfjs' `fit` runs validation inside the last batch).
   */
  open(yTrue: tf.Tensor, validate: boolean): { binary: boolean; first: boolean; counted: boolean } {
    const binary = validate && this.labelChecks.check(yTrue, this.calls + 1);
    const counted = this.recording || this.armed;
    this.armed = false;
    this.calls++;
    return { binary, first: this.calls === 1, counted };
  }

  /**
   * Each row's weight [N, 1] from its positive labels [N, C] and their
   * count per row k [N, 1]; records them in the online counts when the call
   * is counted. Inside `tf.tidy`.
   */
  rowWeights(positives: tf.Tensor, k: tf.Tensor, counted: boolean, invalid: () => tf.Tensor, countedRows: tf.Tensor | undefined): tf.Tensor {
    if (counted) this.counter.record(positives, k, invalid(), countedRows);
    return this.reweighting ? sampleWeightColumn(positives, this.classWeightsVar, this.combine, this.emptyRowVar ?? this.emptyRowFixed, k) : tf.onesLike(k);
  }

  /** Throws when the loss was disposed, or has a scheme but no weights yet: before a call of the loss. */
  checkCallable(): void {
    this.checkAlive('call');
    if (this.awaitingWeights) throw awaitingWeightsError();
  }

  /** Throws a clear error, naming `method`, when the loss was disposed (its variables are gone). */
  checkAlive(method: string): void {
    if (this.disposed) throw disposedError(method);
  }

  dispose(): void {
    if (this.disposed) return;
    this.classWeightsVar.dispose();
    this.counter.dispose();
    this.emptyRowVar?.dispose();
    this.disposed = true;
  }
}
