import * as tf from '@tensorflow/tfjs-core';
import {
  InvalidOptionError,
  OutOfRangeError,
  ShapeMismatchError,
  classWeights as schemeWeights,
  emptyRowClassWeight,
  type ClassCounts,
  type ClassWeightsInput,
  type CombineRule,
  type SchemeConfig,
  type SchemeName,
} from '@tfjs-imbalance/weight-schemes';
import {
  checkClassWeights,
  checkOptionNames,
  classWeightArray,
  checkRange,
  describe,
  parseScheme,
  resolveSampleWeightOptions,
  checkFloat32Backend,
} from '@tfjs-imbalance/weight-schemes/internal';
import { checkFrom, type PredictionKind } from './binary-cross-entropy.js';
import { sampleWeightColumn } from './label-weights.js';
import { shapeOf } from './tensor-input.js';

/** Arguments shared by every weighted loss class. */
export interface WeightedLossArgs {
  /**
   * Explicit class weights: one per class, or Keras' `class_weight` dict
   * `{ 0: w0, 1: w1, … }` (a class it leaves out weighs 1; the classes run to
   * its largest key, or to `numClasses`). Defaults to weights from `scheme`
   * and `counts`, else uniform.
   */
  readonly classWeights?: ClassWeightsInput;
  /** The class-weight scheme, used with `counts` here and by the callback. Defaults to `undefined` (the callback's scheme). */
  readonly scheme?: SchemeConfig | SchemeName;
  /** Class counts to compute the initial weights from with `scheme`. Defaults to `undefined` (uniform weights until the callback sets them). */
  readonly counts?: ClassCounts | readonly number[];
  /** The number of classes C, needed when neither `classWeights` nor `counts` is given. Defaults to their length. */
  readonly numClasses?: number;
  /** How the class weights of a row's positive labels combine into the row's weight. Defaults to `'sum'` (the GumGum write-up's rule). */
  readonly combine?: CombineRule;
  /**
   * The weight of a row with no positive label. `'as-class'` treats "no
   * label" as one more class, weighted from its own count by the same scheme
   * (see `emptyRowClassWeight`; 1 until counts are known, and 1 for plain
   * training); the sample-weight callback keeps it up to date with the class
   * weights. A number fixes it; `0` reproduces the GumGum write-up's
   * rule, which drops such rows from the loss. Defaults to
   * `'as-class'`.
   */
  readonly emptyRowWeight?: number | 'as-class';
  /** What the model outputs: logits or probabilities. Defaults to `'logits'`. */
  readonly from?: PredictionKind;
  /** Label smoothing ε in [0, 1): targets become y·(1−ε) + ε/2 (ε/C for categorical). Sample weights still come from the raw labels. Defaults to `0`. */
  readonly labelSmoothing?: number;
  /** The clip of probabilities, with `from: 'probabilities'`. Defaults to `1e-7`. */
  readonly epsilon?: number;
  /** The function name tfjs records for the loss (in saved training configs). Defaults to the class's snake_case name. */
  readonly name?: string;
  /**
   * Let `yTrue` carry one more, last column: each row's own sample weight
   * (Keras' `sample_weight`, for weights that do not come from the labels),
   * which multiplies the row's loss. Pack it with `packSampleWeights(y, w)`
   * and train with `fitDataset` (tfjs' `fit` checks `y` against the output
   * shape and rejects the extra column). Rows given without the column (such
   * as validation data) weigh 1. Multi-hot or one-hot labels only. Defaults
   * to `false`.
   */
  readonly sampleWeightColumn?: boolean;
  /**
   * Check every batch's labels and stop with an error naming `yTrue` and the
   * batch when one is NaN or outside the label range (a label of 2 or −1
   * would otherwise train silently, even to a negative loss). On cpu, wasm
   * and tfjs-node it costs one read of the labels and one JS pass over them
   * per batch, and the batch itself stops. On WebGL and WebGPU the check runs
   * on the device, with no blocking read: its result is read
   * asynchronously, and the error comes after that batch when the
   * sample-weight callback is attached, otherwise at the loss's next call
   * (the validation pass, or the next batch). Defaults to `true`.
   */
  readonly validateLabels?: boolean;
}

