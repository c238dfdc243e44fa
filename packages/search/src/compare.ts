import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { InvalidOptionError, type ClassCounts } from '@tfjs-imbalance/weight-schemes';
import { checkOptionNames, describe, warnSlowBackend } from '@tfjs-imbalance/weight-schemes/internal';
import { consoleProgress } from './format.js';
import { checkFactory, checkFiniteInputs, checkInputShape, checkSplit, labelsOf } from './inputs.js';
import type { ResampledRun } from './noise.js';
import type { CurveView } from './pruner.js';
import { Streams } from './random.js';
import { paretoFront, type Matrix, type MicroReference } from './scores.js';
import { scoreRun } from './score-run.js';
import { select, verdict } from './select.js';
import { ARGS, checkCandidates, settingsOf, type Settings } from './settings.js';
import { release, trainCandidate, type SearchPlan, type TrainedCandidate } from './train-candidate.js';
import { Progression, startParallel, workersOf, type Parallel, type Workers } from './parallel.js';
import { DEFAULT_TREATMENTS, biasToSet, type Treatment, type TrainingSetup } from './treatments.js';
import type { CompareTreatmentsArgs, TreatmentComparison, TreatmentRun } from './types.js';

/**
 * Finds what helps *your* model on imbalanced multi-label data: trains each
 * candidate treatment (plain training, re-weighting schemes, the focal,
 * Distribution-Balanced and Asymmetric losses, prior-bias initialisation)
 * from the same initial weights and on the same random streams, stops clear
 * losers early, and selects one on validation alone.
 *
 * The rule: each run is scored on validation at per-class thresholds tuned
 * by 2-fold cross-fitting. Each later run's thresholds give up the least
 * macro F-beta (the bottom third's with that objective) that keeps its micro
 * F-beta within `maxMicroDrop` (0.02) of plain training's on the rows they
 * are tuned on, where the classes it may tune can. A run replaces plain
 * training when it trained to its end (was not pruned), its cross-fitted
 * micro F-beta is at most `maxMicroDrop` below plain training's, and its
 * gain in the objective is beyond the noise: the 95% interval of a paired
 * bootstrap over the validation rows lies above 0. Of those, the one with
 * the best objective is selected; plain training when there is none.
 *
 * Defaults: the {@link DEFAULT_TREATMENTS}, objective `'macro'` F0.5,
 * `maxMicroDrop` 0.02, 20 epochs of batch 32 with Adam (0.001), early
 * stopping on validation micro F0.5 at 0.5 with patience 3, the
 * {@link halvingPruner} (each run judged once, at a quarter of plain
 * training's epochs, keeping the best third and any run level with plain
 * training), a random seed (reported), 1,000 bootstrap resamples, progress
 * printed on a terminal.
 *
 * @param args - See {@link CompareTreatmentsArgs}.
 * @returns Every run, the selected one with its trained model, tuned thresholds and verdict, and the micro–macro front. Call `dispose()` when done.
 *
 * @example
 * ```ts
 * const comparison = await compareTreatments({
 *   model: () => tf.sequential({ layers: [tf.layers.dense({ units: C, inputShape: [D] })] }),
 *   train: { x: xTrain, y: yTrain },
 *   validation: { x: xVal, y: yVal },
 *   epochs: 30,
 *   seed: 1,
 * });
 * console.log(formatComparison(comparison)); // the runs as a table, and the verdict
 * await saveClassifier(comparison, 'indexeddb://tags', { labels: tagNames });
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
  const workers = await workersOf(args);
  const plan = await prepare(workers === undefined ? args : { ...args, model: workers.model, ...(workers.optimizer === undefined ? {} : { optimizer: workers.optimizer }) }, s);
  warnSlowBackend(tf.getBackend(), `compareTreatments (${candidates.length} trainings)`);
  try {
    return await search(plan, candidates, args, workers);
  } finally {
    tf.dispose(plan.initial as tf.Tensor[]);
  }
}

/** Checks the data and the model, and gathers what every candidate trains on. */
async function prepare(args: CompareTreatmentsArgs, s: Settings): Promise<SearchPlan> {
  const optimizer = args.optimizer ?? (() => tf.train.adam(0.001));
  if (typeof optimizer !== 'function') {
    const hint = (optimizer as unknown) instanceof tf.Optimizer ? 'an optimizer; each candidate needs its own optimizer state, so pass a factory that makes one' : describe(optimizer);
    throw new InvalidOptionError('args.optimizer', `must be a factory such as () => tf.train.adam(0.001), got ${hint}.`);
  }
  const train = checkSplit('args.train', args.train);
  const validation = checkSplit('args.validation', args.validation);
  const streams = new Streams(s.seed);
  const first = streams.withInitialisationStream(() => checkFactory(args.model, undefined));
  try {
    for (const split of [train, validation]) checkInputShape(split, first);
    (args.candidates ?? DEFAULT_TREATMENTS).forEach((t, i) => t.priorBias === true && biasToSet(`args.candidates[${i}].priorBias`, first));
  } catch (e) {
    first.dispose();
    throw e;
  }
  const initial = first.getWeights().map((w) => tf.clone(w));
  const C = first.outputs[0]!.shape.at(-1)!;
  first.dispose();
  let counts: ClassCounts;
  let yVal: Matrix;
  try {
    counts = (await labelsOf('args.train', train, C, true)).counts;
    yVal = (await labelsOf('args.validation', validation, C, false)).labels;
    for (const split of [train, validation]) await checkFiniteInputs(split);
  } catch (e) {
    tf.dispose(initial);
    throw e;
  }
  const bottomThird = counts.positives.map((_, c) => c).sort((a, b) => counts.positives[a]! - counts.positives[b]! || a - b).slice(0, Math.ceil(C / 3));
  const printer = consoleProgress(s.verbose);
  const onProgress = args.onProgress;
  return {
    settings: s,
    factory: args.model!, // checkFactory above refused anything else
    optimizer,
    initial,
    train,
    validation,
    yVal,
    counts,
    bottomThird,
    streams,
    progress: (e) => {
      printer?.(e);
      onProgress?.(e);
    },
  };
}

