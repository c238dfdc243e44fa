import * as tf from '@tensorflow/tfjs-core';
import {
  InvalidOptionError,
  ShapeMismatchError,
  classWeights as schemeWeights,
  type ClassCounts,
  type ClassWeightsInput,
  type CombineRule,
  type SchemeConfig,
  type SchemeName,
} from '@tfjs-imbalance/weight-schemes';
import { checkClassWeights, checkOptionNames, checkRange, classWeightArray, describe, optionNames, parseScheme, resolveSampleWeightOptions, checkConstraint, checkDeclared } from '@tfjs-imbalance/weight-schemes/internal';
import { emptyRowClassWeight } from '@tfjs-imbalance/weight-schemes';
import { checkEpsilon, checkFrom, type PredictionKind } from '../core/binary-inputs.js';

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
  /**
   * How the class weights of a row's positive labels combine into the row's
   * weight. Defaults to `'sum'` (the GumGum write-up's rule).
   *
   * "No weights" (`numClasses` alone, every class weight 1) is not plain
   * binary cross-entropy under the sum rule: a row weighs its number of
   * positive labels (a row of 3 labels counts 3 times; the per-sample loss of
   * `[1, 1, 1, 0]` is 3× plain BCE's). This is the write-up's rule and is
   * kept. For plain BCE with the same object, use `combine: 'mean'` (every
   * labelled row weighs 1 with weights of 1) or `setReweighting(false)`
   * (every row weighs 1, whatever the weights), which is how the search and
   * the demo train their plain baseline.
   */
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
export const WEIGHTED_LOSS_ARGS = optionNames<WeightedLossArgs>()(
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
);

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


/** The [C, 1] layout of the class-weight variable (see sampleWeightColumn). @internal */
export function column(weights: readonly number[]): tf.Tensor2D {
  return tf.tensor2d(weights as number[], [weights.length, 1]);
}

/**
 * A non-trainable variable holding `values`, with no stray initial tensor.
 * @internal
 */
export function nonTrainable(values: readonly number[]): tf.Variable {
  return tf.tidy(() => tf.variable(tf.tensor1d(values as number[]), false));
}

/** The length of an array or typed array with at least one element, else `undefined`. */
function listLength(v: unknown): number | undefined {
  const n = (v as ArrayLike<unknown> | null | undefined)?.length;
  return typeof n === 'number' && n > 0 && typeof v === 'object' ? n : undefined;
}

/** The initial class weights: explicit ones, or from scheme + counts, or uniform for numClasses (or posWeight's length). @internal */
export function initialWeights(args: WeightedLossArgs, scheme: SchemeConfig | undefined): number[] {
  const n = args.numClasses;
  if (n !== undefined) checkConstraint('args.numClasses', n, { whole: { min: 1 } });
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
  } else if (listLength((args as { posWeight?: unknown }).posWeight) !== undefined) {
    // One posWeight per class says how many classes there are, as PyTorch's pos_weight does.
    w = new Array<number>(listLength((args as { posWeight?: unknown }).posWeight)!).fill(1);
  } else {
    throw new InvalidOptionError(
      'args',
      'needs the number of classes: pass classWeights, scheme + counts, posWeight (one per class), or numClasses (uniform until the callback sets weights).',
    );
  }
  if (w.length === 0) throw new InvalidOptionError('args.classWeights', 'is empty; pass one weight per class.');
  if (n !== undefined && n !== w.length) {
    throw new ShapeMismatchError('args.numClasses', `is ${n} but there are ${w.length} class weights (shape [${w.length}]).`);
  }
  return w;
}

/** A loss class's arguments, checked and with their defaults filled in. @internal */
export interface ResolvedArgs {
  readonly name: string;
  readonly combine: CombineRule;
  readonly emptyRowWeight: number | 'as-class';
  readonly from: PredictionKind;
  readonly labelSmoothing: number;
  readonly epsilon: number;
  readonly scheme: SchemeConfig | undefined;
  /** The initial class weights (their length is C). */
  readonly weights: number[];
  /** The initial weight of rows with no positive label, with `'as-class'`. */
  readonly emptyRowInitial: number;
  /** `posWeight`, checked, for the losses that take one. */
  readonly posWeight: number[] | undefined;
  /** A scheme with neither counts nor class weights waits for the callback (or setClassWeights) to set its weights. */
  readonly awaitingWeights: boolean;
}

