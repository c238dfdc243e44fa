import * as tf from '@tensorflow/tfjs-core';
import { CustomCallback, LayersModel, type Logs } from '@tensorflow/tfjs-layers';
import { confusionCounts, earlyStopping, fbetaScores } from '@tfjs-imbalance/fbeta-metric';
import { InvalidOptionError, type ClassCounts } from '@tfjs-imbalance/weight-schemes';
import { checkOptionNames, describe } from '@tfjs-imbalance/weight-schemes/internal';
import { checkFactory, checkInputShape, checkSplit, labelsOf, predictLogits } from './inputs.js';
import { paretoFront, objectiveOf, scoreValidation, type Matrix, type MicroReference } from './scores.js';
import { ARGS, checkCandidates, settingsOf } from './settings.js';
import { DEFAULT_TREATMENTS, biasToSet, trainingSetup, type Treatment, type TrainingSetup } from './treatments.js';
import type { CompareTreatmentsArgs, TreatmentComparison, TreatmentRun } from './types.js';

/**
 * Finds what helps *your* model on imbalanced multi-label data: trains each
 * candidate treatment (plain training, re-weighting schemes, the focal,
 * Distribution-Balanced and Asymmetric losses, prior-bias initialisation)
 * from the same initial weights, stops clear losers early
 * (successive halving on epochs) and selects one on validation alone.
 *
 * The rule: each run is scored on validation at per-class thresholds tuned
 * by 2-fold cross-fitting. Each later run's thresholds give up the least
 * macro F-beta (the bottom third's with that objective) that keeps its micro
 * F-beta within `maxMicroDrop` (0.02) of plain training's on the rows they
 * are tuned on, where the classes it may tune can.
 * A run is eligible if its cross-fitted micro F-beta is at most
 * `maxMicroDrop` below plain training's; the selected run is the eligible
 * one with the best `objective` (macro F-beta), plain training when none
 * beats it.
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
  try {
    for (const split of [train, validation]) checkInputShape(split, first);
    candidates.forEach((t, i) => t.priorBias === true && biasToSet(`args.candidates[${i}].priorBias`, first));
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
  } catch (e) {
    tf.dispose(initial);
    throw e;
  }
  const bottomThird = counts.positives.map((_, c) => c).sort((a, b) => counts.positives[a]! - counts.positives[b]! || a - b).slice(0, Math.ceil(C / 3));
  const runs: TreatmentRun[] = [];
  const rungScores = new Map<number, number[]>();
  let kept: { run: TreatmentRun; model: LayersModel; dispose: () => void } | undefined;
  const isBetter = (r: TreatmentRun, than: TreatmentRun) => r.eligible && r.objective > than.objective;
  // Plain training's micro F-beta at its tuned thresholds; every later run's thresholds keep within maxMicroDrop of it where they can.
  let reference: MicroReference | undefined;
  // What the thresholds give up least of to keep it: the bottom third's macro F-beta for that objective, else the macro F-beta.
  const weights = s.objective === 'bottom-third' ? Array.from({ length: C }, (_, c) => (bottomThird.includes(c) ? 1 / bottomThird.length : 0)) : undefined;
  try {
    for (const [index, candidate] of candidates.entries()) {
      const treatment = resolveBest(candidate, runs);
      const t0 = performance.now();
      const model = checkFactory(args.model, initial);
      const setup = trainingSetup(treatment, counts);
      const floor = reference !== undefined && s.objective !== 'micro' ? { reference, drop: s.maxMicroDrop, weights } : undefined;
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
              curve.push(objectiveOf(scoreValidation(yVal, logits, { beta: s.beta, tail: bottomThird, floor }).scores, s.objective));
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
        const scored = scoreValidation(yVal, logits, { beta: s.beta, tail: bottomThird, thresholds: true, floor });
        const { scores: validationScores, thresholds = [] } = scored;
        if (index === 0) reference = scored.reference;
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