/** The option names of {@link WeightedLossArgs}. @internal */
export const WEIGHTED_LOSS_ARGS = [
  'classWeights',
  'scheme',
  'counts',
  'numClasses',
  'combine',
  'emptyRowWeight',
  'from',
  'labelSmoothing',
  'epsilon',
  'name',
  'validateLabels',
  'sampleWeightColumn',
] as const;

/** A loss's config: plain JSON from which {@link lossFromConfig} rebuilds it, with its current class weights. */
export interface WeightedLossConfig {
  /** The loss class, such as `'WeightedBinaryCrossentropy'`. */
  readonly className: string;
  /** The constructor arguments, with the current class weights. */
  readonly config: Record<string, unknown> & {
    /** The class weights when the config was taken. */
    readonly classWeights: readonly number[];
  };
}

/** The label counts a loss recorded from training batches, see {@link WeightedLoss.readCounts}. */
export interface OnlineCounts extends ClassCounts {
  /** How many label values were NaN or outside the label range. */
  readonly invalidLabels: number;
}

/** The layout of the online counts variable: C positives, then rows, empty rows and invalid label values. */
const EXTRA_SLOTS = 3;

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
export abstract class WeightedLoss {
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
  /** `posWeight` [C], for losses that take one. */
  declare protected readonly posWeightVar: tf.Variable | undefined;
  /** `posWeight − 1` [C], cached (posWeight never changes). */
  declare protected readonly posWeightMinusOne: tf.Tensor | undefined;
  /** `posWeight` [C] as numbers, for the JS routes. */
  declare protected readonly posWeightValues: readonly number[] | undefined;
  /** The empty-row weight with `'as-class'`, a scalar variable the callback sets. */
  declare protected readonly emptyRowVar: tf.Variable | undefined;
  /** Online counts recorded since the last read [C + 3]: positives per class, rows, empty rows, invalid label values. */
  declare protected readonly countsVar: tf.Variable;
  /** The online counts read so far, in float64. */
  declare protected readonly countTotals: Float64Array;
  /** Whether every call is counted (setRecording). */
  declare protected recording: boolean;
  /**
   * Whether the labels of the current call were checked and are all 0 or 1
   * (no soft label): a loss may then take a cheaper exact form.
   */
  declare protected binaryBatch: boolean;
  /** Whether rows are weighted from their labels (else every row weighs 1: plain training). */
  declare protected reweighting: boolean;
  /** Whether the next call is counted (recordNextCall). */
  declare protected armed: boolean;
  /** How many times the loss has been called. */
  declare protected calls: number;
  /** The arguments the loss was built with, for getConfig. */
  declare protected readonly args: WeightedLossArgs;
  declare private disposed: boolean;
  declare private awaitingWeights: boolean;
  /** GPU backends: the label checks still being read back, and the first call whose labels were invalid. */
  declare private pendingChecks: Set<Promise<void>>;
  declare private badLabels: { call: number; shape: string } | undefined;

