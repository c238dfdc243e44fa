import { balancedWeights } from './balanced.js';
import { checkClassCounts, type ClassCounts } from './class-counts.js';
import { effectiveNumberWeights } from './effective-number.js';
import { EmptyClassError } from './errors.js';
import { inversePowerWeights } from './inverse-frequency.js';
import { parseScheme, type EmptyClassPolicy, type SchemeConfig, type SchemeName } from './scheme-config.js';
import { checkCounts, checkOptionNames } from './validate.js';

/** Options of {@link classWeights}. */
export interface ClassWeightsOptions {
  /**
   * Accept non-integer counts, such as exponentially decayed online counts
   * (every formula is defined for real n > 0). Defaults to `false`, which
   * rejects them as a likely mistake.
   */
  readonly allowFractionalCounts?: boolean;
}

/**
 * Per-class weights from class counts under a scheme. By default the weights
 * are normalised to sum to the number of classes C (mean 1), as the GumGum
 * write-up's implementation does.
 *
 * A class with a zero count has an infinite inverse-frequency weight (the
 * reference yields `inf`, and `NaN` after normalisation). By default this
 * throws {@link EmptyClassError} naming the classes; set `emptyClass` to
 * `'max'` or `{ value }` to give them a weight instead.
 *
 * @param counts - Per-class positive counts: a {@link ClassCounts} or a plain array.
 * @param scheme - The scheme config, or the name of a parameterless scheme.
 * @param options - See {@link ClassWeightsOptions}.
 * @returns One weight per class.
 *
 * @example The reference schemes on a long-tailed count
 * ```ts
 * const counts = [5000, 500, 50];
 * classWeights(counts, 'ins');                       // [0.0270, 0.270, 2.703]
 * classWeights(counts, 'isns');                      // [0.212, 0.670, 2.118]
 * classWeights(counts, { name: 'ens', beta: 0.99 }); // [0.661, 0.665, 1.674]
 * ```
 *
 * @example scikit-learn's raw balanced weights
 * ```ts
 * classWeights([30, 10], { name: 'balanced', normalize: false }); // [0.667, 2]
 * ```
 */
export function classWeights(
  counts: ClassCounts | ArrayLike<number>,
  scheme: SchemeConfig | SchemeName,
  options: ClassWeightsOptions = {},
): number[] {
  checkOptionNames('options', options, ['allowFractionalCounts']);
  const fractional = options.allowFractionalCounts ?? false;
  const config = parseScheme(scheme);
  const isCounts = counts !== null && typeof counts === 'object' && 'positives' in counts;
  const positives = isCounts
    ? [...checkClassCounts('counts', counts, fractional).positives]
    : checkCounts('counts', counts, fractional);
  const samples = isCounts ? (counts as ClassCounts).samples : positives.reduce((a, b) => a + b, 0);
  const raw = rawWeights(positives, samples, config);
  const filled = applyEmptyClassPolicy(raw, config.emptyClass ?? 'error', 'counts');
  return config.normalize === false ? filled : normalizeToClassCount(filled, 'counts');
}

/**
 * The weight of rows with no positive label, by the rule the loss classes
 * use by default (`emptyRowWeight: 'as-class'`): "no label" is treated as one
 * more class, whose count is the number of empty rows, weighted by the same
 * scheme and scaled by the same factor as the real classes (so the real
 * classes still sum to C). Plain training (`'none'`) gives 1; under INS, a
 * dataset where 43% of rows are empty gives them a weight far below 1, as
 * frequent as they are, instead of an absolute 1 that would dwarf the
 * normalised weights of the frequent classes.
 *
 * With no empty row counted, it returns the largest class weight (the weight
 * an unseen class gets online); nothing in the counted data uses it.
 *
 * @param counts - The class counts, with `emptyRows`.
 * @param scheme - The scheme config, or the name of a parameterless scheme.
 * @param options - See {@link ClassWeightsOptions}.
 * @returns The weight of an empty row.
 *
 * @example 43% empty rows under INS
 * ```ts
 * const counts = { positives: [400, 100, 30], samples: 1000, emptyRows: 430 };
 * classWeights(counts, 'ins');        // [0.164, 0.655, 2.182]
 * emptyRowClassWeight(counts, 'ins'); // 0.152: an empty row weighs a little less than the most frequent class
 * ```
 */
