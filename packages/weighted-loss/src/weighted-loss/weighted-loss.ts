import * as tf from '@tensorflow/tfjs-core';
import { InvalidOptionError, type ClassWeightsInput, type CombineRule, type SchemeConfig } from '@tfjs-imbalance/weight-schemes';
import { checkClassWeights, checkFloat32Backend, classWeightArray, describe } from '@tfjs-imbalance/weight-schemes/internal';
import type { PredictionKind } from '../core/binary-inputs.js';
import { sampleWeightColumn, smoothLabels } from '../core/label-weights.js';
import { routes } from '../core/route.js';
import { asRows, reshapeOffTape } from '../core/binary-inputs.js';
import { unpackSampleWeights } from '../core/pack-sample-weights.js';
import { awaitingWeightsError, column, configOf, disposedError, nonTrainable, resolveArgs, type OnlineCounts, type WeightedLossArgs, type WeightedLossConfig } from './args.js';
import { callableInstance, defineFields } from './callable.js';
import type { BatchWeights, ReweightableLoss } from './contract.js';
export type { BatchWeights, SampleWeightsOfBatch } from './contract.js';
import { LabelChecks, checkMultiHotShapes, multiHotInJs, multiHotOnDevice } from './label-checks.js';
import { OnlineCounter } from './online-counts.js';
import { warnIfProbabilities } from './first-call.js';

/**
 * The base of the weighted losses: a function `(yTrue, yPred) => perSampleLoss [N]`
 * that `model.compile({ loss })` takes as it is, with class weights held in a
 * non-trainable `tf.Variable` that {@link WeightedLoss.setClassWeights} (or
 * the sample-weight callback) changes during `fit` without recompiling.
 *
 * Each sample's weight is derived inside the loss from `yTrue`, because
 * tfjs-layers' `fit` rejects `sampleWeight` and its `classWeight` takes the
 * argmax of multi-label rows.
 */
export abstract class WeightedLoss implements ReweightableLoss {
  /** The number of classes C. */
  declare readonly numClasses: number;
  /** How a row's class weights combine. */
  declare readonly combine: CombineRule;
  /** The weight of rows with no positive label: a fixed number, or `'as-class'` (see {@link WeightedLossArgs.emptyRowWeight}). */
  declare readonly emptyRowWeight: number | 'as-class';
  /** What the model outputs. */
  declare readonly from: PredictionKind;
  /** The label smoothing ε. */
  declare readonly labelSmoothing: number;
  /** The probability clip. */
  declare readonly epsilon: number;
  /** The scheme, if one was given. */
  declare readonly scheme: SchemeConfig | undefined;
  /** The class weights, non-trainable, stored as a column [C, 1] (see sampleWeightColumn). */
  declare protected readonly classWeightsVar: tf.Variable;
  /** `posWeight` [C] as a variable, its `posWeight − 1` (cached: posWeight never changes) and its numbers, for losses that take one. @internal */
  declare protected readonly posWeight: { readonly tensor: tf.Variable; readonly minusOne: tf.Tensor; readonly values: readonly number[] } | undefined;
  /** The empty-row weight with `'as-class'`, a scalar variable the callback sets. */
  declare protected readonly emptyRowVar: tf.Variable | undefined;
  /** The arguments the loss was built with, for getConfig. */
  declare protected readonly args: WeightedLossArgs;
  declare private readonly counter: OnlineCounter;
  declare private readonly labelChecks: LabelChecks;
  /** Whether every call is counted (setRecording), and whether the next one is (recordNextCall). */
  declare private recording: boolean;
  declare private armed: boolean;
  /** Whether rows are weighted from their labels (else every row weighs 1: plain training). */
  declare private reweighting: boolean;
  declare private calls: number;
  declare private disposed: boolean;
  declare private awaitingWeights: boolean;

