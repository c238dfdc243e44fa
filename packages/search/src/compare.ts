import * as tf from '@tensorflow/tfjs-core';
import { CustomCallback, LayersModel, type Logs } from '@tensorflow/tfjs-layers';
import { confusionCounts, earlyStopping, fbetaScores } from '@tfjs-imbalance/fbeta-metric';
import { InvalidOptionError, type ClassCounts } from '@tfjs-imbalance/weight-schemes';
import { checkOptionNames, checkRange, describe } from '@tfjs-imbalance/weight-schemes/internal';
import { paretoFront, objectiveOf, scoreValidation, type Matrix, type SearchObjective, type ValidationScores } from './scores.js';
import { DEFAULT_TREATMENTS, checkTreatment, trainingSetup, type Treatment } from './treatments.js';
import { checkFactory, checkSplit, labelsOf, predictLogits, type Split } from './inputs.js';
import type { TrainingSetup } from './treatments.js';

/** Pruning of clearly losing candidates: successive halving on epochs. */
export interface Budget {
  /** The epochs (1-based) after which a candidate is compared with the runs before it. Defaults to `[2, 4]`. */
  readonly rungs?: readonly number[];
  /**
   * The fraction that goes on at each rung: a candidate whose best objective
   * so far is below the ⌈keep·n⌉-th best of the n runs that reached that
   * rung (itself and plain training included) stops there. Defaults to `0.5`.
   */
  readonly keep?: number;
}

/** A candidate starts training. */
export interface RunStartEvent {
  /** The event's kind. */
  readonly type: 'run-start';
  /** The candidate's name. */
  readonly name: string;
  /** Its position in the list (0 for plain training). */
  readonly index: number;
  /** The number of candidates. */
  readonly total: number;
  /** Batches per epoch, when known. */
  readonly batchesPerEpoch: number | undefined;
}

/** A training batch ended. */
export interface BatchEvent {
  /** The event's kind. */
  readonly type: 'batch';
  /** The candidate's name. */
  readonly name: string;
  /** The epoch (0-based). */
  readonly epoch: number;
  /** The batch (0-based). */
  readonly batch: number;
  /** The batch's training loss. */
  readonly loss: number;
}

/** An epoch ended and was scored on validation. */
export interface EpochEvent {
  /** The event's kind. */
  readonly type: 'epoch';
  /** The candidate's name. */
  readonly name: string;
  /** The epoch (0-based). */
  readonly epoch: number;
  /** The `stopOn` score on validation. */
  readonly score: number;
}

/** A candidate finished. */
export interface RunEndEvent {
  /** The event's kind. */
  readonly type: 'run-end';
  /** The finished run. */
  readonly run: TreatmentRun;
}

/** What {@link compareTreatments} reports as it goes. */
export type SearchProgress = RunStartEvent | BatchEvent | EpochEvent | RunEndEvent;