/** The candidate kept so far: the best by the selection rule, with its model alive. */
interface Kept {
  readonly run: TreatmentRun;
  readonly model: LayersModel;
  readonly setup: TrainingSetup;
}

/** Train, prune, score, select: one candidate after another (the training of those after plain training in worker threads, with `workers`). */
async function search(plan: SearchPlan, candidates: readonly Treatment[], args: CompareTreatmentsArgs, workers: Workers | undefined): Promise<TreatmentComparison> {
  const s = plan.settings;
  const runs: TreatmentRun[] = [];
  const curves: CurveView[] = [];
  let plain: { readonly reference: MicroReference; readonly resampled: ResampledRun; readonly epochs: number; readonly curve: readonly number[] } | undefined;
  let kept: Kept | undefined;
  const scored = new Progression();
  let parallel: Parallel | undefined;
  try {
    for (const [index, candidate] of candidates.entries()) {
      if (index === 1 && workers !== undefined) {
        parallel = await startParallel(plan, workers, candidates, { name: candidates[0]!.name, curve: plain!.curve, epochs: plain!.epochs, reference: plain!.reference, run: runs[0]!, resampled: plain!.resampled }, (k) =>
          candidates[k]!.scheme === 'best' ? scored.reached(k).then(() => resolveBest(candidates[k]!, runs)) : Promise.resolve(candidates[k]!),
          s.verbose > 0 || args.onProgress !== undefined,
        );
      }
      const treatment = parallel === undefined ? resolveBest(candidate, runs) : candidate;
      const pruner = index === 0 ? undefined : s.pruner;
      const others = curves.slice(1);
      const trained: TrainedCandidate & { readonly run?: TreatmentRun } = parallel !== undefined ? await parallel.trained(index) : await trainCandidate(plan, treatment, {
        index,
        total: candidates.length,
        reference: plain?.reference,
        // Plain training's curve is scored every epoch: the rungs are placed on its length, known only at its end.
        needsObjective: (epoch) => (index === 0 ? s.pruner !== undefined : (pruner?.needsObjective(epoch, plain!.epochs, s.epochs) ?? false)),
        judge: (epoch, curve) => pruner?.judge({ epoch, run: { name: treatment.name, curve }, plain: { name: candidates[0]!.name, curve: plain!.curve, epochs: plain!.epochs }, others, maxEpochs: s.epochs }),
      });
      let keep = false;
      try {
        // A worker scored the run it trained; plain training and the runs of this thread are scored here.
        const scored = trained.run === undefined ? await scoreRun(plan, trained, plain && { ...plain, run: runs[0]! }) : undefined;
        const run = trained.run ?? scored!.run;
        if (index === 0) plain = { reference: scored!.reference!, resampled: scored!.resampled, epochs: trained.epochs, curve: trained.curve };
        curves.push({ name: run.name, curve: run.curve });
        runs.push(run);
        await args.onRunEnd?.(run, trained.model);
        plan.progress({ type: 'run-end', run });
        if (kept === undefined || select([kept.run, run]) === run) {
          if (kept !== undefined) release(kept.model, kept.setup);
          kept = { run, model: trained.model, setup: trained.setup };
          keep = true;
        }
      } finally {
        if (!keep) release(trained.model, trained.setup);
      }
      scored.advance(runs.length);
    }
  } catch (e) {
    if (kept !== undefined) release(kept.model, kept.setup);
    await parallel?.abandon(runs.length);
    throw e;
  } finally {
    await parallel?.close();
  }
  const selected = kept!;
  const rule = { objective: s.objective, beta: s.beta, maxMicroDrop: s.maxMicroDrop, level: s.noise?.level };
  return {
    runs,
    selected: selected.run,
    model: selected.model,
    front: paretoFront(runs),
    counts: plan.counts,
    bottomThird: [...plan.bottomThird],
    verdict: verdict(runs, selected.run, rule),
    seed: s.seed,
    backend: tf.getBackend(),
    costRatio: runs.reduce((a, r) => a + r.seconds, 0) / runs[0]!.seconds,
    settings: { ...rule, budget: s.pruner?.description ?? 'none: every candidate trains to its end' },
    dispose: () => release(selected.model, selected.setup),
  };
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