  /**
   * @param args - The arguments; see {@link WeightedLossArgs}.
   * @param defaultName - The snake_case name tfjs records.
   * @param extraArgs - The option names a subclass adds.
   */
  constructor(args: WeightedLossArgs, defaultName: string, extraArgs: readonly string[] = []) {
    const r = resolveArgs(args, defaultName, extraArgs);
    const self = callableInstance<WeightedLoss>(new.target.prototype, r.name, (loss, yTrue, yPred) => loss.call(yTrue as tf.Tensor, yPred as tf.Tensor));
    const pw = r.posWeight;
    defineFields(self, {
      numClasses: r.weights.length,
      combine: r.combine,
      emptyRowWeight: r.emptyRowWeight,
      from: r.from,
      labelSmoothing: r.labelSmoothing,
      epsilon: r.epsilon,
      scheme: r.scheme,
      args,
      recording: false,
      armed: false,
      reweighting: true,
      calls: 0,
      disposed: false,
      awaitingWeights: r.awaitingWeights,
      labelChecks: new LabelChecks({ inJs: (d, y) => self.labelsInJs(d, y), onDevice: (y) => self.invalidLabels(y), nonBinaryOnDevice: (y) => self.softLabels(y), range: () => self.labelRange() }),
      emptyRowVar: r.emptyRowWeight === 'as-class' ? tf.tidy(() => tf.variable(tf.scalar(r.emptyRowInitial), false)) : undefined,
      classWeightsVar: tf.tidy(() => tf.variable(column(r.weights), false)),
      counter: new OnlineCounter(r.weights.length),
      posWeight: pw === undefined ? undefined : { tensor: nonTrainable(pw), values: pw, minusOne: tf.tidy(() => tf.keep(tf.tensor1d(pw.map((p) => p - 1)))) },
    });
    return self;
  }

  /**
   * The per-sample loss [N]: what tfjs-layers calls with each batch. Checks
   * shapes before any math; every intermediate tensor is disposed.
   *
   * Per-position outputs [N, ..., C] (class axis last: token tagging,
   * segmentation) are weighed per position, from its labels, and give one
   * loss per position [N, ...], as Keras' losses do.
   *
   * @param yTrue - The batch's labels.
   * @param yPred - The model's outputs.
   * @returns The weighted loss of each sample [N] (of each position [N, ...] for [N, ..., C] outputs).
   */
  call(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
    this.checkAlive('call');
    checkFloat32Backend(tf, 'the loss');
    // int32 or bool labels (and predictions) are accepted on every backend (the wasm kernels take float32 only).
    if (yTrue.dtype !== 'float32' || yPred.dtype !== 'float32') {
      return tf.tidy(() => this.call(tf.cast(yTrue, 'float32'), tf.cast(yPred, 'float32')));
    }
    if (this.awaitingWeights) throw awaitingWeightsError();
    if (yPred.rank > 2) {
      // Per-position outputs [N, ..., C]: each position a row; its loss comes back [N, ...], whose mean tfjs takes (Keras' sum_over_batch_size).
      this.checkShapes(yTrue, yPred);
      return tf.tidy(() => reshapeOffTape(this.call(this.labelRows(yTrue, yPred), asRows(yPred)), yPred.shape.slice(0, -1)));
    }
    // With sampleWeightColumn, a last column of yTrue holds each row's own weight.
    return unpackSampleWeights(yTrue, yPred, this.args.sampleWeightColumn === true, (labels, rowWeights) => this.weightedCall(labels, yPred, rowWeights));
  }

