/**
 * Base class of every error thrown by tfjs-imbalance. Each error names the
 * argument that was wrong, says what was wrong (with shapes where they
 * matter) and how to fix it.
 *
 * @example Telling our errors apart from others
 * ```ts
 * try {
 *   classWeights([10, 0, 3], { name: 'ins' });
 * } catch (e) {
 *   if (e instanceof ImbalanceError) console.error(e.argument, e.message);
 * }
 * ```
 */
export class ImbalanceError extends Error {
  /** The name of the argument (or option path) that was wrong, such as `counts` or `options.beta`. */
  readonly argument: string;
  /** What was wrong, without the argument's name and without {@link ImbalanceError.fix}. */
  readonly problem: string;
  /** The fix, when the thrower gave it apart from the problem (so a caller can give its own); else `undefined` (it is part of the problem's text). */
  readonly fix: string | undefined;

  /**
   * @param argument - The argument (or option path) at fault.
   * @param message - What was wrong, and how to fix it unless `fix` is given.
   * @param fix - How to fix it, when given apart.
   */
  constructor(argument: string, message: string, fix?: string) {
    super(`${argument}: ${message}${fix === undefined ? '' : ` ${fix}`}`);
    this.name = new.target.name;
    this.argument = argument;
    this.problem = message;
    this.fix = fix;
  }
}

/**
 * An argument had the wrong rank or shape, or two arguments disagree on the
 * number of classes.
 *
 * @example
 * ```ts
 * sampleWeights([[1, 0, 1]], [1, 2]); // throws ShapeMismatchError: 3 label columns vs 2 class weights
 * ```
 */
export class ShapeMismatchError extends ImbalanceError {}

/**
 * An argument held NaN or ±Infinity where only finite numbers make sense.
 *
 * @example
 * ```ts
 * classWeights([10, NaN], { name: 'ins' }); // throws NonFiniteValueError
 * ```
 */
export class NonFiniteValueError extends ImbalanceError {}

/**
 * A count was negative or not a whole number.
 *
 * @example
 * ```ts
 * classWeights([10, -1], { name: 'ins' }); // throws InvalidCountError
 * ```
 */
export class InvalidCountError extends ImbalanceError {}

/**
 * A number lay outside the range its argument allows, such as ENS β outside
 * [0, 1), an F-beta β ≤ 0, a threshold outside [0, 1] or a label outside [0, 1].
 *
 * @example
 * ```ts
 * classWeights([10, 5], { name: 'ens', beta: 1 }); // throws OutOfRangeError
 * ```
 */
export class OutOfRangeError extends ImbalanceError {}

/**
 * An argument was empty where at least one element is needed: no rows, no
 * classes, or an empty batch.
 *
 * @example
 * ```ts
 * countMultiHot([]); // throws EmptyInputError
 * ```
 */
export class EmptyInputError extends ImbalanceError {}

/**
 * A class had no positive sample, so its inverse-frequency weight would be
 * infinite (the GumGum write-up's implementation silently produces `inf` or `NaN`
 * here). Choose an `emptyClass` policy to give such classes a weight instead.
 *
 * @example
 * ```ts
 * classWeights([10, 0], { name: 'ins' }); // throws EmptyClassError naming class 1
 * classWeights([10, 0], { name: 'ins', emptyClass: 'max' }); // [1, 1]
 * ```
 */
export class EmptyClassError extends ImbalanceError {
  /** The indices of the classes with a zero count. */
  readonly classes: readonly number[];

  /**
   * @param argument - The argument that held the counts.
   * @param classes - The indices of the classes with a zero count.
   * @param message - What was wrong and how to fix it.
   */
  constructor(argument: string, classes: readonly number[], message: string) {
    super(argument, message);
    this.classes = classes;
  }
}

/**
 * An options object or config held a key that is not an option, or a value
 * of the wrong kind (a misspelt option is reported, never silently ignored).
 *
 * @example
 * ```ts
 * classWeights([10, 5], { name: 'ens', betta: 0.9 } as never); // throws InvalidOptionError naming "betta"
 * ```
 */
export class InvalidOptionError extends ImbalanceError {}
