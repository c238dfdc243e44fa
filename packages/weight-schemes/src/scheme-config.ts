import { InvalidOptionError } from './errors.js';
import { checkFinite, checkOptionNames, checkRange, describe } from './validate.js';
import { checkDeclared } from './constraints.js';

/**
 * What to do with a class that has no positive sample, whose inverse-frequency
 * weight would be infinite:
 * - `'error'`: throw {@link EmptyClassError} naming the classes;
 * - `'max'`: give it the largest weight of the non-empty classes;
 * - `{ value }`: give it this raw weight (before normalisation); `{ value: 0 }` ignores the class.
 */
export type EmptyClassPolicy =
  | 'error'
  | 'max'
  | {
      /** The raw weight of each empty class, ≥ 0. */
      readonly value: number;
    };

/** Options shared by every scheme. */
export interface SchemeOptions {
  /** Whether to rescale the weights so they sum to the number of classes C, as the reference does. Defaults to `true`. */
  readonly normalize?: boolean;
  /** What to do with a class whose count is 0. Defaults to `'error'`. */
  readonly emptyClass?: EmptyClassPolicy;
}

/** Uniform weights (all 1): plain, unweighted training. */
export interface NoneScheme extends SchemeOptions {
  /** The scheme's name. */
  readonly name: 'none';
}
/** Inverse number of samples: w_c ∝ 1/n_c. */
export interface InsScheme extends SchemeOptions {
  /** The scheme's name. */
  readonly name: 'ins';
}
/** Inverse square root of the number of samples: w_c ∝ 1/√n_c. */
export interface IsnsScheme extends SchemeOptions {
  /** The scheme's name. */
  readonly name: 'isns';
}
/** A general inverse power: w_c ∝ 1/n_c^p (p = 1 is INS, p = 0.5 is ISNS, p = 0 is uniform). */
export interface InversePowerScheme extends SchemeOptions {
  /** The scheme's name. */
  readonly name: 'inverse-power';
  /** The exponent p ≥ 0. */
  readonly power: number;
}
/**
 * Inverse effective number of samples (Cui et al., CVPR 2019):
 * w_c ∝ (1−β)/(1−β^n_c). β = 0 gives uniform weights and β → 1 tends to INS.
 */
export interface EnsScheme extends SchemeOptions {
  /** The scheme's name. */
  readonly name: 'ens';
  /** β in [0, 1); the paper uses 0.9, 0.99, 0.999 or 0.9999. */
  readonly beta: number;
}
/** scikit-learn's `'balanced'`: w_c = n_samples / (n_classes · n_c). */
export interface BalancedScheme extends SchemeOptions {
  /** The scheme's name. */
  readonly name: 'balanced';
}

/**
 * A class-weight scheme as plain, JSON-serialisable data: `{ name, ...params }`.
 * A loss or callback stores it in its config and is rebuilt from it. Where a
 * scheme is taken, its bare name (`'ins'`) is short for `{ name: 'ins' }`.
 *
 * | `name` | class weight w_c ∝ | parameters |
 * |---|---|---|
 * | `'none'` | 1 (uniform) | |
 * | `'ins'` | 1 / n_c (inverse number of samples) | |
 * | `'isns'` | 1 / √n_c (its square root) | |
 * | `'inverse-power'` | 1 / n_c^power | `power` |
 * | `'ens'` | (1 − β) / (1 − β^n_c) (inverse effective number, Cui et al. 2019) | `beta` in [0, 1) |
 * | `'balanced'` | n_samples / (C · n_c) (scikit-learn's) | |
 *
 * The weights are normalised to sum to C (the number of classes), as the
 * write-up does, unless `normalize: false` (scikit-learn's raw `'balanced'`
 * weights, for instance). Each scheme also takes `emptyClass`, what a class
 * with no sample gets (see {@link EmptyClassPolicy}).
 *
 * @example
 * ```ts
 * classWeights(counts, { name: 'ens', beta: 0.999 });
 * classWeights(counts, 'isns');
 * ```
 */