/** Arguments of {@link compareTreatments}. */
export interface CompareTreatmentsArgs {
  /**
   * A factory that returns a fresh, uncompiled model whose output is one
   * logit per class (no sigmoid). Required. Every candidate starts from the
   * same initial weights: the search copies the first model's weights into
   * each later one, so a factory with random initialisers is fine.
   */
  readonly model: () => LayersModel;
  /** The training data: `{ x, y }` tensors with multi-hot labels [N, C], or a `tf.data` dataset of batched `{ xs, ys }`. Required. */
  readonly train: Split;
  /** The validation data, in the same form. Selection, pruning, early stopping and thresholds use it alone. Required. */
  readonly validation: Split;
  /** The candidates, run in this order; the first must be plain training. Defaults to {@link DEFAULT_TREATMENTS}. */
  readonly candidates?: readonly Treatment[];
  /**
   * What the selection maximises on validation, at thresholds tuned by
   * 2-fold cross-fitting: `'macro'` F-beta, `'micro'` F-beta,
   * `'bottom-third'` (macro F-beta over the third of classes with the
   * fewest training examples) or `'macro-ap'` (average precision, no
   * thresholds). Defaults to `'macro'`: on skewed data every class counts
   * once, which is what re-weighting is for.
   */
  readonly objective?: SearchObjective;
  /**
   * The trade-off: a candidate is eligible only if its validation micro
   * F-beta is at most this far below plain training's. Defaults to `0.02`:
   * two points of micro F-beta, the pooled score the frequent classes
   * dominate, for a gain on the classes a macro average counts once.
   * Ignored with `objective: 'micro'`.
   */
  readonly maxMicroDrop?: number;
  /** The F-beta's β. Defaults to `0.5` (precision counts more, as in the GumGum write-up). */
  readonly beta?: number;
  /** The most epochs per candidate. Defaults to `20`. */
  readonly epochs?: number;
  /** Batch size for tensor data. Defaults to `32`, as `fit`. */
  readonly batchSize?: number;
  /** Whether `fit` shuffles tensor data each epoch. Defaults to `true`, as `fit`. */
  readonly shuffle?: boolean;
  /** A factory for each candidate's optimizer. Defaults to `() => tf.train.adam(0.001)`. */
  readonly optimizer?: () => tf.Optimizer;
  /**
   * What picks each candidate's epoch (early stopping, and the weights kept):
   * `'micro'`, the validation micro F-beta at threshold 0.5, or
   * `'objective'`, the search's objective at cross-fitted tuned thresholds.
   * Defaults to `'micro'`: it is cheap to compute every epoch, and a tuned
   * objective on a long tail is flat and noisy from epoch to epoch, so it
   * keeps training well past the point where the frequent classes overfit
   * (on debtags' 29 tags it kept plain training 8 more epochs, for 0.034 less
   * micro F0.5 at 0.5 and no macro gain). The pruning rungs always use the
   * objective.
   */
  readonly stopOn?: 'micro' | 'objective';
  /** Epochs without a better `stopOn` score before a candidate stops (its best epoch's weights are kept). Defaults to `3`. */
  readonly patience?: number;
  /** Pruning of clearly losing candidates, or `false` to train every one to the end. Defaults to `{ rungs: [2, 4], keep: 0.5 }`. */
  readonly budget?: Budget | false;
  /** Called as training goes. Defaults to none. */
  readonly onProgress?: (event: SearchProgress) => void;
  /** Called after each run with its trained model (best epoch's weights), which is freed afterwards unless selected: score it on your test set here. Defaults to none. */
  readonly onRunEnd?: (run: TreatmentRun, model: LayersModel) => void | Promise<void>;
}

const ARGS = ['model', 'train', 'validation', 'candidates', 'objective', 'maxMicroDrop', 'beta', 'epochs', 'batchSize', 'shuffle', 'optimizer', 'stopOn', 'patience', 'budget', 'onProgress', 'onRunEnd'] as const;
const OBJECTIVES: readonly SearchObjective[] = ['macro', 'micro', 'bottom-third', 'macro-ap'];

/** One trained candidate. */
export interface TreatmentRun {
  /** The treatment's name. */
  readonly name: string;
  /** The treatment as trained (`scheme: 'best'` resolved). */
  readonly treatment: Treatment;
  /** Validation scores at the kept epoch. */
  readonly validation: ValidationScores;
  /** The objective's value on validation. */
  readonly objective: number;
  /** Whether its micro F-beta is within `maxMicroDrop` of plain training's. */
  readonly eligible: boolean;
  /** Per-class probability thresholds tuned on the whole validation set (`tuneThresholds` defaults). */
  readonly thresholds: number[];
  /** Epochs trained. */
  readonly epochs: number;
  /** The epoch (0-based) whose weights were kept. */
  readonly bestEpoch: number;
  /** The epoch (1-based) at whose rung the budget stopped it, or `undefined` if it ran until early stopping or `epochs`. */
  readonly prunedAt: number | undefined;
  /** The validation objective after each epoch at which it was computed (every epoch with `stopOn: 'objective'`, else the rung epochs). */
  readonly curve: number[];
  /** Wall-clock seconds of the run, scoring included. */
  readonly seconds: number;
}

