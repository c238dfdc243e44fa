import * as tf from '@tensorflow/tfjs-core';
import type { ClassCounts, ClassWeightsInput, CombineRule, SchemeConfig, Task } from '@tfjs-imbalance/weight-schemes';
import { checkFloat32Backend } from '@tfjs-imbalance/weight-schemes/internal';
import type { PredictionKind } from '../core/binary-inputs.js';
import { smoothLabels } from '../core/label-weights.js';
import { routes } from '../core/route.js';
import { asRows, reshapeOffTape } from '../core/binary-inputs.js';
import { unpackSampleWeights } from '../core/pack-sample-weights.js';
import { configOf, nonTrainable, resolveArgs, type OnlineCounts, type WeightedLossArgs, type WeightedLossConfig } from './args.js';
import { callableInstance, defineFields } from './callable.js';
import type { BatchWeights, ReweightableLoss, Weighting } from './contract.js';
export type { BatchWeights, SampleWeightsOfBatch } from './contract.js';
import { checkMultiHotShapes, multiHotInJs, multiHotOnDevice } from './label-checks.js';
import { LossWeighting } from './weighting.js';
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
  /** `posWeight` [C] as a variable, its `posWeight − 1` (cached: posWeight never changes) and its numbers, for losses that take one. @internal */
  declare protected readonly posWeight: { readonly tensor: tf.Variable; readonly minusOne: tf.Tensor; readonly values: readonly number[] } | undefined;
  /** The arguments the loss was built with, for getConfig. */
  declare protected readonly args: WeightedLossArgs;
  /**
   * The loss's weighting state: class weights, online counts, label checks.
   * The sample-weight callback drives it through {@link Weighting}; use the
   * loss's own methods ({@link WeightedLoss.setClassWeights}, …) by hand.
   */
  declare readonly weighting: Weighting;
  /** The same object as {@link WeightedLoss.weighting}, with what the loss itself uses. */
  declare private readonly state: LossWeighting;

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
      state: new LossWeighting({
        ...r,
        numClasses: r.weights.length,
        // Subclasses set these after this constructor: the weighting asks the loss when it needs them.
        ignoreClass: () => (self as { ignoreClass?: number }).ignoreClass,
        onClassCounts: (c: ClassCounts) => (self as { setClassCounts?: (c: ClassCounts) => void }).setClassCounts?.(c),
        labelRules: { inJs: (d, y) => self.labelsInJs(d, y), onDevice: (y) => self.invalidLabels(y), nonBinaryOnDevice: (y) => self.softLabels(y), range: () => self.labelRange() },
      }),
      posWeight: pw === undefined ? undefined : { tensor: nonTrainable(pw), values: pw, minusOne: tf.tidy(() => tf.keep(tf.tensor1d(pw.map((p) => p - 1)))) },
    });
    defineFields(self, { weighting: self.state });
    return self;
  }

  /** What the loss trains: `'multilabel'` (a sigmoid per class) here, `'multiclass'` for the softmax losses. F-beta reads it to tell how a model's outputs are meant. */
  get task(): Task {
    return 'multilabel';
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
    this.state.checkCallable();
    checkFloat32Backend(tf, 'the loss');
    // int32 or bool labels (and predictions) are accepted on every backend (the wasm kernels take float32 only).
    if (yTrue.dtype !== 'float32' || yPred.dtype !== 'float32') {
      return tf.tidy(() => this.call(tf.cast(yTrue, 'float32'), tf.cast(yPred, 'float32')));
    }
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
    const validate = this.args.validateLabels !== false;
    const { binary, first, counted } = this.state.open(yTrue, validate);
    if (first) warnIfProbabilities(yPred, this.from, (this as unknown as { name: string }).name);
    return tf.tidy(() =>
      this.weightedPerSample(yTrue, yPred, {
        binary,
        weights: () => {
          const positives = this.positives(yTrue, yPred);
          const k = tf.sum(positives, -1, true); // positive labels per row [N, 1]
          // With validateLabels the batch was checked before this point, so it holds no invalid label.
          const sw = this.state.rowWeights(positives, k, counted, () => (validate ? tf.scalar(0) : this.invalidLabels(yTrue)), counted ? this.countedRows(yTrue, yPred) : undefined);
          return { positives, sw: rowWeights === undefined ? sw : tf.mul(sw, rowWeights) };
        },
      }),
    );
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
    this.state.setClassWeights(weights);
  }

  /** @returns The current class weights (a small synchronous read). */
  getClassWeights(): number[] {
    return this.state.classWeights();
  }

  /**
   * {@link WeightedLoss.getClassWeights} with an asynchronous read, for WebGPU (where tfjs' synchronous reads fail) and WebGL (where they stall).
   * @returns The current class weights.
   */
  async getClassWeightsAsync(): Promise<number[]> {
    return this.state.classWeightsAsync();
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
    this.state.setReweighting(on);
  }

  /** @returns Whether rows are weighted from their labels (see {@link WeightedLoss.setReweighting}). */
  isReweighting(): boolean {
    return this.state.isReweighting();
  }

  /**
   * Sets the weight of rows with no positive label, for a loss built with
   * `emptyRowWeight: 'as-class'` (the callback does this with the class
   * weights, from the same counts).
   *
   * @param weight - A finite weight ≥ 0, such as `emptyRowClassWeight(counts, scheme)`.
   */
  setEmptyRowWeight(weight: number): void {
    this.state.setEmptyRowWeight(weight);
  }

  /** @returns The current weight of rows with no positive label. */
  getEmptyRowWeight(): number {
    return this.state.emptyRowWeight();
  }

  /**
   * Counts every call into the online counts while on, for counting by hand
   * ({@link WeightedLoss.readCounts}). The sample-weight callback counts
   * training steps only, through {@link Weighting.beginStep}.
   *
   * @param on - Whether to count.
   */
  setRecording(on: boolean): void {
    this.state.setRecording(on);
  }

  /**
   * The label counts of the batches recorded so far (possibly decayed, so
   * possibly fractional), and how many label values were invalid. The
   * device holds only the counts since the last read, in float32; each read
   * adds them to float64 totals, so counts stay exact beyond 2^24.
   * `loss.weighting.counts()` reads them without blocking.
   * @returns The counts and the number of invalid label values.
   */
  readCounts(): OnlineCounts {
    return this.state.readCounts();
  }

  /**
   * The loss as JSON, with its current class weights; {@link lossFromConfig} rebuilds it.
   *
   * @returns The config.
   */
  getConfig(): WeightedLossConfig {
    this.state.checkAlive('getConfig');
    return this.configWith(this.getClassWeights(), this.state.emptyRowVar === undefined ? undefined : this.getEmptyRowWeight());
  }

  /**
   * {@link WeightedLoss.getConfig} with asynchronous reads, for WebGPU (where tfjs' synchronous reads fail) and WebGL. `saveForResume` uses it.
   * @returns The config.
   */
  async getConfigAsync(): Promise<WeightedLossConfig> {
    this.state.checkAlive('getConfigAsync');
    const emptyRowVar = this.state.emptyRowVar;
    const emptyRow = emptyRowVar === undefined ? undefined : (await emptyRowVar.data())[0]!;
    return this.configWith(await this.getClassWeightsAsync(), emptyRow);
  }

  /** The config, from class weights and an 'as-class' empty-row weight already read. Subclasses add their own fields. */
  protected configWith(classWeights: number[], emptyRowWeightValue: number | undefined): WeightedLossConfig {
    return configOf(this.constructor, this.args, { classWeights, numClasses: this.numClasses, scheme: this.scheme, emptyRowWeightValue });
  }

  /** Frees the variables. The loss cannot be used afterwards. */
  dispose(): void {
    this.state.dispose();
    if (this.posWeight !== undefined) tf.dispose([this.posWeight.tensor, this.posWeight.minusOne]);
    defineFields(this, { posWeight: undefined });
  }
}

/** Callable signature of a weighted loss, as `model.compile` sees it. */
export interface WeightedLoss {
  /** Computes the per-sample loss [N]. */
  (yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor;
}