export type SchemeConfig = NoneScheme | InsScheme | IsnsScheme | InversePowerScheme | EnsScheme | BalancedScheme;

/** The name of a scheme with no parameters, usable as a shorthand for `{ name }`. */
export type SchemeName = 'none' | 'ins' | 'isns' | 'balanced';

/** The names of every scheme. */
export const SCHEME_NAMES = ['none', 'ins', 'isns', 'inverse-power', 'ens', 'balanced'] as const;

const COMMON = ['name', 'normalize', 'emptyClass'];
const PARAMS: Record<SchemeConfig['name'], string[]> = {
  none: COMMON,
  ins: COMMON,
  isns: COMMON,
  'inverse-power': [...COMMON, 'power'],
  ens: [...COMMON, 'beta'],
  balanced: COMMON,
};

/**
 * Validates a scheme config (for instance one read back from JSON) and
 * expands a bare name into `{ name }`. Unknown names, unknown keys and
 * out-of-range parameters are errors.
 *
 * @param scheme - A config or the name of a parameterless scheme.
 * @param argument - The argument's name, for error messages. Defaults to `'scheme'`.
 * @returns The validated config.
 *
 * @example Rebuilding a scheme from JSON
 * ```ts
 * const scheme = parseScheme(JSON.parse('{"name":"ens","beta":0.999}'));
 * ```
 */
export function parseScheme(scheme: SchemeConfig | SchemeName, argument = 'scheme'): SchemeConfig {
  const config: SchemeConfig = typeof scheme === 'string' ? ({ name: scheme } as SchemeConfig) : scheme;
  if (config === null || typeof config !== 'object' || typeof config.name !== 'string') {
    throw new InvalidOptionError(
      argument,
      `expected a scheme config such as { name: 'ens', beta: 0.999 } or a name, got ${describe(scheme)}.`,
    );
  }
  const allowed = PARAMS[config.name];
  if (allowed === undefined) {
    throw new InvalidOptionError(
      `${argument}.name`,
      `unknown scheme "${config.name}". The schemes are: ${SCHEME_NAMES.join(', ')}.`,
    );
  }
  checkOptionNames(argument, config, allowed);
  if (config.name === 'ens') {
    if (config.beta === undefined) {
      throw new InvalidOptionError(`${argument}.beta`, "is required: ENS needs β, as in { name: 'ens', beta: 0.999 } (0.9, 0.99, 0.999 and 0.9999 are usual).");
    }
    checkRange(`${argument}.beta`, config.beta, {
      min: 0,
      max: 1,
      maxExclusive: true,
      hint: 'Use 0.9, 0.99, 0.999 or 0.9999; β = 1 would divide by zero.',
    });
  }
  if (config.name === 'inverse-power') checkRange(`${argument}.power`, config.power, { min: 0 });
  checkDeclared(argument, config, { normalize: 'boolean' });
  if (config.emptyClass !== undefined) checkEmptyClassPolicy(`${argument}.emptyClass`, config.emptyClass);
  return config;
}

/**
 * Checks an {@link EmptyClassPolicy}: `'error'`, `'max'` or `{ value }` with a finite value ≥ 0.
 *
 * @param argument - The argument's name, for error messages.
 * @param p - The policy.
 * @returns The policy.
 * @internal
 */
export function checkEmptyClassPolicy(argument: string, p: unknown): EmptyClassPolicy {
  if (p === 'error' || p === 'max') return p;
  if (p === null || typeof p !== 'object') {
    throw new InvalidOptionError(argument, `must be 'error', 'max' or { value: number }, got ${describe(p)}.`);
  }
  checkOptionNames(argument, p, ['value']);
  const value = (p as { value?: unknown }).value;
  if (value === undefined) throw new InvalidOptionError(`${argument}.value`, 'is missing; pass { value: w } with a weight w ≥ 0.');
  checkFinite(`${argument}.value`, value);
  checkRange(`${argument}.value`, value, { min: 0 });
  return p as EmptyClassPolicy;
}
