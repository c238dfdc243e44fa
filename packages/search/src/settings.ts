import { InvalidOptionError } from '@tfjs-imbalance/weight-schemes';
import { checkOptionNames, checkRange, describe, optionNames } from '@tfjs-imbalance/weight-schemes/internal';
import type { SearchObjective } from './scores.js';
import { checkTreatment, type Treatment } from './treatments.js';
import type { Budget, CompareTreatmentsArgs } from './types.js';

/** The option names of {@link CompareTreatmentsArgs}. */
export const ARGS = optionNames<CompareTreatmentsArgs>()('model', 'train', 'validation', 'candidates', 'objective', 'maxMicroDrop', 'beta', 'epochs', 'batchSize', 'shuffle', 'optimizer', 'stopOn', 'patience', 'budget', 'onProgress', 'onRunEnd');
const OBJECTIVES: readonly SearchObjective[] = ['macro', 'micro', 'bottom-third', 'macro-ap'];

/** The search's settings, checked, with their defaults. */
export interface Settings {
  readonly objective: SearchObjective;
  readonly maxMicroDrop: number;
  readonly beta: number;
  readonly epochs: number;
  readonly batchSize: number;
  readonly shuffle: boolean;
  readonly patience: number;
  readonly stopOn: 'micro' | 'objective';
  readonly rungs: readonly number[];
  readonly keep: number;
}

/** Checks the arguments' settings and fills in the defaults. */
export function settingsOf(args: CompareTreatmentsArgs): Settings {
  const whole = (name: string, v: unknown, min: number) => {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min) throw new InvalidOptionError(`args.${name}`, `must be a whole number ≥ ${min}, got ${describe(v)}.`);
    return v;
  };
  const objective = args.objective ?? 'macro';
  if (!OBJECTIVES.includes(objective)) throw new InvalidOptionError('args.objective', `must be one of ${OBJECTIVES.map((o) => `'${o}'`).join(', ')}, got ${describe(objective)}.`);
  const budget = args.budget ?? {};
  if (budget !== false && (budget === null || typeof budget !== 'object')) throw new InvalidOptionError('args.budget', `must be { rungs, keep } or false, got ${describe(budget)}.`);
  if (budget !== false) checkOptionNames('args.budget', budget, optionNames<Budget>()('rungs', 'keep'));
  const rungs = budget === false ? [] : (budget.rungs ?? [2, 4]);
  if (!Array.isArray(rungs)) throw new InvalidOptionError('args.budget.rungs', `must be a list of epochs such as [2, 4], got ${describe(rungs)}.`);
  rungs.forEach((r, i) => whole(`budget.rungs[${i}]`, r, 1));
  for (const k of ['shuffle'] as const) if (args[k] !== undefined && typeof args[k] !== 'boolean') throw new InvalidOptionError(`args.${k}`, `must be true or false, got ${describe(args[k])}.`);
  return {
    objective,
    maxMicroDrop: checkRange('args.maxMicroDrop', args.maxMicroDrop ?? 0.02, { min: 0, max: 1 }),
    beta: checkRange('args.beta', args.beta ?? 0.5, { min: 1e-6, max: 1e6 }),
    epochs: whole('epochs', args.epochs ?? 20, 1),
    batchSize: whole('batchSize', args.batchSize ?? 32, 1),
    shuffle: args.shuffle ?? true,
    patience: whole('patience', args.patience ?? 3, 0),
    stopOn: stopOnOf(args.stopOn),
    rungs: [...rungs].sort((a, b) => a - b),
    keep: budget === false ? 1 : checkRange('args.budget.keep', budget.keep ?? 0.5, { min: 0.01, max: 1 }),
  };
}

function stopOnOf(v: unknown): 'micro' | 'objective' {
  if (v === undefined) return 'micro';
  if (v !== 'micro' && v !== 'objective') throw new InvalidOptionError('args.stopOn', `must be 'micro' or 'objective', got ${describe(v)}.`);
  return v;
}

/** Checks the candidate list: plain training first, unique names. */
export function checkCandidates(list: readonly Treatment[]): void {
  if (!Array.isArray(list) || list.length === 0) throw new InvalidOptionError('args.candidates', `must be a non-empty list of treatments, got ${describe(list)}.`);
  list.forEach((t, i) => checkTreatment(`args.candidates[${i}]`, t));
  const first = list[0]!;
  if ((first.loss ?? 'bce') !== 'bce' || (first.scheme ?? 'none') !== 'none' || first.posWeight || first.priorBias || (first.deferUntilEpoch ?? 0) > 0) {
    throw new InvalidOptionError('args.candidates[0]', `must be plain training ({ name: 'plain' }): every other candidate is measured against it. Put "${first.name}" later in the list.`);
  }
  const names = list.map((t) => t.name);
  const dup = names.find((n, i) => names.indexOf(n) !== i);
  if (dup !== undefined) throw new InvalidOptionError('args.candidates', `has two treatments named "${dup}"; names must be unique.`);
}