  /**
   * @param args - The arguments; see {@link WeightedLossArgs}.
   * @param defaultName - The snake_case name tfjs records.
   * @param extraArgs - The option names a subclass adds.
   */
  constructor(args: WeightedLossArgs, defaultName: string, extraArgs: readonly string[] = []) {
    if (args === null || typeof args !== 'object') {
      throw new InvalidOptionError(
        'args',
        `must be an object such as { numClasses: 29 } or { scheme: 'ins', counts }, got ${describe(args)}.`,
      );
    }
    checkOptionNames('args', args, [...WEIGHTED_LOSS_ARGS, ...extraArgs]);
    if (args.validateLabels !== undefined && typeof args.validateLabels !== 'boolean') {
      throw new InvalidOptionError('args.validateLabels', `must be true or false, got ${describe(args.validateLabels)}.`);
    }
    if (args.sampleWeightColumn !== undefined && typeof args.sampleWeightColumn !== 'boolean') {
      throw new InvalidOptionError('args.sampleWeightColumn', `must be true or false, got ${describe(args.sampleWeightColumn)}.`);
    }
    // `self` is a real function, so model.compile({ loss }) takes the instance as it is.
    const self = function loss(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
      return (self as unknown as WeightedLoss).call(yTrue, yPred);
    } as unknown as WeightedLoss;
    Object.setPrototypeOf(self, new.target.prototype);
    const name = args.name ?? defaultName;
    if (typeof name !== 'string' || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
      throw new InvalidOptionError('args.name', `must be an identifier such as "weighted_bce", got ${describe(name)}.`);
    }
    Object.defineProperty(self, 'name', { value: name });
    const asClass = args.emptyRowWeight === undefined || args.emptyRowWeight === 'as-class';
    if (!asClass && typeof args.emptyRowWeight !== 'number') {
      throw new InvalidOptionError(
        'args.emptyRowWeight',
        `must be 'as-class' (the default) or a number ≥ 0 such as 1 or 0, got ${describe(args.emptyRowWeight)}.`,
      );
    }
    const { combine, emptyRowWeight } = resolveSampleWeightOptions(
      { combine: args.combine ?? 'sum', emptyRowWeight: asClass ? 1 : (args.emptyRowWeight as number) },
      'args',
    );
    const scheme = args.scheme === undefined ? undefined : parseScheme(args.scheme, 'args.scheme');
    const weights = initialWeights(args, scheme);
    const initialEmpty =
      asClass && args.counts !== undefined && scheme !== undefined && !Array.isArray(args.counts)
        ? emptyRowClassWeight(args.counts as ClassCounts, scheme)
        : 1;
    const posWeight = (args as { posWeight?: readonly number[] }).posWeight;
    const pw = posWeight === undefined ? undefined : checkClassWeights('args.posWeight', posWeight, weights.length);
    const fields: Record<string, unknown> = {
      numClasses: weights.length,
      combine,
      emptyRowWeight: asClass ? 'as-class' : emptyRowWeight,
      from: checkFrom('args.from', args.from ?? 'logits'),
      labelSmoothing: checkRange('args.labelSmoothing', args.labelSmoothing ?? 0, { min: 0, max: 1, maxExclusive: true }),
      epsilon: checkRange('args.epsilon', args.epsilon ?? 1e-7, { min: 0, minExclusive: true, max: 0.5, maxExclusive: true, hint: 'log(0) is −∞; the default is 1e-7.' }),
      scheme,
      args,
      recording: false,
      armed: false,
      binaryBatch: false,
      reweighting: true,
      calls: 0,
      disposed: false,
      pendingChecks: new Set(),
      badLabels: undefined,
      // A scheme with neither counts nor class weights waits for the callback (or setClassWeights) to set its weights.
      awaitingWeights: scheme !== undefined && scheme.name !== 'none' && args.counts === undefined && args.classWeights === undefined,
      emptyRowVar: asClass ? tf.tidy(() => tf.variable(tf.scalar(initialEmpty), false)) : undefined,
      countTotals: new Float64Array(weights.length + EXTRA_SLOTS),
      classWeightsVar: tf.tidy(() => tf.variable(column(weights), false)),
      countsVar: nonTrainable(new Array<number>(weights.length + EXTRA_SLOTS).fill(0)),
      posWeightVar: pw === undefined ? undefined : nonTrainable(pw),
      posWeightValues: pw,
      posWeightMinusOne: pw === undefined ? undefined : tf.tidy(() => tf.keep(tf.tensor1d(pw.map((p) => p - 1)))),
    };
    for (const [k, v] of Object.entries(fields)) {
      Object.defineProperty(self, k, { value: v, writable: true, enumerable: false, configurable: true });
    }
    return self;
  }

