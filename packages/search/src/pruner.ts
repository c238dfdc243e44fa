import { InvalidOptionError } from '@tfjs-imbalance/weight-schemes';
import { checkOptionNames, checkRange, describe, optionNames, checkConstraint } from '@tfjs-imbalance/weight-schemes/internal';

/** One run's learning curve as the pruner sees it. */
export interface CurveView {
  /** The candidate's name. */
  readonly name: string;
  /** Its validation objective after each epoch so far (index 0 is epoch 1); `NaN` where it was not computed. */
  readonly curve: readonly number[];
}

/** Plain training's curve, and how long it trained. */
export interface PlainCurveView extends CurveView {
  /** The epochs it trained. */
  readonly epochs: number;
}

/** What a {@link Pruner} judges a candidate on, after one of its epochs. */
export interface PruneContext {
  /** Epochs the candidate has trained (1-based: 3 after its third epoch). */
  readonly epoch: number;
  /** The candidate. */
  readonly run: CurveView;
  /** Plain training, trained first and to its end. */
  readonly plain: PlainCurveView;
  /** The other candidates trained before this one (in the order they started), pruned ones included. */
  readonly others: readonly CurveView[];
  /** The search's `epochs`: the most a candidate trains. */
  readonly maxEpochs: number;
}

/** A pruner's verdict: stop the candidate now, and why (in words, for reports). */
export interface PruneDecision {
  /** Why, such as "at epoch 3 (a quarter of plain training's 12), its objective 0.41 … was below …". */
  readonly reason: string;
}

/**
 * The pruning rule of {@link compareTreatments}, as one object (as Optuna's
 * pruners): which epochs it needs the validation objective at, and whether a
 * candidate stops after an epoch. It holds no state of its own: everything
 * it judges on comes in the {@link PruneContext}, so one pruner serves any
 * number of searches, at once too.
 */
export interface Pruner {
  /** A short description for reports, such as "halving at 1/4 and 1/2 of plain training, keeping 1/3". */
  readonly description: string;
  /**
   * Whether the search must compute the objective after this epoch (1-based)
   * for {@link Pruner.judge}: scoring on validation with cross-fitted
   * thresholds costs about one validation pass and a sort per class.
   * `plainEpochs` is the number of epochs plain training ran.
   */
  needsObjective(epoch: number, plainEpochs: number, maxEpochs: number): boolean;
  /** Called after every epoch of every candidate but plain training: a decision to stop it, or `undefined`. */
  judge(context: PruneContext): PruneDecision | undefined;
}

/** Options of {@link halvingPruner}. */
export interface HalvingOptions {
  /**
   * When to judge a candidate, as fractions of the epochs plain training ran
   * (rounded up, at least epoch 2): a problem that plain training needs 20
   * epochs for is judged later than one it learns in 4. Defaults to
   * `[0.25]`.
   */
  readonly rungs?: readonly number[];
  /** The fraction of the runs at a rung that goes on. Defaults to `1/3`. */
  readonly keep?: number;
  /**
   * How much of a still-rising curve counts: a candidate is judged on its best
   * objective so far plus `allowance` × its gain over its last epoch × the
   * epochs left until plain training's length, so a run that is behind but
   * still climbing fast is not stopped for being slow to start. `0` judges
   * the value alone (plain successive halving). Defaults to `0.5`.
   */
  readonly allowance?: number;
  /**
   * Never stop a candidate whose score (with its rise) is at least the best
   * objective plain training had reached by the same epoch: plain training's
   * curve is known, so this needs no guess about its future. A treatment
   * that keeps up with plain training may still overtake it (the late bloomer
   * that halving on a fixed epoch loses), and one already ahead of it is no
   * loser, whatever the other candidates do. Defaults to `true`.
   */
  readonly keepAbovePlain?: boolean;
}

const HALVING = optionNames<HalvingOptions>()('rungs', 'keep', 'allowance', 'keepAbovePlain');

/** The rung epochs of a halving pruner for a plain training of `plainEpochs` epochs. */
function rungEpochs(fractions: readonly number[], plainEpochs: number, maxEpochs: number): number[] {
  return [...new Set(fractions.map((f) => Math.max(2, Math.ceil(f * plainEpochs))))].filter((e) => e < maxEpochs).sort((a, b) => a - b);
}

/**
 * Asynchronous successive halving (Li et al., 2020) on rungs placed
 * relative to plain training's own length, with an allowance for curves that
 * are still rising. At each rung, a candidate's score is its best validation
 * objective so far plus `allowance` × its last epoch's gain × the epochs left
 * until plain training's length; it stops when that score is below the
 * ⌈keep·n⌉-th best of the n runs that reached the rung (itself and plain
 * training, scored the same way at that epoch, included) and, with
 * `keepAbovePlain`, below the best objective plain training had reached by
 * that epoch too: it prunes clear losers, not runs that beat plain training.
 *
 * @param options - See {@link HalvingOptions}.
 * @returns The pruner, for `compareTreatments({ budget: halvingPruner({ ... }) })`.
 *
 * @example Judge twice, at a quarter and half of plain training, keeping half each time
 * ```ts
 * const comparison = await compareTreatments({ model, train, validation, budget: halvingPruner({ rungs: [0.25, 0.5], keep: 0.5 }) });
 * ```
 */
