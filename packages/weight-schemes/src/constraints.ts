import { InvalidOptionError } from './errors.js';
import { checkRange, describe } from './validate.js';

/**
 * What an option may be, declared as data (as scikit-learn's
 * `_parameter_constraints`), and checked by {@link checkDeclared} with one
 * wording everywhere:
 * - `'boolean'`: `true` or `false`;
 * - `{ whole: { min, max, what, hint } }`: a whole number in a range;
 * - `{ range: { min, max, minExclusive, maxExclusive, hint } }`: a finite number in a range;
 * - `{ oneOf: [...], qualifier }`: one of the listed values (the qualifier follows them in the message, such as `'per batch'`);
 * - `{ text: { what, example } }`: a non-empty string (`what` names it, such as `'a log key'`; `example` is shown).
 * @internal
 */
export type Constraint =
  | 'boolean'
  | { readonly whole: { readonly min?: number; readonly max?: number; readonly what?: string; readonly hint?: string } }
  | { readonly range: Parameters<typeof checkRange>[2] }
  | { readonly oneOf: readonly unknown[]; readonly qualifier?: string }
  | { readonly text: { readonly what?: string; readonly example?: string } };

/** The constraints of an options object, one per option that has one. @internal */
export type Constraints<T> = { readonly [K in keyof T]?: Constraint };

/** One value against one constraint; throws naming `argument`, an {@link InvalidOptionError} unless another class is given. @internal */
export function checkConstraint(argument: string, value: unknown, c: Constraint, ErrorClass: new (argument: string, message: string) => Error = InvalidOptionError): void {
  if (c === 'boolean') {
    if (typeof value !== 'boolean') throw new ErrorClass(argument, `must be true or false, got ${describe(value)}.`);
  } else if ('whole' in c) {
    const { min, max, what, hint } = c.whole;
    const v = value as number;
    if (typeof value !== 'number' || !Number.isSafeInteger(v) || (min !== undefined && v < min) || (max !== undefined && v > max)) {
      const bounds = min !== undefined && max !== undefined ? ` in [${min}, ${max}]` : min !== undefined ? ` ≥ ${min}` : max !== undefined ? ` ≤ ${max}` : '';
      throw new ErrorClass(argument, `must be a whole number${what === undefined ? '' : ` of ${what}`}${bounds}${hint === undefined ? '' : ` (${hint})`}, got ${describe(value)}.`);
    }
  } else if ('range' in c) {
    checkRange(argument, value, c.range);
  } else if ('text' in c) {
    if (typeof value !== 'string' || value.length === 0) {
      const { what = 'a non-empty string', example } = c.text;
      throw new ErrorClass(argument, `must be ${what}${example === undefined ? '' : ` such as '${example}'`}, got ${describe(value)}.`);
    }
  } else if (!c.oneOf.includes(value)) {
    const listed = c.oneOf.map((o) => (typeof o === 'string' ? `'${o}'` : String(o))).join(', ').replace(/, ([^,]*)$/, ' or $1');
    throw new ErrorClass(argument, `must be ${listed}${c.qualifier === undefined ? '' : ` ${c.qualifier}`}, got ${describe(value)}.`);
  }
}

/**
 * One value that must be one of `options`; returns it, typed as one of them.
 *
 * @param argument - The argument's name, for the message.
 * @param value - The value.
 * @param options - The values it may take.
 * @param ErrorClass - The error class to throw. Defaults to {@link InvalidOptionError}.
 * @param qualifier - Words after the values in the message, such as `'per batch'`.
 * @internal
 */
export function checkOneOf<const T>(argument: string, value: unknown, options: readonly T[], ErrorClass?: (new (argument: string, message: string) => Error) | undefined, qualifier?: string): T {
  checkConstraint(argument, value, { oneOf: options, ...(qualifier === undefined ? {} : { qualifier }) }, ErrorClass);
  return value as T;
}

/**
 * Checks the options an object sets against their declared constraints;
 * options left undefined take their defaults and are not checked.
 *
 * @param argument - The options argument's name, such as `'args'`; each option is named `args.<option>`.
 * @param options - The options.
 * @param constraints - The declared constraints.
 * @internal
 */
export function checkDeclared<T extends object>(argument: string, options: T | undefined, constraints: Constraints<T>): void {
  if (options === undefined || options === null) return;
  for (const [k, c] of Object.entries(constraints) as [string, Constraint | undefined][]) {
    const v = (options as Record<string, unknown>)[k];
    if (v !== undefined && c !== undefined) checkConstraint(`${argument}.${k}`, v, c);
  }
}
