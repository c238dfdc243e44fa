import { InvalidOptionError, OutOfRangeError, ShapeMismatchError } from './errors.js';
import { toDenseMatrix, type LabelMatrix } from './label-matrix.js';
import { checkFinite, checkOptionNames, checkRange, describe, optionNames } from './validate.js';
import { checkOneOf } from './constraints.js';

/** The largest finite float32. */
const FLOAT32_MAX = 3.4028234663852886e38;

/**
 * How the class weights of a row's positive labels combine into one weight
 * for the row:
 * - `'sum'`: their sum, as the GumGum write-up's implementation does;
 * - `'mean'`: their mean, so a row with many labels is not counted more;
 * - `'max'`: the weight of the row's rarest label.
 */
export type CombineRule = 'sum' | 'mean' | 'max';

/** Options of {@link sampleWeights} and {@link sampleWeightMatrix}. */
export interface SampleWeightOptions {
  /** How the weights of a row's positive labels are combined. Defaults to `'sum'` (the GumGum write-up's rule). */
  readonly combine?: CombineRule;
  /**
   * The weight of a row with no positive label. Defaults to `1` (neutral).
   * `0` reproduces the reference exactly, which silently drops every
   * all-negative row from the loss.
   */
  readonly emptyRowWeight?: number;
}

/** The option names of {@link SampleWeightOptions}. */
export const SAMPLE_WEIGHT_OPTIONS = optionNames<SampleWeightOptions>()('combine', 'emptyRowWeight');

/**
 * Checks {@link SampleWeightOptions} and fills in the defaults.
 *
 * @param options - The user's options.
 * @param argument - The argument's name, for error messages. Defaults to `'options'`.
 * @returns The options with defaults.
 *
 * @example
 * ```ts
 * resolveSampleWeightOptions({ combine: 'mean' }); // { combine: 'mean', emptyRowWeight: 1 }
 * ```
 */
export function resolveSampleWeightOptions(
  options: SampleWeightOptions = {},
  argument = 'options',
): Required<SampleWeightOptions> {
  checkOptionNames(argument, options, SAMPLE_WEIGHT_OPTIONS);
  const { combine = 'sum', emptyRowWeight = 1 } = options;
  checkOneOf(`${argument}.combine`, combine, ['sum', 'mean', 'max']);
  checkRange(`${argument}.emptyRowWeight`, emptyRowWeight, { min: 0 });
  return { combine, emptyRowWeight };
}

/**
 * Checks a class-weight vector: finite, non-negative, and of length `numClasses` when given.
 *
 * @param argument - The argument's name, for error messages.
 * @param weights - The class weights.
 * @param numClasses - The number of classes they must cover.
 * @returns The weights as a plain array.
 *
 * @example
 * ```ts
 * checkClassWeights('classWeights', [1, -2]); // throws OutOfRangeError
 * ```
 */
export function checkClassWeights(argument: string, weights: ArrayLike<number>, numClasses?: number): number[] {
  if (weights === null || typeof weights !== 'object' || typeof weights.length !== 'number') {
    throw new ShapeMismatchError(argument, `expected one weight per class, got ${describe(weights)}.`);
  }
  if (numClasses !== undefined && weights.length !== numClasses) {
    throw new ShapeMismatchError(
      argument,
      `has ${weights.length} weights (shape [${weights.length}]) but the labels have ${numClasses} classes ` +
        `(shape [N, ${numClasses}]). Pass one weight per class, in the same order.`,
    );
  }
  return Array.from(weights, (w, i) => {
    checkFinite(`${argument}[${i}]`, w);
    checkRange(`${argument}[${i}]`, w, { min: 0 });
    if (w > FLOAT32_MAX) {
      throw new OutOfRangeError(
        `${argument}[${i}]`,
        `is ${w}, beyond float32's largest value (3.4e38): it would become Infinity in the loss's float32 variable and the loss NaN. ` +
          'Scale the weights down; only their ratios matter.',
      );
    }
    return w;
  });
}

/** Class weights as an array (one per class) or as Keras' `class_weight` dict `{ [classIndex]: weight }`. */
export type ClassWeightsInput = ArrayLike<number> | Readonly<Record<number, number>>;

/**
 * Class weights given as an array or as Keras' `class_weight` dict
 * `{ 0: w0, 1: w1, … }`, as one checked weight per class. A dict covers the
 * classes up to its largest key (or `numClasses`); a class it leaves out
 * weighs 1, as in Keras.
 * @internal
 */
