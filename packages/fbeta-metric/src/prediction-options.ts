import { InvalidOptionError, type PredictionKind, type Task } from '@tfjs-imbalance/weight-schemes';
import { checkOptionNames, checkRange, describe, optionNames, checkConstraint, checkOneOf } from '@tfjs-imbalance/weight-schemes/internal';
import { checkFBeta } from './fbeta-scores.js';

export type { Task };

/**
 * The former name of `PredictionKind` in this package.
 * @deprecated Use `PredictionKind` (the same union, one name across the packages). Removed in 0.3.
 */
export type ScoreKind = PredictionKind;

/** How predictions become positive or negative labels. */
export interface PredictionArgs {
  /** The kind of task. Defaults to `'multilabel'`. */
  readonly task?: Task;
  /** What the multi-label scores are. Defaults to `'probabilities'`. */
  readonly from?: PredictionKind;
  /**
   * The probability a multi-label score must strictly exceed to count as a
   * positive prediction (as Keras and torchmetrics do), in [0, 1]; or one
   * threshold per class. With `from: 'logits'` it is still a probability:
   * a logit x is positive when sigmoid(x) > threshold. Defaults to `0.5`.
   */
  readonly threshold?: number | readonly number[];
  /** The number of classes C. Defaults to the number of columns of the first batch (required for multiclass class indices). */
  readonly numClasses?: number;
  /**
   * With `task: 'multiclass'` and class-index labels: the index of positions
   * without a label (Keras' `ignore_class`, such as −1 for padding or 255
   * for void pixels). Those positions are left out of every count. Defaults to none.
   */
  readonly ignoreClass?: number;
}

/** {@link PredictionArgs} with defaults filled in. */
export interface ResolvedPredictionArgs {
  /** The kind of task. */
  readonly task: Task;
  /** What the multi-label scores are. */
  readonly from: PredictionKind;
  /** One threshold, or one per class. */
  readonly threshold: number | readonly number[];
  /** The number of classes, when known. */
  readonly numClasses: number | undefined;
  /** The ignored class index (multiclass), if any. */
  readonly ignoreClass?: number | undefined;
}

/** The option names of {@link PredictionArgs}. */
export const PREDICTION_ARGS = optionNames<PredictionArgs>()('task', 'from', 'threshold', 'numClasses', 'ignoreClass');

/**
 * Checks {@link PredictionArgs} and fills in the defaults.
 *
 * @param args - The user's arguments (other keys are checked by the caller).
 * @param argument - The argument's name, for error messages.
 * @returns The resolved arguments.
 *
 * @example
 * ```ts
 * resolvePredictionArgs({ threshold: 1.5 }, 'args'); // throws OutOfRangeError
 * ```
 */
export function resolvePredictionArgs(args: PredictionArgs, argument: string): ResolvedPredictionArgs {
  const { task = 'multilabel', from = 'probabilities', threshold = 0.5, numClasses, ignoreClass } = args;
  if (ignoreClass !== undefined && (!Number.isInteger(ignoreClass) || task !== 'multiclass')) {
    throw new InvalidOptionError(
      `${argument}.ignoreClass`,
      task !== 'multiclass'
        ? `applies to task: 'multiclass' (class-index labels), got task ${describe(task)}; a multi-label position with no label is a row of zeros.`
        : `must be a whole class index (such as -1 or 255), got ${describe(ignoreClass)}.`,
    );
  }
  checkOneOf(`${argument}.task`, task, ['multilabel', 'multiclass']);
  checkOneOf(`${argument}.from`, from, ['probabilities', 'logits']);
  if (numClasses !== undefined) checkConstraint(`${argument}.numClasses`, numClasses, { whole: { min: 1 } });
  const range = { min: 0, max: 1, hint: 'Thresholds are probabilities, also with from: "logits".' };
  if (typeof threshold === 'number') {
    checkRange(`${argument}.threshold`, threshold, range);
  } else if (Array.isArray(threshold)) {
    threshold.forEach((t, i) => checkRange(`${argument}.threshold[${i}]`, t, range));
    if (numClasses !== undefined && threshold.length !== numClasses) {
      throw new InvalidOptionError(
        `${argument}.threshold`,
        `has ${threshold.length} per-class thresholds but numClasses is ${numClasses}; pass one per class.`,
      );
    }
  } else {
    throw new InvalidOptionError(
      `${argument}.threshold`,
      `must be a number in [0, 1] or one number per class, got ${describe(threshold)}.`,
    );
  }
  return { task, from, threshold, numClasses, ...(ignoreClass === undefined ? {} : { ignoreClass }) };
}

/** {@link ResolvedPredictionArgs} plus β. */
export interface ResolvedFBetaArgs extends ResolvedPredictionArgs {
  /** β > 0. */
  readonly beta: number;
}

/**
 * Checks option names and resolves {@link PredictionArgs} plus β, for the
 * metric, the accumulator and the callback.
 *
 * @param args - The user's arguments.
 * @param argument - The argument's name, for error messages.
 * @param allowed - Every option name the caller understands.
 * @returns The resolved prediction arguments and β.
 *
 * @example
 * ```ts
 * resolveFBetaArgs({ beta: 0.5 }, 'args', ['beta', ...PREDICTION_ARGS]);
 * ```
 */
export function resolveFBetaArgs(
  args: PredictionArgs & { readonly beta?: number },
  argument: string,
  allowed: readonly string[],
): ResolvedFBetaArgs {
  checkOptionNames(argument, args, allowed);
  return { ...resolvePredictionArgs(args, argument), beta: checkFBeta(`${argument}.beta`, args.beta ?? 0.5) };
}