export function emptyRowClassWeight(
  counts: ClassCounts,
  scheme: SchemeConfig | SchemeName,
  options: ClassWeightsOptions = {},
): number {
  checkOptionNames('options', options, ['allowFractionalCounts']);
  const fractional = options.allowFractionalCounts ?? false;
  const config = parseScheme(scheme);
  const checked = checkClassCounts('counts', counts, fractional);
  const positives = [...checked.positives];
  const real = applyEmptyClassPolicy(rawWeights(positives, checked.samples, config), config.emptyClass ?? 'error', 'counts');
  const scale = config.normalize === false ? 1 : positives.length / real.reduce((a, b) => a + b, 0);
  if (!(checked.emptyRows > 0)) return Math.max(...real) * scale;
  const virtual = rawWeights([checked.emptyRows], checked.samples, config)[0]!;
  // balanced divides by the number of classes: keep the real classes' C.
  const raw = config.name === 'balanced' ? checked.samples / (positives.length * checked.emptyRows) : virtual;
  return raw * scale;
}

function rawWeights(positives: number[], samples: number, config: SchemeConfig): number[] {
  switch (config.name) {
    case 'none':
      return positives.map(() => 1);
    case 'ins':
      return inversePowerWeights(positives, 1);
    case 'isns':
      return inversePowerWeights(positives, 0.5);
    case 'inverse-power':
      return inversePowerWeights(positives, config.power);
    case 'ens':
      return effectiveNumberWeights(positives, config.beta);
    case 'balanced':
      return balancedWeights(positives, samples);
  }
}

/**
 * Replaces the infinite weights of empty classes according to a policy.
 *
 * @param weights - Raw weights, `Infinity` for empty classes.
 * @param policy - The {@link EmptyClassPolicy}.
 * @param argument - The argument that held the counts, for the error message.
 * @returns The weights with every empty class filled in.
 *
 * @example
 * ```ts
 * applyEmptyClassPolicy([0.5, Infinity], 'max', 'counts'); // [0.5, 0.5]
 * ```
 */
export function applyEmptyClassPolicy(weights: number[], policy: EmptyClassPolicy, argument: string): number[] {
  const empty = weights.flatMap((w, i) => (Number.isFinite(w) ? [] : [i]));
  if (empty.length === 0) return weights;
  if (policy === 'error') {
    throw new EmptyClassError(
      argument,
      empty,
      `class${empty.length > 1 ? 'es' : ''} ${empty.join(', ')} ${empty.length > 1 ? 'have' : 'has'} a count of 0, ` +
        'so an inverse-frequency weight would be infinite. Check the class order, count more data, or set ' +
        "emptyClass: 'max' (the largest weight) or { value: w } in the scheme.",
    );
  }
  let fill: number;
  if (policy === 'max') {
    const finite = weights.filter((w) => Number.isFinite(w));
    if (finite.length === 0) {
      throw new EmptyClassError(
        argument,
        empty,
        "every class has a count of 0, so emptyClass: 'max' has no weight to copy. Count some data first, or use { value: w }.",
      );
    }
    fill = Math.max(...finite);
  } else {
    fill = policy.value;
  }
  return weights.map((w) => (Number.isFinite(w) ? w : fill));
}

/**
 * Rescales weights so that they sum to their number (mean 1).
 *
 * @param weights - Finite, non-negative weights with a positive sum.
 * @param argument - The argument's name, for the error message.
 * @returns The rescaled weights.
 *
 * @example
 * ```ts
 * normalizeToClassCount([1, 3], 'weights'); // [0.5, 1.5]
 * ```
 */
export function normalizeToClassCount(weights: readonly number[], argument: string): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  if (!(sum > 0) || !Number.isFinite(sum)) {
    throw new EmptyClassError(
      argument,
      weights.flatMap((w, i) => (w > 0 ? [] : [i])),
      `the weights sum to ${sum}, so they cannot be normalised to sum to ${weights.length}. ` +
        'Give at least one class a positive weight, or set normalize: false.',
    );
  }
  return weights.map((w) => (w * weights.length) / sum);
}