export function classWeightArray(argument: string, weights: ClassWeightsInput, numClasses?: number): number[] {
  if (weights !== null && typeof weights === 'object' && typeof (weights as ArrayLike<number>).length !== 'number' && Object.getPrototypeOf(weights) === Object.prototype) {
    const entries = Object.entries(weights as Record<string, unknown>);
    const indices = entries.map(([k]) => {
      const i = Number(k);
      if (!/^\d+$/.test(k) || !Number.isSafeInteger(i)) {
        throw new InvalidOptionError(argument, `has the key "${k}"; a class-weight dict maps class indices 0, 1, … to weights, as Keras' class_weight does.`);
      }
      return i;
    });
    // Keras maps class_weight={} to all ones: every class left out weighs 1. Without numClasses there is no telling how many.
    if (entries.length === 0 && numClasses === undefined) {
      throw new InvalidOptionError(argument, 'is an empty dict, and nothing says how many classes it leaves at weight 1; pass numClasses, or give at least one { classIndex: weight }.');
    }
    const C = numClasses ?? Math.max(...indices) + 1;
    const out = new Array<number>(C).fill(1);
    entries.forEach(([, w], j) => {
      if (indices[j]! >= C) {
        throw new ShapeMismatchError(argument, `has class index ${indices[j]} but there are ${C} classes (indices 0 to ${C - 1}).`);
      }
      checkFinite(`${argument}[${indices[j]}]`, w);
      out[indices[j]!] = checkRange(`${argument}[${indices[j]}]`, w, { min: 0 });
    });
    return out;
  }
  return checkClassWeights(argument, weights as ArrayLike<number>, numClasses);
}

/**
 * Per-sample weights from multi-hot labels: each row gets the combined class
 * weights of its positive labels (a label ≥ 0.5 is positive). With the
 * defaults this is the GumGum write-up's rule, except that all-negative rows keep
 * weight 1 instead of 0.
 *
 * @param labels - The multi-hot label matrix [N, C].
 * @param classWeights - One weight per class [C].
 * @param options - See {@link SampleWeightOptions}.
 * @returns One weight per row [N].
 *
 * @example The reference recipe
 * ```ts
 * const w = classWeights(countMultiHot(labels), 'ins');
 * sampleWeights([[1, 0, 1], [0, 0, 0]], [0.5, 1, 1.5]);                        // [2, 1]
 * sampleWeights([[1, 0, 1], [0, 0, 0]], [0.5, 1, 1.5], { emptyRowWeight: 0 }); // [2, 0], exactly the reference
 * ```
 */
export function sampleWeights(
  labels: LabelMatrix,
  classWeights: ArrayLike<number>,
  options: SampleWeightOptions = {},
): number[] {
  const { combine, emptyRowWeight } = resolveSampleWeightOptions(options);
  const { data, rows, cols } = toDenseMatrix('labels', labels);
  const w = checkClassWeights('classWeights', classWeights, cols);
  const out = new Array<number>(rows);
  for (let i = 0; i < rows; i++) {
    let acc = combine === 'max' ? -Infinity : 0;
    let k = 0;
    for (let j = 0; j < cols; j++) {
      if ((data[i * cols + j] as number) < 0.5) continue;
      k++;
      acc = combine === 'max' ? Math.max(acc, w[j]!) : acc + w[j]!;
    }
    out[i] = k === 0 ? emptyRowWeight : combine === 'mean' ? acc / k : acc;
  }
  return out;
}

/**
 * The per-sample weights of {@link sampleWeights} broadcast to all C columns,
 * a [N, C] matrix ready to pass as PyTorch's `weight` or to multiply an
 * element-wise loss.
 *
 * @param labels - The multi-hot label matrix [N, C].
 * @param classWeights - One weight per class [C].
 * @param options - See {@link SampleWeightOptions}.
 * @returns The [N, C] weight matrix.
 *
 * @example
 * ```ts
 * sampleWeightMatrix([[1, 1]], [0.5, 1.5]); // [[2, 2]]
 * ```
 */
export function sampleWeightMatrix(
  labels: LabelMatrix,
  classWeights: ArrayLike<number>,
  options: SampleWeightOptions = {},
): number[][] {
  const perRow = sampleWeights(labels, classWeights, options);
  const cols = classWeights.length;
  return perRow.map((w) => new Array<number>(cols).fill(w));
}
