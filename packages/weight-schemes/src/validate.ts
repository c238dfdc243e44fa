import {
  EmptyInputError,
  InvalidCountError,
  InvalidOptionError,
  NonFiniteValueError,
  OutOfRangeError,
} from './errors.js';

/**
 * The options renamed for one vocabulary across the packages, new name →
 * former name. The former names are accepted for one minor (until 0.3) by
 * {@link renamedOption}, and not offered in unknown-option messages.
 */
const RENAMED = { counts: 'classCounts', epsilon: 'eps' } as const;
const FORMER_NAMES: ReadonlySet<string> = new Set(Object.values(RENAMED));

/**
 * The value of a renamed option (see `RENAMED`), under its new name or, for
 * one minor, its former one: `{ value, name }` with the name the caller used
 * (for messages), or `undefined` when neither is set. Both set is an error.
 *
 * @example
 * ```ts
 * renamedOption('args', args, 'counts'); // { value: args.counts ?? args.classCounts, name: 'counts' | 'classCounts' }
 * ```
 * @internal
 */
export function renamedOption<T>(argument: string, options: object, name: keyof typeof RENAMED): { value: T; name: string } | undefined {
  const former = RENAMED[name];
  const o = options as Record<string, unknown>;
  if (o[name] !== undefined && o[former] !== undefined) {
    throw new InvalidOptionError(`${argument}.${former}`, `is the former name of ${name}, and both were given. Pass ${name} only.`);
  }
  if (o[name] !== undefined) return { value: o[name] as T, name };
  if (o[former] !== undefined) return { value: o[former] as T, name: former };
  return undefined;
}

/**
 * The option names of an options type, as a list checked against the type at
 * compile time: a key of `T` missing from the list (or a name that is not a
 * key) is a type error, so each options interface is the one declaration of
 * its names.
 *
 * @example
 * ```ts
 * const NAMES = optionNames<{ a?: number; b?: string }>()('a', 'b'); // leaving out 'b' does not compile
 * ```
 * @internal
 */
export function optionNames<T>() {
  return <const K extends readonly (keyof T & string)[]>(
    ...names: K & ([Exclude<keyof T, K[number]>] extends [never] ? unknown : { readonly missing: Exclude<keyof T, K[number]> })
  ): K => names;
}

/**
 * Throws {@link InvalidOptionError} when `options` holds a key that is not in
 * `allowed`. Used by every public function of tfjs-imbalance so that a
 * misspelt option is reported instead of silently ignored.
 *
 * @param argument - The name of the options argument, for the message.
 * @param options - The options object a user passed (may be undefined).
 * @param allowed - The option names that are understood.
 *
 * @example
 * ```ts
 * checkOptionNames('options', { betaa: 1 }, ['beta']); // throws: unknown option "betaa"
 * ```
 */
export function checkOptionNames(argument: string, options: object | undefined, allowed: readonly string[]): void {
  if (options === undefined) return;
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new InvalidOptionError(argument, `expected an options object, got ${describe(options)}.`);
  }
  const unknown = Object.keys(options).filter((k) => !allowed.includes(k));
  if (unknown.length > 0) {
    throw new InvalidOptionError(
      argument,
      `unknown option${unknown.length > 1 ? 's' : ''} ${unknown.map((k) => `"${k}"`).join(', ')}. ` +
        `The options are: ${allowed.filter((k) => !FORMER_NAMES.has(k)).map((k) => `"${k}"`).join(', ')}. Check the spelling.`,
    );
  }
}

/**
 * Throws {@link NonFiniteValueError} unless `value` is a finite number.
 *
 * @param argument - The argument's name, for the message.
 * @param value - The value to check.
 * @returns The value, typed as a number.
 *
 * @example
 * ```ts
 * checkFinite('options.gamma', Number.NaN); // throws
 * ```
 */
export function checkFinite(argument: string, value: unknown): number {
  if (typeof value !== 'number') {
    throw new InvalidOptionError(argument, `expected a number, got ${describe(value)}.`);
  }
  if (!Number.isFinite(value)) {
    throw new NonFiniteValueError(argument, `expected a finite number, got ${value}.`);
  }
  return value;
}

/**
 * Throws unless `value` is a finite number in the given range.
 *
 * @param argument - The argument's name, for the message.
 * @param value - The value to check.
 * @param range - The bounds, each inclusive or exclusive.
 * @returns The value.
 *
 * @example
 * ```ts
 * checkRange('options.beta', 1, { min: 0, max: 1, maxExclusive: true }); // throws OutOfRangeError
 * ```
 */