  /** {@link WeightedLoss.call} on the labels, with optional per-row weights [N, 1] from a packed column. */
  private weightedCall(yTrue: tf.Tensor, yPred: tf.Tensor, rowWeights?: tf.Tensor): tf.Tensor {
    this.checkShapes(yTrue, yPred);
    // Whether this call's labels were checked and are all 0 or 1: known only once they are read.
    const binary = this.args.validateLabels !== false && this.labelChecks.check(yTrue, this.calls + 1);
    if (this.calls === 0) warnIfProbabilities(yPred, this.from, (this as unknown as { name: string }).name);
    const record = this.recording || this.armed;
    this.armed = false;
    this.calls++;
    const empty = this.emptyRowVar ?? (this.emptyRowWeight as number);
    return tf.tidy(() =>
      this.weightedPerSample(yTrue, yPred, {
        binary,
        weights: () => {
          const positives = this.positives(yTrue, yPred);
          const k = tf.sum(positives, -1, true); // positive labels per row [N, 1]
          // With validateLabels the batch was checked before this point, so it holds no invalid label.
          if (record) this.counter.record(positives, k, this.args.validateLabels === false ? this.invalidLabels(yTrue) : tf.scalar(0), this.countedRows(yTrue, yPred));
          const sw = this.reweighting ? sampleWeightColumn(positives, this.classWeightsVar, this.combine, empty, k) : tf.onesLike(k);
          return { positives, sw: rowWeights === undefined ? sw : tf.mul(sw, rowWeights) };
        },
      }),
    );
  }

  /**
   * Waits for the label checks of the calls so far and throws, naming the batch, if one found invalid labels: on WebGL
   * and WebGPU, where checks are read asynchronously (elsewhere each call checks its own labels at once). The
   * sample-weight callback calls it after every training batch.
   * @returns When every check so far has been read.
   */
  async settleLabelChecks(): Promise<void> {
    await this.labelChecks.settle();
  }

  /** Checks labels read into JS: `undefined` if one is NaN or out of range, else whether all are 0 or 1. Multi-hot by default. @internal */
  protected labelsInJs(values: ArrayLike<number>, _yTrue: tf.Tensor): { binary: boolean } | undefined {
    return multiHotInJs(values);
  }

  /** A scalar > 0 when the batch's labels hold NaN or values outside the label range, on the device. Inside `tf.tidy`. */
  protected invalidLabels(yTrue: tf.Tensor): tf.Tensor {
    return multiHotOnDevice(yTrue);
  }

  /** A scalar > 0 when the batch holds soft labels (neither 0 nor 1), on the device, for losses with a cheaper form for 0/1 labels; else `undefined`. Inside `tf.tidy`. */
  protected softLabels(_yTrue: tf.Tensor): tf.Tensor | undefined {
    return undefined;
  }

  /** The label range, for error messages. */
  protected labelRange(): string {
    return '[0, 1] for multi-hot labels';
  }

  /** The labels of per-position outputs [N, ..., C] as rows [M, C] (or [M] class indices), after checkShapes. Multi-hot by default. Inside `tf.tidy`. */
  protected labelRows(yTrue: tf.Tensor, _yPred: tf.Tensor): tf.Tensor {
    return asRows(yTrue);
  }

  /** Checks the batch shapes against the loss; throws with both shapes. Multi-hot by default. */
  protected checkShapes(yTrue: tf.Tensor, yPred: tf.Tensor): void {
    checkMultiHotShapes(yTrue, yPred, this.numClasses);
  }

  /** Which rows carry a label, 0/1 [N, 1], when some do not (an ignored class; only those are counted); `undefined`: every row. Inside `tf.tidy`. */
  protected countedRows(_yTrue: tf.Tensor, _yPred: tf.Tensor): tf.Tensor | undefined {
    return undefined;
  }

  /** The 0/1 positive labels [N, C] the sample weights and counts come from. Inside `tf.tidy`. */
  protected positives(yTrue: tf.Tensor, _yPred: tf.Tensor): tf.Tensor {
    // [y ≥ 0.5]: on wasm 1 − step(0.5 − y) is 4× cheaper than a comparison + cast; on cpu the reverse.
    if (routes().cpu) return tf.cast(tf.greaterEqual(yTrue, 0.5), 'float32');
    return tf.sub(1, tf.step(tf.sub(0.5, yTrue)));
  }