  /**
   * The per-sample loss [N]: what tfjs-layers calls with each batch. Checks
   * shapes before any math; every intermediate tensor is disposed.
   *
   * @param yTrue - The batch's labels.
   * @param yPred - The model's outputs.
   * @returns The weighted loss of each sample [N].
   */
  call(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
    this.checkAlive('call');
    checkFloat32Backend(tf, 'the loss');
    // int32 or bool labels (and predictions) are accepted on every backend (the wasm kernels take float32 only).
    if (yTrue.dtype !== 'float32' || yPred.dtype !== 'float32') {
      return tf.tidy(() => this.call(tf.cast(yTrue, 'float32'), tf.cast(yPred, 'float32')));
    }
    if (this.awaitingWeights) {
      throw new InvalidOptionError(
        'args.scheme',
        `is set, but the loss has no class counts, so every class would weigh 1. Pass counts to the loss (counts: countMultiHot(yTrain)), ` +
          'or add sampleWeightCallback({ losses: loss }) to fit({ callbacks }); it counts the labels and sets the weights.',
      );
    }
    const packed = this.args.sampleWeightColumn === true && yTrue.rank === 2 && yPred.rank === 2 && yTrue.shape[1] === yPred.shape[1]! + 1;
    if (!packed) return this.weightedCall(yTrue, yPred);
    // The last column is each row's own weight: split it off, check it, and weigh the rows with it.
    const C = yPred.shape[1]!;
    const [labels, rowWeights] = tf.tidy(() => [tf.slice(yTrue, [0, 0], [-1, C]), tf.slice(yTrue, [0, C], [-1, 1])]);
    try {
      const w = rowWeights!.dataSync();
      for (let i = 0; i < w.length; i++) {
        if (!(w[i]! >= 0 && w[i]! < Infinity)) {
          throw new OutOfRangeError(
            'yTrue',
            `the sample weight in the last column of row ${i} (shape ${shapeOf(yTrue)}) is ${w[i]}; sample weights must be finite and ≥ 0.`,
          );
        }
      }
      return this.weightedCall(labels!, yPred, rowWeights);
    } finally {
      tf.dispose([labels!, rowWeights!]);
    }
  }

  /** {@link WeightedLoss.call} on the labels, with optional per-row weights [N, 1] from a packed column. */
  private weightedCall(yTrue: tf.Tensor, yPred: tf.Tensor, rowWeights?: tf.Tensor): tf.Tensor {
    this.checkShapes(yTrue, yPred);
    this.binaryBatch = false; // known only once this call's labels are checked
    if (this.args.validateLabels !== false) {
      if (readsAreCheap()) this.checkLabelValues(yTrue);
      else this.checkLabelValuesLater(yTrue);
    }
    const record = this.recording || this.armed;
    this.armed = false;
    this.calls++;
    const empty = this.emptyRowVar ?? (this.emptyRowWeight as number);
    return tf.tidy(() =>
      this.weightedPerSample(yTrue, yPred, () => {
        const positives = this.positives(yTrue, yPred);
        const k = tf.sum(positives, -1, true); // positive labels per row [N, 1]
        if (record) this.record(yTrue, positives, k);
        const sw = this.reweighting ? sampleWeightColumn(positives, this.classWeightsVar, this.combine, empty, k) : tf.onesLike(k);
        return { positives, sw: rowWeights === undefined ? sw : tf.mul(sw, rowWeights) };
      }),
    );
  }

  /** Throws, naming `yTrue` and the batch, when the batch's labels are invalid (one read, where reads are cheap). */
  private checkLabelValues(yTrue: tf.Tensor): void {
    if (!this.labelsValid(yTrue)) throw this.labelError(this.calls + 1, shapeOf(yTrue));
  }

  private labelError(call: number, shape: string): OutOfRangeError {
    return new OutOfRangeError(
      'yTrue',
      `the labels of the batch in call ${call} of this loss (shape ${shape}) hold NaN or values outside the label range ` +
        `(${this.labelRange()}). Fix the labels; the loss would be silently wrong. (validateLabels: false skips this check.)`,
    );
  }

  /**
   * The label check without a blocking read (WebGL, WebGPU): the check runs on
   * the device and its one number is read back asynchronously. An invalid
   * batch stops the next call, or {@link WeightedLoss.settleLabelChecks}
   * (the sample-weight callback awaits it after every batch), naming the batch.
   */
  private checkLabelValuesLater(yTrue: tf.Tensor): void {
    this.throwBadLabels();
    const call = this.calls + 1;
    const shape = shapeOf(yTrue);
    const flag = tf.tidy(() => tf.keep(this.invalidLabels(yTrue)));
    // A check leaves the pending set once read, so training without the callback holds none for long.
    const check: Promise<void> = flag
      .data()
      .then((v) => {
        if (v[0]! > 0 && this.badLabels === undefined) this.badLabels = { call, shape };
      })
      .finally(() => {
        flag.dispose();
        this.pendingChecks.delete(check);
      });
    this.pendingChecks.add(check);
  }

