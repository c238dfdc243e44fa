import { EmptyClassError, InvalidCountError, type ClassCounts, type EmptyClassPolicy } from '@tfjs-imbalance/weight-schemes';
import { checkCounts, checkDeclared, checkRange, describe, optionNames, renamedOption } from '../kit.js';

/** The parameters of the Distribution-Balanced loss; the defaults are the official COCO-MLT configuration. */
export interface DistributionBalancedParams {
  /** The weight floor α of the re-balancing weight α + σ(β·(r − μ)). Defaults to `0.1`. */
  readonly alpha?: number;
  /** The slope β > 0 of the re-balancing weight. Defaults to `10`. */
  readonly beta?: number;
  /** The centre μ of the re-balancing weight. Defaults to `0.2`. */
  readonly mu?: number;
  /** The scale κ ≥ 0 of the negative-tolerant bias −κ·log(N/n_c − 1). Defaults to `0.05`. */
  readonly kappa?: number;
  /** The negative-tolerant λ ≥ 1: negatives' logits are multiplied by λ and their weights divided by it. Defaults to `2`. */
  readonly lambda?: number;
  /** Whether the focal modulator balance·(1 − p_t)^γ multiplies the loss. Defaults to `true`. */
  readonly focal?: boolean;
  /** The focal γ ≥ 0. Defaults to `2`. */
  readonly gamma?: number;
  /** The focal loss's constant factor. Defaults to `2`. */
  readonly balance?: number;
}

/** The class counts the loss is balanced against. */
export interface DistributionCounts {
  /**
   * The training counts: `countMultiHot(yTrain)` (n_c per class in
   * `positives`, N in `samples`), as the loss class takes them, or n_c per
   * class as a list with N in `trainNum` (the official code's form).
   */
  readonly counts?: ClassCounts | readonly number[];
  /**
   * The former name of `counts`.
   * @deprecated Use `counts`, the name every package uses for class counts. Removed in 0.3.
   */
  readonly classCounts?: ClassCounts | readonly number[];
  /** N, the number of training samples, with `counts` as a list; every n_c must be below it. Defaults to `counts.samples`. */
  readonly trainNum?: number;
  /** What a class with a count of 0 gets: an error, the rarest counted class's count (`'max'`: the largest weight), or `{ value: n }`. Defaults to `'error'`. */
  readonly emptyClass?: EmptyClassPolicy;
}

/** The option names of {@link DistributionBalancedParams}. @internal */
export const DISTRIBUTION_BALANCED_PARAMS = optionNames<DistributionBalancedParams>()('alpha', 'beta', 'mu', 'kappa', 'lambda', 'focal', 'gamma', 'balance');

/** The Distribution-Balanced parameters with every default filled in (`DistributionBalancedLoss.params`). */
export type ResolvedDistributionBalancedParams = Required<DistributionBalancedParams>;

/** Checks the DB parameters and fills in the defaults. @internal */
export function checkDbParams(argument: string, p: DistributionBalancedParams): ResolvedDistributionBalancedParams {
  checkDeclared(argument, p, { focal: 'boolean' });
  return {
    alpha: checkRange(`${argument}.alpha`, p.alpha ?? 0.1, { min: 0, hint: 'The official default is 0.1.' }),
    beta: checkRange(`${argument}.beta`, p.beta ?? 10, { min: 0, minExclusive: true, max: 1000, hint: 'The official default is 10.' }),
    mu: checkRange(`${argument}.mu`, p.mu ?? 0.2, { min: 0, max: 10, hint: 'The official default is 0.2.' }),
    kappa: checkRange(`${argument}.kappa`, p.kappa ?? 0.05, { min: 0, max: 10, hint: 'The official default is 0.05; 0 turns the bias off.' }),
    lambda: checkRange(`${argument}.lambda`, p.lambda ?? 2, { min: 1, max: 100, hint: 'The official default is 2; 1 turns the negative-tolerant scaling off.' }),
    focal: p.focal ?? true,
    gamma: checkRange(`${argument}.gamma`, p.gamma ?? 2, { min: 0, max: 20, hint: 'The official default is 2.' }),
    balance: checkRange(`${argument}.balance`, p.balance ?? 2, { min: 0, minExclusive: true, max: 100, hint: 'The official default is 2.' }),
  };
}

/**
 * Checks class counts and N, fills empty classes by the policy, and returns
 * 1/n_c and the negative-tolerant bias −κ·log(N/n_c − 1) per class. @internal
 */
export function dbPriors(argument: string, d: DistributionCounts, kappa: number): { inverse: number[]; bias: number[] } {
  const given = renamedOption<ClassCounts | readonly number[]>(argument, d, 'counts');
  const prefix = argument === '' ? '' : `${argument}.`;
  const name = `${prefix}${given?.name ?? 'counts'}`;
  const raw = given?.value;
  const list = Array.isArray(raw);
  if (!list && (raw === null || typeof raw !== 'object' || !Array.isArray((raw as ClassCounts).positives))) {
    throw new InvalidCountError(name, `must be countMultiHot(yTrain) ({ positives, samples }) or one count per class, got ${describe(raw)}.`);
  }
  const counts = checkCounts(`${name}${list ? '' : '.positives'}`, list ? (raw as readonly number[]) : (raw as ClassCounts).positives, true);
  const N = d.trainNum ?? (list ? undefined : (raw as ClassCounts).samples);
  if (typeof N !== 'number' || !Number.isFinite(N) || N <= 0) {
    throw new InvalidCountError(list ? `${prefix}trainNum` : `${name}.samples`, `must be the number of training samples, a finite count > 0, got ${describe(N)}.` + (list ? ' With counts as a list, pass trainNum, or pass countMultiHot(yTrain).' : ''));
  }
  const empty = counts.flatMap((n, i) => (n === 0 ? [i] : []));
  let filled = [...counts];
  if (empty.length > 0) {
    const policy = d.emptyClass ?? 'error';
    const seen = counts.filter((n) => n > 0);
    if (policy === 'error' || (policy === 'max' && seen.length === 0)) {
      throw new EmptyClassError(
        name,
        empty,
        `class${empty.length > 1 ? 'es' : ''} ${empty.join(', ')} ${empty.length > 1 ? 'have' : 'has'} a count of 0, so 1/n_c is infinite. ` +
          "Check the class order, count more data, or set emptyClass: 'max' (the rarest class's count) or { value: n }.",
      );
    }
    const fill = policy === 'max' ? Math.min(...seen) : checkRange(`${prefix}emptyClass.value`, policy.value, { min: 0, minExclusive: true });
    filled = counts.map((n) => (n === 0 ? fill : n));
  }
  const big = filled.findIndex((n) => n >= N);
  if (big >= 0) {
    throw new InvalidCountError(
      list || d.trainNum !== undefined ? `${prefix}trainNum` : `${name}.samples`,
      `is ${N} but class ${big} has ${filled[big]} samples; N must exceed every n_c (the bias is −κ·log(N/n_c − 1)). ` +
        'Pass the number of training samples, not the number of positive labels.',
    );
  }
  return { inverse: filled.map((n) => 1 / n), bias: filled.map((n) => -kappa * Math.log(N / n - 1)) };
}