  /**
   * The loss of each sample [N]. `batch.weights()` gives the positive labels
   * and each sample's weight [N, 1]; fused losses call it inside their custom
   * op, off the gradient tape. `batch.binary` says whether this call's labels
   * were checked and are all 0 or 1 (a loss may then take a cheaper exact
   * form). Inside `tf.tidy`.
   */
  protected abstract weightedPerSample(yTrue: tf.Tensor, yPred: tf.Tensor, batch: BatchWeights): tf.Tensor;

  /** The labels with label smoothing applied (Keras’ form: y·(1 − ε) + ε/classes). Inside `tf.tidy`. */
  protected smoothed(yTrue: tf.Tensor, classes = 2): tf.Tensor {
    return smoothLabels(yTrue, this.labelSmoothing, classes);
  }

  /**
   * Replaces the class weights; the next batch uses them. No recompiling.
   *
   * @param weights - One finite weight ≥ 0 per class, or a `{ classIndex: weight }` dict (classes it leaves out weigh 1).
   *
   * @example
   * ```ts
   * loss.setClassWeights(classWeights(counts, { name: 'ens', beta: 0.999 }));
   * loss.setClassWeights({ 2: 5 }); // as Keras' class_weight: class 2 weighs 5, the others 1
   * ```
   */
  setClassWeights(weights: ClassWeightsInput): void {
    this.checkAlive('setClassWeights');
    this.awaitingWeights = false;
    const w = classWeightArray('weights', weights, this.numClasses);
    tf.tidy(() => this.classWeightsVar.assign(column(w)));
  }

  /** @returns The current class weights (a small synchronous read). */
  getClassWeights(): number[] {
    this.checkAlive('getClassWeights');
    return Array.from(this.classWeightsVar.dataSync());
  }

  /**
   * {@link WeightedLoss.getClassWeights} with an asynchronous read, for WebGPU (where tfjs' synchronous reads fail) and WebGL (where they stall).
   * @returns The current class weights.
   */
  async getClassWeightsAsync(): Promise<number[]> {
    this.checkAlive('getClassWeightsAsync');
    return Array.from(await this.classWeightsVar.data());
  }

  /**
   * Turns the weighting on or off. Off, every row weighs 1, whatever its
   * labels: plain training, as deferred re-weighting (DRW, Cao et al. 2019)
   * trains before its deferral epoch. With the sum rule, class weights of 1
   * would still weigh a row by its number of labels; this does not. The
   * sample-weight callback's `deferUntilEpoch` uses it. Online counts are
   * recorded either way.
   *
   * @param on - `true` (the default state) weighs rows from their labels; `false` weighs every row 1.
   */
  setReweighting(on: boolean): void {
    if (typeof on !== 'boolean') throw new InvalidOptionError('on', `must be true or false, got ${describe(on)}.`);
    this.reweighting = on;
  }

  /** @returns Whether rows are weighted from their labels (see {@link WeightedLoss.setReweighting}). */
  isReweighting(): boolean {
    return this.reweighting;
  }

  /**
   * Sets the weight of rows with no positive label, for a loss built with
   * `emptyRowWeight: 'as-class'` (the callback does this with the class
   * weights, from the same counts).
   *
   * @param weight - A finite weight ≥ 0, such as `emptyRowClassWeight(counts, scheme)`.
   */
  setEmptyRowWeight(weight: number): void {
    this.checkAlive('setEmptyRowWeight');
    if (this.emptyRowVar === undefined) {
      throw new InvalidOptionError(
        'weight',
        `cannot be set: this loss was built with the fixed emptyRowWeight ${String(this.emptyRowWeight)}; ` +
          "build it with emptyRowWeight: 'as-class' to have the weight follow the counts.",
      );
    }
    checkClassWeights('weight', [weight]);
    tf.tidy(() => this.emptyRowVar!.assign(tf.scalar(weight)));
  }

  /** @returns The current weight of rows with no positive label. */
  getEmptyRowWeight(): number {
    this.checkAlive('getEmptyRowWeight');
    return this.emptyRowVar === undefined ? (this.emptyRowWeight as number) : this.emptyRowVar.dataSync()[0]!;
  }