  private throwBadLabels(): void {
    const bad = this.badLabels;
    if (bad === undefined) return;
    this.badLabels = undefined;
    throw this.labelError(bad.call, bad.shape);
  }

  /**
   * Waits for the label checks of the calls so far and throws, naming the
   * batch, if one found invalid labels. Only on backends where the loss
   * checks labels without a blocking read (WebGL, WebGPU); elsewhere each
   * call checks its own labels at once and this returns at once. The
   * sample-weight callback calls it after every training batch.
   *
   * @returns When every check so far has been read.
   */
  async settleLabelChecks(): Promise<void> {
    await Promise.all([...this.pendingChecks]);
    this.throwBadLabels();
  }

  /**
   * Whether every label is valid: one JS loop over the labels (on the cpu
   * backend they are already a JS array; on wasm the read costs ~3 ms for 4M
   * labels, less than the three kernels of a tensor check).
   */
  protected labelsValid(yTrue: tf.Tensor): boolean {
    const d = yTrue.dataSync();
    let binary = true;
    for (let i = 0; i < d.length; i++) {
      const v = d[i]!;
      if (!(v >= 0 && v <= 1)) return false;
      if (v !== 0 && v !== 1) binary = false;
    }
    this.binaryBatch = binary;
    return true;
  }

  /** The label range, for error messages. */
  protected labelRange(): string {
    return '[0, 1] for multi-hot labels';
  }

  /** Checks the batch shapes against the loss; throws with both shapes. */
  protected checkShapes(yTrue: tf.Tensor, yPred: tf.Tensor): void {
    if (yPred.rank !== 2) {
      throw new ShapeMismatchError('yPred', `must be [N, C] (one column per class), got shape ${shapeOf(yPred)}.`);
    }
    if (yPred.shape[1] !== this.numClasses) {
      throw new ShapeMismatchError(
        'yPred',
        `has ${yPred.shape[1]} classes (shape ${shapeOf(yPred)}) but the loss has ${this.numClasses} class weights; ` +
          'build the loss with one weight per model output.',
      );
    }
    if (!tf.util.arraysEqual(yTrue.shape, yPred.shape)) {
      const packed = yTrue.rank === 2 && yTrue.shape[1] === this.numClasses + 1;
      throw new ShapeMismatchError(
        'yTrue',
        `has shape ${shapeOf(yTrue)} but yPred has shape ${shapeOf(yPred)}; they must match.` +
          (packed ? ' If the last column holds sample weights (packSampleWeights), build the loss with sampleWeightColumn: true.' : ''),
      );
    }
  }

  /** The 0/1 positive labels [N, C] the sample weights and counts come from. Inside `tf.tidy`. */
  protected positives(yTrue: tf.Tensor, _yPred: tf.Tensor): tf.Tensor {
    // [y ≥ 0.5]: on wasm 1 − step(0.5 − y) is 4× cheaper than a comparison + cast; on cpu the reverse.
    if (tf.getBackend() === 'cpu') return tf.cast(tf.greaterEqual(yTrue, 0.5), 'float32');
    return tf.sub(1, tf.step(tf.sub(0.5, yTrue)));
  }

  /**
   * The loss of each sample [N]. `weights()` gives the positive labels and
   * each sample's weight [N, 1]; fused subclasses call it inside their custom
   * op, off the gradient tape. Inside `tf.tidy`.
   */
  protected abstract weightedPerSample(
    yTrue: tf.Tensor,
    yPred: tf.Tensor,
    weights: () => { positives: tf.Tensor; sw: tf.Tensor },
  ): tf.Tensor;

  /** The labels with label smoothing applied. Inside `tf.tidy`. */
  protected smoothed(yTrue: tf.Tensor, classes = 2): tf.Tensor {
    const y = yTrue.dtype === 'float32' ? yTrue : tf.cast(yTrue, 'float32');
    if (this.labelSmoothing === 0) return y;
    return tf.add(tf.mul(y, 1 - this.labelSmoothing), this.labelSmoothing / classes);
  }