/** The result of {@link compareTreatments}. Call {@link TreatmentComparison.dispose} when done. */
export interface TreatmentComparison {
  /** Every run, in the order trained; the first is plain training. */
  readonly runs: TreatmentRun[];
  /** The selected run: the eligible one with the best objective (plain training if none beats it). */
  readonly selected: TreatmentRun;
  /** The selected run's trained model (best epoch's weights, compiled with its loss). Freed by `dispose`. */
  readonly model: LayersModel;
  /** The runs that no other run beats on both validation micro and macro F-beta, by micro descending. */
  readonly front: TreatmentRun[];
  /** The training set's class counts. */
  readonly counts: ClassCounts;
  /** The bottom third of classes by training count. */
  readonly bottomThird: number[];
  /** Frees the selected model and its loss. */
  dispose(): void;
}

interface Settings {
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

function settingsOf(args: CompareTreatmentsArgs): Settings {
  const whole = (name: string, v: unknown, min: number) => {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min) throw new InvalidOptionError(`args.${name}`, `must be a whole number ≥ ${min}, got ${describe(v)}.`);
    return v;
  };
  const objective = args.objective ?? 'macro';
  if (!OBJECTIVES.includes(objective)) throw new InvalidOptionError('args.objective', `must be one of ${OBJECTIVES.map((o) => `'${o}'`).join(', ')}, got ${describe(objective)}.`);
  const budget = args.budget ?? {};
  if (budget !== false && (budget === null || typeof budget !== 'object')) throw new InvalidOptionError('args.budget', `must be { rungs, keep } or false, got ${describe(budget)}.`);
  if (budget !== false) checkOptionNames('args.budget', budget, ['rungs', 'keep']);
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

function checkCandidates(list: readonly Treatment[]): void {
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

/**
 * Finds what helps *your* model on imbalanced multi-label data: trains each
 * candidate treatment (plain training, re-weighting schemes, the focal,
 * Distribution-Balanced and Asymmetric losses, logit adjustment, prior-bias
 * initialisation) from the same initial weights, stops clear losers early
 * (successive halving on epochs) and selects one on validation alone.
 *
 * The rule, fixed before any figure was seen: each run is scored on
 * validation at per-class thresholds tuned by 2-fold cross-fitting; a run is
 * eligible if its micro F-beta is at most `maxMicroDrop` (0.02) below plain
 * training's; the selected run is the eligible one with the best `objective`
 * (macro F-beta), plain training when none beats it.
 *
 * Defaults: the {@link DEFAULT_TREATMENTS}, objective `'macro'` F0.5,
 * `maxMicroDrop` 0.02, 20 epochs of batch 32 with Adam (0.001), early
 * stopping on validation micro F0.5 at 0.5 with patience 3, pruning at
 * epochs 2 and 4 keeping half.
 *
 * @param args - See {@link CompareTreatmentsArgs}.
 * @returns Every run, the selected one with its trained model and tuned thresholds, and the micro–macro front. Call `dispose()` when done.
 *
 * @example
 * ```ts
 * const comparison = await compareTreatments({
 *   model: () => tf.sequential({ layers: [tf.layers.dense({ units: C, inputShape: [D] })] }),
 *   train: { x: xTrain, y: yTrain },
 *   validation: { x: xVal, y: yVal },
 *   epochs: 30,
 * });
 * const { name, thresholds, validation } = comparison.selected;
 * console.log(name, validation.macro, validation.micro);
 * const labels = applyThresholds(comparison.model.predict(xTest) as tf.Tensor, thresholds, { from: 'logits' });
 * comparison.dispose();
 * ```
 */
export async function compareTreatments(args: CompareTreatmentsArgs): Promise<TreatmentComparison> {
  if (args === null || typeof args !== 'object') throw new InvalidOptionError('args', `must be an object such as { model, train, validation }, got ${describe(args)}.`);
  if ('validationData' in args || 'validationSplit' in args) {
    throw new InvalidOptionError(
      'args',
      "has fit's validationData or validationSplit; the search takes its held-out rows as validation: { x: xVal, y: yVal }. Split them off the training data yourself.",
    );
  }
  checkOptionNames('args', args, ARGS);
  const s = settingsOf(args);
  const candidates = args.candidates ?? DEFAULT_TREATMENTS;
  checkCandidates(candidates);
  const optimizer = args.optimizer ?? (() => tf.train.adam(0.001));
  if (typeof optimizer !== 'function') {
    const hint = (optimizer as unknown) instanceof tf.Optimizer ? 'an optimizer; each candidate needs its own optimizer state, so pass a factory that makes one' : describe(optimizer);
    throw new InvalidOptionError('args.optimizer', `must be a factory such as () => tf.train.adam(0.001), got ${hint}.`);
  }
  const train = checkSplit('args.train', args.train);
  const validation = checkSplit('args.validation', args.validation);
  const first = checkFactory(args.model, undefined);
  const initial = first.getWeights().map((w) => tf.clone(w));
  const C = first.outputs[0]!.shape.at(-1)!;
  first.dispose();
  let counts: ClassCounts;
  let yVal: Matrix;
  try {
    counts = (await labelsOf('args.train', train, C, true)).counts;
    yVal = (await labelsOf('args.validation', validation, C, false)).labels;
  } catch (e) {
    tf.dispose(initial);
    throw e;
  }
  const bottomThird = counts.positives.map((_, c) => c).sort((a, b) => counts.positives[a]! - counts.positives[b]! || a - b).slice(0, Math.ceil(C / 3));
  const runs: TreatmentRun[] = [];
  const rungScores = new Map<number, number[]>();
  let kept: { run: TreatmentRun; model: LayersModel; dispose: () => void } | undefined;
  const isBetter = (r: TreatmentRun, than: TreatmentRun) => r.eligible && r.objective > than.objective;
  try {
    for (const [index, candidate] of candidates.entries()) {
      const treatment = resolveBest(candidate, runs);
      const t0 = performance.now();
      const model = checkFactory(args.model, initial);
      const setup = trainingSetup(treatment, counts);
      let keep = false;
      try {
        setup.prepare(model);
        model.compile({ optimizer: optimizer(), loss: setup.loss as never });
        const curve: number[] = [];
        let best = -Infinity;
        let prunedAt: number | undefined;
        let epochNow = 0;
        args.onProgress?.({ type: 'run-start', name: treatment.name, index, total: candidates.length, batchesPerEpoch: train.batchesPerEpoch(s.batchSize) });
        const scorer = new CustomCallback({
          onEpochBegin: async (epoch) => void (epochNow = epoch),
          onBatchEnd: async (batch, logs) => args.onProgress?.({ type: 'batch', name: treatment.name, epoch: epochNow, batch, loss: Number(logs?.['loss'] ?? Number.NaN) }),
          onEpochEnd: async (epoch: number, logs?: Logs) => {
            const atRung = s.rungs.includes(epoch + 1);
            const logits = await predictLogits(model, validation, s.batchSize);
            if (s.stopOn === 'objective' || atRung) {
              curve.push(objectiveOf(scoreValidation(yVal, logits, s.beta, bottomThird), s.objective));
              best = Math.max(best, curve.at(-1)!);
            }
            const monitored = s.stopOn === 'objective' ? curve.at(-1)! : microAt05(yVal, logits, s.beta);
            if (logs) logs['val_monitor'] = monitored;
            args.onProgress?.({ type: 'epoch', name: treatment.name, epoch, score: monitored });
            if (!atRung) return;
            const seen = [...(rungScores.get(epoch + 1) ?? []), best];
            rungScores.set(epoch + 1, seen);
            // Plain training (index 0) sets the bars; the last epoch has nothing left to save.
            if (index === 0 || epoch + 1 >= s.epochs) return;
            const bar = [...seen].sort((a, b) => b - a)[Math.ceil(s.keep * seen.length) - 1]!;
            if (best < bar) {
              prunedAt = epoch + 1;
              model.stopTraining = true;
            }
          },
        });
        const stopper = earlyStopping({ monitor: 'val_monitor', mode: 'max', patience: s.patience, restoreBestWeights: true });
        const callbacks = [...setup.callbacks, scorer, stopper];
        if (train.dataset !== undefined) await model.fitDataset(train.dataset as never, { epochs: s.epochs, verbose: 0, callbacks });
        else await model.fit(train.x!, train.y!, { epochs: s.epochs, batchSize: s.batchSize, shuffle: s.shuffle, verbose: 0, callbacks });
        // Plain training sets the rung bars for epochs it never reached (it stopped early) with its best.
        if (index === 0) for (const r of s.rungs) if (!rungScores.has(r)) rungScores.set(r, [best]);
        const logits = await predictLogits(model, validation, s.batchSize);
        const { thresholds, ...validationScores } = scoreValidation(yVal, logits, s.beta, bottomThird, true);
        const objective = objectiveOf(validationScores, s.objective);
        const plain = runs[0];
        const run: TreatmentRun = {
          name: treatment.name,
          treatment,
          validation: validationScores,
          objective,
          eligible: plain === undefined || s.objective === 'micro' || validationScores.micro >= plain.validation.micro - s.maxMicroDrop,
          thresholds,
          epochs: stopper.epochsRun,
          bestEpoch: stopper.bestEpoch,
          prunedAt,
          curve,
          seconds: (performance.now() - t0) / 1000,
        };
        runs.push(run);
        await args.onRunEnd?.(run, model);
        args.onProgress?.({ type: 'run-end', run });
        if (kept === undefined || isBetter(run, kept.run)) {
          kept?.dispose();
          kept = { run, model, dispose: () => release(model, setup) };
          keep = true;
        }
      } finally {
        if (!keep) release(model, setup);
      }
    }
  } catch (e) {
    kept?.dispose();
    throw e;
  } finally {
    tf.dispose(initial);
  }
  const selected = kept!;
  return {
    runs,
    selected: selected.run,
    model: selected.model,
    front: paretoFront(runs),
    counts,
    bottomThird,
    dispose: selected.dispose,
  };
}

/** Frees a candidate's model, its optimizer (compile does not own an optimizer it was given) and its loss. */
function release(model: LayersModel, setup: TrainingSetup): void {
  model.optimizer?.dispose();
  model.dispose();
  setup.dispose();
}

/** Micro F-beta at threshold 0.5. */
function microAt05(y: Matrix, logits: Matrix, beta: number): number {
  return fbetaScores(confusionCounts(y, logits, { beta, from: 'logits', threshold: 0.5 }), { beta }).micro.f;
}

/** A treatment with `scheme: 'best'` replaced by the scheme of the best re-weighted binary cross-entropy run so far. */
function resolveBest(t: Treatment, runs: readonly TreatmentRun[]): Treatment {
  if (t.scheme !== 'best') return t;
  const reweighted = runs.filter((r) => (r.treatment.loss ?? 'bce') === 'bce' && (r.treatment.scheme ?? 'none') !== 'none');
  if (reweighted.length === 0) {
    throw new InvalidOptionError('args.candidates', `"${t.name}" asks for the best scheme, but no candidate before it re-weights binary cross-entropy. Put a scheme candidate such as { name: 'ins', scheme: 'ins' } before it.`);
  }
  const eligible = reweighted.filter((r) => r.eligible);
  const pool = eligible.length > 0 ? eligible : reweighted;
  const best = pool.reduce((a, b) => (b.objective > a.objective ? b : a));
  return { ...t, scheme: best.treatment.scheme! };
}