  /**
   * Counts every call into the online counts while on (for counting by
   * hand). The callback uses {@link WeightedLoss.recordNextCall} instead.
   *
   * @param on - Whether to count; `false` also cancels a pending {@link WeightedLoss.recordNextCall}.
   */
  setRecording(on: boolean): void {
    this.checkAlive('setRecording');
    this.recording = on;
    if (!on) this.armed = false;
  }

  /**
   * Counts the next call only: the training step of the current batch. In
   * `model.fit`, tfjs-layers runs validation inside the last training batch,
   * after its training step, so a window open for the whole batch would count
   * the validation rows too; this one closes after the training step.
   */
  recordNextCall(): void {
    this.checkAlive('recordNextCall');
    this.armed = true;
  }

  /** How many times tfjs (or anyone) has called this loss; the callback uses it to check that the model trains with it. */
  get callCount(): number {
    return this.calls;
  }

  /**
   * The label counts of the batches recorded so far (possibly decayed, so
   * possibly fractional), and how many label values were invalid. The
   * device holds only the counts since the last read, in float32; each read
   * adds them to float64 totals, so counts stay exact beyond 2^24.
   * @returns The counts and the number of invalid label values.
   */
  readCounts(): OnlineCounts {
    this.checkAlive('readCounts');
    return this.counter.read();
  }

  /**
   * {@link WeightedLoss.readCounts} with an asynchronous read: no blocking
   * read on WebGL and WebGPU. The sample-weight callback uses it.
   *
   * @returns The counts and the number of invalid label values.
   */
  async readCountsAsync(): Promise<OnlineCounts> {
    this.checkAlive('readCountsAsync');
    return this.counter.readAsync();
  }

  /**
   * Multiplies the online counts by a factor (1 keeps them, 0 clears them),
   * for exponentially decayed counts.
   *
   * @param factor - In [0, 1].
   */
  decayCounts(factor: number): void {
    this.checkAlive('decayCounts');
    this.counter.decay(factor);
  }

  /**
   * The loss as JSON, with its current class weights; {@link lossFromConfig} rebuilds it.
   *
   * @returns The config.
   */
  getConfig(): WeightedLossConfig {
    this.checkAlive('getConfig');
    return this.configWith(this.getClassWeights(), this.emptyRowVar === undefined ? undefined : this.getEmptyRowWeight());
  }

  /**
   * {@link WeightedLoss.getConfig} with asynchronous reads, for WebGPU (where tfjs' synchronous reads fail) and WebGL. `saveForResume` uses it.
   * @returns The config.
   */
  async getConfigAsync(): Promise<WeightedLossConfig> {
    this.checkAlive('getConfigAsync');
    const emptyRow = this.emptyRowVar === undefined ? undefined : (await this.emptyRowVar.data())[0]!;
    return this.configWith(await this.getClassWeightsAsync(), emptyRow);
  }

  /** The config, from class weights and an 'as-class' empty-row weight already read. Subclasses add their own fields. */
  protected configWith(classWeights: number[], emptyRowWeightValue: number | undefined): WeightedLossConfig {
    return configOf(this.constructor, this.args, { classWeights, numClasses: this.numClasses, scheme: this.scheme, emptyRowWeightValue });
  }

  /** Throws a clear error when the loss was disposed (its variables are gone). */
  private checkAlive(method: string): void {
    if (this.disposed) throw disposedError(method);
  }

  /** Frees the variables. The loss cannot be used afterwards. */
  dispose(): void {
    if (this.disposed) return;
    this.classWeightsVar.dispose();
    this.counter.dispose();
    this.emptyRowVar?.dispose();
    if (this.posWeight !== undefined) tf.dispose([this.posWeight.tensor, this.posWeight.minusOne]);
    this.disposed = true;
  }
}

/** Callable signature of a weighted loss, as `model.compile` sees it. */
export interface WeightedLoss {
  /** Computes the per-sample loss [N]. */
  (yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor;
}