export function halvingPruner(options: HalvingOptions = {}): Pruner {
  return checkedHalvingPruner('options', options);
}

/** {@link halvingPruner}, its errors naming `argument` (`args.budget` when the search builds it). @internal */
export function checkedHalvingPruner(argument: string, options: HalvingOptions): Pruner {
  if (options === null || typeof options !== 'object') throw new InvalidOptionError(argument, `must be an object such as { rungs: [0.25, 0.5], keep: 1/3 }, got ${describe(options)}.`);
  checkOptionNames(argument, options, HALVING);
  const fractions = options.rungs ?? [0.25];
  if (!Array.isArray(fractions) || fractions.length === 0) throw new InvalidOptionError(`${argument}.rungs`, `must be a non-empty list of fractions of plain training's epochs, such as [0.25, 0.5], got ${describe(fractions)}.`);
  fractions.forEach((f, i) => checkRange(`${argument}.rungs[${i}]`, f, { min: 0, max: 1, minExclusive: true, hint: "rungs are fractions of plain training's epochs: 0.25 judges a candidate after a quarter of them" }));
  const keep = checkRange(`${argument}.keep`, options.keep ?? 1 / 3, { min: 0, max: 1, minExclusive: true });
  const allowance = checkRange(`${argument}.allowance`, options.allowance ?? 0.5, { min: 0, max: 10 });
  const keepAbovePlain = options.keepAbovePlain ?? true;
  checkConstraint(`${argument}.keepAbovePlain`, keepAbovePlain, 'boolean');
  const fraction = (f: number) => (f === 0.25 ? 'a quarter' : f === 0.5 ? 'half' : f === 0.75 ? 'three quarters' : `${Math.round(f * 100)}%`);
  return {
    description: `halving at ${fractions.map(fraction).join(' and ')} of plain training's epochs, keeping ${keep === 1 / 3 ? '1/3' : keep}${allowance > 0 ? `, with a rising-curve allowance of ${allowance}` : ''}${keepAbovePlain ? ", stopping only runs behind plain training's best by then" : ''}`,
    needsObjective(epoch, plainEpochs, maxEpochs) {
      const rungs = rungEpochs(fractions, plainEpochs, maxEpochs);
      return rungs.includes(epoch) || (allowance > 0 && rungs.includes(epoch + 1));
    },
    judge(c) {
      const rungs = rungEpochs(fractions, c.plain.epochs, c.maxEpochs);
      if (!rungs.includes(c.epoch)) return undefined;
      const horizon = c.plain.epochs;
      const score = (curve: readonly number[], epoch: number) => {
        const seen = curve.slice(0, epoch).filter((v) => !Number.isNaN(v));
        if (seen.length === 0) return Number.NaN;
        const best = Math.max(...seen);
        const last = curve[epoch - 1]!;
        const before = curve[epoch - 2];
        const slope = before === undefined || Number.isNaN(before) || Number.isNaN(last) ? 0 : Math.max(0, last - before);
        return best + allowance * slope * Math.max(0, horizon - epoch);
      };
      const own = score(c.run.curve, c.epoch);
      const plainBest = Math.max(...c.plain.curve.slice(0, c.epoch).filter((v) => !Number.isNaN(v)));
      if (keepAbovePlain && own >= plainBest) return undefined;
      const peers = [score(c.plain.curve, Math.min(c.epoch, c.plain.curve.length)), ...c.others.filter((o) => o.curve.length >= c.epoch).map((o) => score(o.curve, c.epoch))].filter((v) => !Number.isNaN(v));
      const all = [...peers, own].sort((a, b) => b - a);
      const rank = Math.ceil(keep * all.length);
      const bar = all[rank - 1]!;
      if (!(own < bar)) return undefined;
      const at = fraction(fractions.find((f) => Math.max(2, Math.ceil(f * horizon)) === c.epoch)!);
      return {
        reason:
          `at epoch ${c.epoch} (${at} of plain training's ${horizon}), its objective ${own.toFixed(3)}${allowance > 0 ? ' (its best so far, with its rise)' : ''} was below ${bar.toFixed(3)}, ` +
          `${rank === 1 ? 'the best' : `the ${ordinal(rank)} best`} of the ${all.length} runs there${keepAbovePlain ? `, and below plain training's best by then, ${plainBest.toFixed(3)}` : ''}`,
      };
    },
  };
}

const ordinal = (n: number) => `${n}${n % 10 === 2 && n !== 12 ? 'nd' : n % 10 === 3 && n !== 13 ? 'rd' : n % 10 === 1 && n !== 11 ? 'st' : 'th'}`;