export function checkRange(
  argument: string,
  value: unknown,
  range: { min?: number; max?: number; minExclusive?: boolean; maxExclusive?: boolean; hint?: string },
): number {
  const v = checkFinite(argument, value);
  const lowOk = range.min === undefined || (range.minExclusive ? v > range.min : v >= range.min);
  const highOk = range.max === undefined || (range.maxExclusive ? v < range.max : v <= range.max);
  if (!lowOk || !highOk) {
    const lo = range.min === undefined ? '(-∞' : `${range.minExclusive ? '(' : '['}${range.min}`;
    const hi = range.max === undefined ? '∞)' : `${range.max}${range.maxExclusive ? ')' : ']'}`;
    throw new OutOfRangeError(argument, `must lie in ${lo}, ${hi}, got ${v}.${range.hint ? ` ${range.hint}` : ''}`);
  }
  return v;
}

/**
 * Checks a list of class counts: non-empty, finite, whole and non-negative.
 *
 * @param argument - The argument's name, for the message.
 * @param counts - The per-class counts.
 * @param allowFractional - Accept non-integer counts (decayed online counts). Defaults to `false`.
 * @returns The counts as a plain array.
 *
 * @example
 * ```ts
 * checkCounts('counts', [3, 1.5]); // throws InvalidCountError naming class 1
 * ```
 */
export function checkCounts(argument: string, counts: ArrayLike<number>, allowFractional = false): number[] {
  if (counts === null || typeof counts !== 'object' || typeof counts.length !== 'number') {
    throw new InvalidOptionError(argument, `expected an array of per-class counts, got ${describe(counts)}.`);
  }
  if (counts.length === 0) {
    throw new EmptyInputError(argument, 'got 0 classes; pass one count per class (at least one class).');
  }
  const out = Array.from(counts);
  out.forEach((c, i) => {
    if (typeof c !== 'number' || !Number.isFinite(c)) {
      throw new NonFiniteValueError(`${argument}[${i}]`, `expected a finite count, got ${c}.`);
    }
    if (c < 0 || (!allowFractional && !Number.isInteger(c))) {
      throw new InvalidCountError(`${argument}[${i}]`, `counts must be ${allowFractional ? '' : 'whole '}numbers ≥ 0, got ${c}.`);
    }
  });
  return out;
}

/**
 * A short description of a value for error messages: its type, and its
 * length for arrays.
 *
 * @param value - Anything.
 * @returns A few words such as `an array of length 3` or `a string`.
 *
 * @example
 * ```ts
 * describe([1, 2]); // 'an array of length 2'
 * ```
 */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  if (ArrayBuffer.isView(value)) return `a ${value.constructor.name} of length ${(value as unknown as ArrayLike<number>).length}`;
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${String(value)}`;
}

/**
 * Throws when a factory got a tensor as its options: the factory itself was
 * passed to `compile` (`loss: weightedBinaryCrossentropy`, Keras' habit of
 * passing a loss function) and tfjs called it with a batch's labels. `fix`
 * is the call to write instead. @internal
 */
export function checkFactoryCalled(factory: string, args: unknown, fix: string): void {
  const a = args as { shape?: unknown; dataSync?: unknown } | null;
  if (typeof a === 'object' && a !== null && Array.isArray(a.shape) && typeof a.dataSync === 'function') {
    throw new InvalidOptionError(
      factory,
      `was passed to model.compile without being called, so tfjs called it with a batch of labels (shape [${(args as { shape: number[] }).shape.join(', ')}]) as its options. Call it and pass what it returns: ${fix}.`,
    );
  }
}

/**
 * Throws when the WebGL backend stores tensors as 16-bit floats (a GPU
 * without float32 render targets, or `WEBGL_FORCE_F16_TEXTURES`): the
 * losses' logs and exponentials overflow there or lose their 1e-8 clamps
 * (NaN, or values 2–4× off), and counts above 2048 are not exact. `tf` is
 * the caller's tfjs (this package does not depend on it); `who` names what
 * refuses to run. @internal
 */
export function checkFloat32Backend(tf: { getBackend(): string; env(): { getBool(flag: string): boolean } }, who: string): void {
  if (tf.getBackend() !== 'webgl') return;
  const env = tf.env();
  const f16 = env.getBool('WEBGL_FORCE_F16_TEXTURES') || !env.getBool('WEBGL_RENDER_FLOAT32_ENABLED');
  if (f16) {
    throw new InvalidOptionError(
      'backend',
      `is WebGL with 16-bit float textures (this GPU has no float32 render targets, or WEBGL_FORCE_F16_TEXTURES is set), where ${who} would give NaN or values several times off. ` +
        "Use the wasm or cpu backend (tf.setBackend('wasm')), or WebGPU where the browser has it.",
    );
  }
}
