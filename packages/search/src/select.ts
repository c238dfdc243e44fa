import type { Interval } from './noise.js';
import type { SearchObjective } from './scores.js';
import type { TreatmentRun } from './types.js';

/** The selection's settings. */
export interface SelectionRule {
  readonly objective: SearchObjective;
  readonly beta: number;
  readonly maxMicroDrop: number;
  /** The noise intervals' coverage, or `undefined` when they are off. */
  readonly level: number | undefined;
}

/** Why a run can or cannot replace plain training, in a few words. */
export function standing(run: TreatmentRun, index: number): 'plain' | 'pruned' | 'not eligible' | 'worse' | 'within noise' | 'beyond noise' {
  if (index === 0) return 'plain';
  if (run.stop.kind === 'pruned') return 'pruned';
  if (!run.eligible) return 'not eligible';
  const g = run.gain!.objective;
  return g.low > 0 ? 'beyond noise' : g.high < 0 || (g.high === 0 && g.estimate < 0) ? 'worse' : 'within noise';
}

/**
 * The rule: among the runs trained to their end (not pruned) whose micro
 * F-beta keeps within `maxMicroDrop` of plain training's and whose gain in
 * the objective over plain training is beyond the noise (the interval's
 * lower end above 0), the one with the best objective; plain training when
 * there is none. Ties go to the earlier run.
 */
export function select(runs: readonly TreatmentRun[]): TreatmentRun {
  let best = runs[0]!;
  runs.forEach((r, i) => {
    if (standing(r, i) === 'beyond noise' && r.objective > best.objective) best = r;
  });
  return best;
}

const OBJECTIVE_NAMES: Record<SearchObjective, string> = { macro: 'macro F', micro: 'micro F', 'bottom-third': 'bottom-third F', 'macro-ap': 'macro AP' };

/** The objective's name with its β, such as "macro F0.5". */
export function objectiveName(rule: Pick<SelectionRule, 'objective' | 'beta'>): string {
  return rule.objective === 'macro-ap' ? OBJECTIVE_NAMES[rule.objective] : `${OBJECTIVE_NAMES[rule.objective]}${rule.beta}`;
}

const signed = (v: number) => `${v >= 0 ? '+' : '−'}${Math.abs(v).toFixed(3)}`;

/** An interval in words: "+0.041 (95% interval +0.022 to +0.060)". */
export function describeGain(g: Interval, level: number | undefined): string {
  return level === undefined ? signed(g.estimate) : `${signed(g.estimate)} (${Math.round(level * 100)}% interval ${signed(g.low)} to ${signed(g.high)})`;
}

/** The verdict in words: what was selected, by how much, and why the others were not. */
export function verdict(runs: readonly TreatmentRun[], selected: TreatmentRun, rule: SelectionRule): string {
  const name = objectiveName(rule);
  const lines: string[] = [];
  const plain = runs[0]!;
  if (selected === plain) {
    const contenders = runs.filter((r, i) => standing(r, i) === 'within noise' && r.objective > plain.objective);
    const best = contenders.reduce<TreatmentRun | undefined>((a, b) => (a === undefined || b.objective > a.objective ? b : a), undefined);
    lines.push(
      best === undefined
        ? `Plain training selected: no treatment trained to its end beat its validation ${name} within the trade-off (micro F${rule.beta} at most ${rule.maxMicroDrop} below plain training's).`
        : `Plain training selected: the best treatment, ${best.name}, changes validation ${name} by ${describeGain(best.gain!.objective, rule.level)}, within the noise of the validation rows.`,
    );
  } else {
    lines.push(`${selected.name}: validation ${name} ${describeGain(selected.gain!.objective, rule.level)} over plain training, micro F${rule.beta} ${describeGain(selected.gain!.micro, rule.level)}; selected.`);
  }
  return lines.join(' ');
}