  /**
   * A scalar > 0 when the batch's labels hold NaN or values outside [0, 1]
   * (two reductions, not a pass per check). Inside `tf.tidy`.
   */
  protected invalidLabels(yTrue: tf.Tensor): tf.Tensor {
    const lo = tf.min(yTrue);
    const hi = tf.max(yTrue);
    const bad = tf.logicalOr(tf.logicalNot(tf.greaterEqual(lo, 0)), tf.logicalNot(tf.lessEqual(hi, 1)));
    return tf.cast(bad, 'float32');
  }

  private record(yTrue: tf.Tensor, positives: tf.Tensor, k: tf.Tensor): void {
    const batch = tf.concat([
      tf.reshape(tf.matMul(tf.ones([1, positives.shape[0]!]), positives as tf.Tensor2D), [-1]), // column sums without an axis-0 reduction
      tf.stack([
        tf.scalar(positives.shape[0]!),
        tf.sum(tf.cast(tf.equal(k, 0), 'float32')),
        // With validateLabels the batch was checked before this point, so it holds no invalid label.
        this.args.validateLabels === false ? this.invalidLabels(yTrue) : tf.scalar(0),
      ]),
    ]);
    this.countsVar.assign(tf.add(this.countsVar, batch));
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

  /**
   * @returns The current class weights (a small synchronous read).
   */
  getClassWeights(): number[] {
    this.checkAlive('getClassWeights');
    return Array.from(this.classWeightsVar.dataSync());
  }

  /**
   * {@link WeightedLoss.getClassWeights} with an asynchronous read, for
   * WebGPU (where tfjs' synchronous reads fail) and WebGL (where they stall).
   *
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

  /**
   * @returns The current weight of rows with no positive label.
   */
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
   *
   * @returns The counts and the number of invalid label values.
   */
  readCounts(): OnlineCounts {
    this.checkAlive('readCounts');
    this.flushCounts();
    return this.countsOf(this.countTotals);
  }

  /**
   * {@link WeightedLoss.readCounts} with an asynchronous read: no blocking
   * read on WebGL and WebGPU. The sample-weight callback uses it.
   *
   * @returns The counts and the number of invalid label values.
   */
  async readCountsAsync(): Promise<OnlineCounts> {
    this.checkAlive('readCountsAsync');
    this.addToTotals((await this.countsVar.data()) as Float32Array);
    return this.countsOf(this.countTotals);
  }

  private countsOf(v: Float64Array): OnlineCounts {
    const C = this.numClasses;
    return {
      positives: Array.from(v.subarray(0, C)),
      samples: v[C]!,
      emptyRows: v[C + 1]!,
      invalidLabels: v[C + 2]!,
    };
  }

  private flushCounts(): void {
    this.addToTotals(this.countsVar.dataSync() as Float32Array);
  }

  /** Adds counts read from the device to the float64 totals and clears them there. */
  private addToTotals(v: Float32Array): void {
    if (v.some((x) => x !== 0)) {
      v.forEach((x, i) => (this.countTotals[i]! += x));
      tf.tidy(() => this.countsVar.assign(tf.zerosLike(this.countsVar)));
    }
  }

