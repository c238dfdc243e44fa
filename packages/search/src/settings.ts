import { InvalidOptionError } from '@tfjs-imbalance/weight-schemes';
import { checkOptionNames, checkRange, describe, optionNames, checkConstraint, checkOneOf } from '@tfjs-imbalance/weight-schemes/internal';
import type { SearchObjective } from './scores.js';
import { checkedHalvingPruner, type HalvingOptions, type Pruner } from './pruner.js';
import { drawSeed } from './random.js';
import { checkTreatment, type Treatment } from './treatments.js';
import type { CompareTreatmentsArgs, NoiseOptions } from './types.js';

/** The option names of {@link CompareTreatmentsArgs}. */
export const ARGS = optionNames<CompareTreatmentsArgs>()(
  'model',
  'train',
  'validation',
  'candidates',
  'objective',
  'maxMicroDrop',
  'beta',
  'epochs',
  'batchSize',
  'shuffle',
  'optimizer',
  'stopOn',
  'patience',
  'budget',
  'seed',
  'noise',
  'verbose',
  'onProgress',
  'onRunEnd',
  'workers',
);
/** The objectives the search can maximise on validation, as `args.objective` takes them. */
export const SEARCH_OBJECTIVES: readonly SearchObjective[] = ['macro', 'micro', 'bottom-third', 'macro-ap'];

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
  /** The pruner, or `undefined` with `budget: false`. */
  readonly pruner: Pruner | undefined;
  readonly seed: number;
  /** The bootstrap's settings, or `undefined` with `noise: false`. */
  readonly noise: { readonly resamples: number; readonly level: number } | undefined;
  readonly verbose: 0 | 1 | 2;
}

/** Checks the arguments' settings and fills in the defaults. */
export function settingsOf(args: CompareTreatmentsArgs): Settings {
  const whole = (name: string, v: unknown, min: number) => {
    checkConstraint(`args.${name}`, v, { whole: { min } });
    return v as number;
  };
  const objective = checkOneOf('args.objective', args.objective ?? 'macro', SEARCH_OBJECTIVES);
  if (args.shuffle !== undefined) checkConstraint('args.shuffle', args.shuffle, 'boolean');
  const seed = args.seed ?? drawSeed();
  checkConstraint('args.seed', seed, { whole: {} });
  return {
    objective,
    maxMicroDrop: checkRange('args.maxMicroDrop', args.maxMicroDrop ?? 0.02, { min: 0, max: 1 }),
    beta: checkRange('args.beta', args.beta ?? 0.5, { min: 1e-6, max: 1e6 }),
    epochs: whole('epochs', args.epochs ?? 20, 1),
    batchSize: whole('batchSize', args.batchSize ?? 32, 1),
    shuffle: args.shuffle ?? true,
    patience: whole('patience', args.patience ?? 3, 0),
    stopOn: stopOnOf(args.stopOn),
    pruner: prunerOf(args.budget),
    seed,
    noise: noiseOf(args.noise),
    verbose: verboseOf(args.verbose),
  };
}

function prunerOf(budget: CompareTreatmentsArgs['budget']): Pruner | undefined {
  if (budget === false) return undefined;
  if (budget !== undefined && budget !== null && typeof (budget as Pruner).judge === 'function') {
    const p = budget as Pruner;
    if (typeof p.needsObjective !== 'function' || typeof p.description !== 'string') {
      throw new InvalidOptionError('args.budget', 'is a pruner without needsObjective or description; a Pruner has description, needsObjective(epoch, plainEpochs, maxEpochs) and judge(context). Build one with halvingPruner({ ... }).');
    }
    return p;
  }
  if (budget !== undefined && (budget === null || typeof budget !== 'object' || Array.isArray(budget))) {
    throw new InvalidOptionError('args.budget', `must be false, a pruner such as halvingPruner(), or its options such as { rungs: [0.25, 0.5], keep: 1/3 }; got ${describe(budget)}.`);
  }
  return checkedHalvingPruner('args.budget', (budget ?? {}) as HalvingOptions);
}

function noiseOf(noise: CompareTreatmentsArgs['noise']): Settings['noise'] {
  if (noise === false) return undefined;
  if (noise !== undefined && (noise === null || typeof noise !== 'object')) throw new InvalidOptionError('args.noise', `must be false or { resamples, level }, got ${describe(noise)}.`);
  checkOptionNames('args.noise', noise, optionNames<NoiseOptions>()('resamples', 'level'));
  const resamples = noise?.resamples ?? 1000;
  checkConstraint('args.noise.resamples', resamples, { whole: { min: 100 } });
  return { resamples, level: checkRange('args.noise.level', noise?.level ?? 0.95, { min: 0.5, max: 0.999 }) };
}

function verboseOf(v: CompareTreatmentsArgs['verbose']): 0 | 1 | 2 {
  if (v === 0 || v === 1 || v === 2) return v;
  if (v !== undefined && v !== 'auto') throw new InvalidOptionError('args.verbose', `must be 0, 1, 2 or 'auto', got ${describe(v)}.`);
  const proc = (globalThis as { process?: { stdout?: { isTTY?: boolean }; env?: Record<string, string | undefined> } }).process;
  return proc?.stdout?.isTTY === true && proc.env?.['JEST_WORKER_ID'] === undefined && proc.env?.['CI'] === undefined ? 1 : 0;
}

function stopOnOf(v: unknown): 'micro' | 'objective' {
  if (v === undefined) return 'micro';
  return checkOneOf('args.stopOn', v, ['micro', 'objective']);
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