/**
 * Checks a loss class's arguments and fills in the defaults, before any
 * tensor is allocated.
 *
 * @param args - The arguments.
 * @param defaultName - The snake_case name tfjs records.
 * @param extraArgs - The option names the class adds.
 * @internal
 */
export function resolveArgs(args: WeightedLossArgs, defaultName: string, extraArgs: readonly string[]): ResolvedArgs {
  if (args === null || typeof args !== 'object') {
    throw new InvalidOptionError('args', `must be an object such as { numClasses: 29 } or { scheme: 'ins', counts }, got ${describe(args)}.`);
  }
  checkOptionNames('args', args, [...WEIGHTED_LOSS_ARGS, ...extraArgs]);
  checkDeclared('args', args, { numClasses: { whole: { min: 1 } }, validateLabels: 'boolean', sampleWeightColumn: 'boolean' });
  const name = args.name ?? defaultName;
  if (typeof name !== 'string' || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
    throw new InvalidOptionError('args.name', `must be an identifier such as "weighted_bce", got ${describe(name)}.`);
  }
  const asClass = args.emptyRowWeight === undefined || args.emptyRowWeight === 'as-class';
  if (!asClass && typeof args.emptyRowWeight !== 'number') {
    throw new InvalidOptionError('args.emptyRowWeight', `must be 'as-class' (the default) or a number ≥ 0 such as 1 or 0, got ${describe(args.emptyRowWeight)}.`);
  }
  const { combine, emptyRowWeight } = resolveSampleWeightOptions({ combine: args.combine ?? 'sum', emptyRowWeight: asClass ? 1 : (args.emptyRowWeight as number) }, 'args');
  const scheme = args.scheme === undefined ? undefined : parseScheme(args.scheme, 'args.scheme');
  const weights = initialWeights(args, scheme);
  const emptyRowInitial = asClass && args.counts !== undefined && scheme !== undefined && !Array.isArray(args.counts) ? emptyRowClassWeight(args.counts as ClassCounts, scheme) : 1;
  const posWeight = (args as { posWeight?: readonly number[] }).posWeight;
  const pw = posWeight === undefined ? undefined : checkClassWeights('args.posWeight', posWeight, weights.length);
  return {
    name,
    combine,
    emptyRowWeight: asClass ? 'as-class' : emptyRowWeight,
    from: checkFrom('args.from', args.from ?? 'logits'),
    labelSmoothing: checkRange('args.labelSmoothing', args.labelSmoothing ?? 0, { min: 0, max: 1, maxExclusive: true }),
    epsilon: checkEpsilon('args.epsilon', args.epsilon),
    scheme,
    weights,
    emptyRowInitial,
    posWeight: pw,
    awaitingWeights: scheme !== undefined && scheme.name !== 'none' && args.counts === undefined && args.classWeights === undefined,
  };
}

/** The error of a loss with a scheme and no counts, at its first call. @internal */
export function awaitingWeightsError(): InvalidOptionError {
  return new InvalidOptionError(
    'args.scheme',
    `is set, but the loss has no class counts, so every class would weigh 1. Pass counts to the loss (counts: countMultiHot(yTrain)), ` +
      'or add sampleWeightCallback({ losses: loss }) to fit({ callbacks }); it counts the labels and sets the weights.',
  );
}

/** The error of a method called on a disposed loss. @internal */
export function disposedError(method: string): InvalidOptionError {
  return new InvalidOptionError(
    'loss',
    `was disposed, so ${method}() cannot use it. Create a new loss (or rebuild it with lossFromConfig from a config taken before dispose()), and dispose it only once training is over.`,
  );
}

/**
 * A loss's config: its class name, its arguments (without the counts, which
 * the class weights replace), and its current state.
 * @internal
 */
export function configOf(
  cls: { readonly name: string; readonly className?: string },
  args: WeightedLossArgs,
  state: { classWeights: number[]; numClasses: number; scheme: SchemeConfig | undefined; emptyRowWeightValue: number | undefined },
): WeightedLossConfig {
  const { counts: _counts, ...rest } = args;
  const config: Record<string, unknown> = { ...rest, classWeights: state.classWeights, numClasses: state.numClasses };
  if (state.scheme !== undefined) config['scheme'] = state.scheme;
  if (state.emptyRowWeightValue !== undefined) config['emptyRowWeightValue'] = state.emptyRowWeightValue;
  return { className: cls.className ?? cls.name, config: config as WeightedLossConfig['config'] };
}