  /**
   * Multiplies the online counts by a factor (1 keeps them, 0 clears them),
   * for exponentially decayed counts.
   *
   * @param factor - In [0, 1].
   */
  decayCounts(factor: number): void {
    this.checkAlive('decayCounts');
    checkRange('factor', factor, { min: 0, max: 1 });
    // On the device too, without reading it back (no blocking read on WebGL and WebGPU).
    if (factor === 0) tf.tidy(() => this.countsVar.assign(tf.zerosLike(this.countsVar)));
    else if (factor < 1) tf.tidy(() => this.countsVar.assign(tf.mul(this.countsVar, factor)));
    this.countTotals.forEach((x, i) => (this.countTotals[i] = x * factor));
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
   * {@link WeightedLoss.getConfig} with asynchronous reads, for WebGPU (where
   * tfjs' synchronous reads fail) and WebGL. `saveForResume` uses it.
   *
   * @returns The config.
   */
  async getConfigAsync(): Promise<WeightedLossConfig> {
    this.checkAlive('getConfigAsync');
    const emptyRow = this.emptyRowVar === undefined ? undefined : (await this.emptyRowVar.data())[0]!;
    return this.configWith(await this.getClassWeightsAsync(), emptyRow);
  }

  /** The config, from class weights and an 'as-class' empty-row weight already read. Subclasses add their own fields. */
  protected configWith(classWeights: number[], emptyRowWeightValue: number | undefined): WeightedLossConfig {
    const { counts: _counts, ...rest } = this.args;
    const config: Record<string, unknown> = { ...rest, classWeights, numClasses: this.numClasses };
    if (this.scheme !== undefined) config['scheme'] = this.scheme;
    if (emptyRowWeightValue !== undefined) config['emptyRowWeightValue'] = emptyRowWeightValue;
    return { className: (this.constructor as { className?: string }).className ?? this.constructor.name, config: config as WeightedLossConfig['config'] };
  }

  /** Throws a clear error when the loss was disposed (its variables are gone). */
  private checkAlive(method: string): void {
    if (this.disposed) {
      throw new InvalidOptionError(
        'loss',
        `was disposed, so ${method}() cannot use it. Create a new loss (or rebuild it with lossFromConfig from a config taken before dispose()), and dispose it only once training is over.`,
      );
    }
  }

  /** Frees the variables. The loss cannot be used afterwards. */
  dispose(): void {
    if (this.disposed) return;
    this.classWeightsVar.dispose();
    this.countsVar.dispose();
    this.emptyRowVar?.dispose();
    this.posWeightVar?.dispose();
    this.posWeightMinusOne?.dispose();
    this.disposed = true;
  }
}

/**
 * Whether the backend keeps tensors where a synchronous read is a copy, not a
 * wait for the GPU: cpu, wasm and tfjs-node. On WebGL a synchronous read
 * stalls the pipeline, and on WebGPU it fails.
 */
function readsAreCheap(): boolean {
  const b = tf.getBackend();
  return b === 'cpu' || b === 'wasm' || b === 'tensorflow';
}

/** Callable signature of a weighted loss, as `model.compile` sees it. */
export interface WeightedLoss {
  /** Computes the per-sample loss [N]. */
  (yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor;
}

/** The [C, 1] layout of the class-weight variable. */
function column(weights: readonly number[]): tf.Tensor2D {
  return tf.tensor2d(weights as number[], [weights.length, 1]);
}

/**
 * A non-trainable variable holding `values`, with no stray initial tensor.
 * @internal
 */
export function nonTrainable(values: readonly number[]): tf.Variable {
  return tf.tidy(() => tf.variable(tf.tensor1d(values as number[]), false));
}

function initialWeights(args: WeightedLossArgs, scheme: SchemeConfig | undefined): number[] {
  const n = args.numClasses;
  if (n !== undefined && (!Number.isInteger(n) || n < 1)) {
    throw new InvalidOptionError('args.numClasses', `must be a whole number ≥ 1, got ${describe(n)}.`);
  }
  let w: number[];
  if (args.classWeights !== undefined) {
    if (args.counts !== undefined) {
      throw new InvalidOptionError('args', 'got both classWeights and counts; pass explicit classWeights, or scheme + counts.');
    }
    // A dict spans numClasses; an array's length is checked against numClasses below, with both in the message.
    const isList = args.classWeights === null || typeof (args.classWeights as ArrayLike<number>).length === 'number';
    w = classWeightArray('args.classWeights', args.classWeights, isList ? undefined : n);
  } else if (args.counts !== undefined) {
    if (scheme === undefined) {
      throw new InvalidOptionError('args.scheme', "is needed with counts, e.g. { name: 'ens', beta: 0.999 }.");
    }
    w = schemeWeights(args.counts as ClassCounts, scheme);
  } else if (n !== undefined) {
    w = new Array<number>(n).fill(1);
  } else {
    throw new InvalidOptionError(
      'args',
      'needs the number of classes: pass classWeights, scheme + counts, or numClasses (uniform until the callback sets weights).',
    );
  }
  if (w.length === 0) throw new InvalidOptionError('args.classWeights', 'is empty; pass one weight per class.');
  if (n !== undefined && n !== w.length) {
    throw new ShapeMismatchError('args.numClasses', `is ${n} but there are ${w.length} class weights (shape [${w.length}]).`);
  }
  return w;
}
