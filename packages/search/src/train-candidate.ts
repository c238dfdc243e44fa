import type * as tf from '@tensorflow/tfjs-core';
import { CustomCallback, type LayersModel, type Logs } from '@tensorflow/tfjs-layers';
import { confusionCounts, earlyStopping, fbetaScores } from '@tfjs-imbalance/fbeta-metric';
import type { ClassCounts } from '@tfjs-imbalance/weight-schemes';
import { checkFactory, predictLogits, type CheckedSplit } from './inputs.js';
import type { PruneDecision } from './pruner.js';
import type { Streams } from './random.js';
import { objectiveOf, scoreValidation, type Matrix, type MicroReference, type SearchObjective } from './scores.js';
import type { Settings } from './settings.js';
import { trainingSetup, type Treatment, type TrainingSetup } from './treatments.js';
import type { RunStop, SearchProgress } from './types.js';

/** Everything a candidate trains and is scored on, the same for every candidate of one search. */
export interface SearchPlan {
  readonly settings: Settings;
  readonly factory: () => LayersModel;
  readonly optimizer: () => tf.Optimizer;
  readonly initial: readonly tf.Tensor[];
  readonly train: CheckedSplit;
  readonly validation: CheckedSplit;
  /** The validation labels. */
  readonly yVal: Matrix;
  /** The training set's class counts. */
  readonly counts: ClassCounts;
  /** The bottom third of classes by training count. */
  readonly bottomThird: readonly number[];
  readonly streams: Streams;
  readonly progress: (event: SearchProgress) => void;
}

/** A trained candidate, before its final scoring. */
export interface TrainedCandidate {
  readonly treatment: Treatment;
  readonly model: LayersModel;
  readonly setup: TrainingSetup;
  /** The validation objective after each epoch, `NaN` where it was not computed. */
  readonly curve: number[];
  readonly epochs: number;
  /** The epoch (0-based) whose weights were kept. */
  readonly bestEpoch: number;
  readonly stop: RunStop;
  readonly seconds: number;
}

/** How one candidate is judged as it trains: the objective's floor (after plain training) and the pruner's verdict. */
export interface CandidateHooks {
  readonly index: number;
  readonly total: number;
  /** Plain training's micro reference, for the floored thresholds of the later runs. */
  readonly reference?: MicroReference | undefined;
  /** Whether the objective is needed after this epoch (1-based), besides what `stopOn` needs. */
  needsObjective(epoch: number): boolean;
  /** After each epoch (1-based) with the curve so far: stop the candidate? (A promise where the verdict waits on other runs, as with workers.) */
  judge(epoch: number, curve: readonly number[]): PruneDecision | undefined | Promise<PruneDecision | undefined>;
}

/**
 * The floor of a later run's thresholds: within `maxMicroDrop` of plain
 * training's micro F-beta, and never at the cost of the objective falling
 * below its value at threshold 0.5 (tuning is for the objective: where the
 * floor would cost that, the run keeps what micro it can without it).
 */
export function floorOf(s: Settings, reference: MicroReference | undefined, bottomThird: readonly number[], C: number) {
  if (reference === undefined || s.objective === 'micro') return undefined;
  const weights = s.objective === 'bottom-third' ? Array.from({ length: C }, (_, c) => (bottomThird.includes(c) ? 1 / bottomThird.length : 0)) : undefined;
  return { reference, drop: s.maxMicroDrop, weights, maxObjectiveDrop: 0 };
}

/** Micro F-beta at threshold 0.5. */
function microAt05(y: Matrix, logits: Matrix, beta: number): number {
  return fbetaScores(confusionCounts(y, logits, { beta, from: 'logits', threshold: 0.5 }), { beta }).micro.f;
}

/**
 * Trains one candidate from the search's initial weights, with the training
 * random stream, scoring it on validation after each epoch for early
 * stopping and the pruner. The caller owns the returned model and setup.
 */
export async function trainCandidate(plan: SearchPlan, treatment: Treatment, hooks: CandidateHooks): Promise<TrainedCandidate> {
  const s = plan.settings;
  const t0 = performance.now();
  const model = checkFactory(plan.factory, plan.initial);
  const setup = trainingSetup(treatment, plan.counts);
  try {
    setup.prepare(model);
    model.compile({ optimizer: plan.optimizer(), loss: setup.loss as never });
    const C = plan.yVal.shape[1];
    const floor = floorOf(s, hooks.reference, plan.bottomThird, C);
    const objective = (logits: Matrix, o: SearchObjective) => objectiveOf(scoreValidation(plan.yVal, logits, { beta: s.beta, tail: plan.bottomThird, floor, quick: true }).scores, o);
    const curve: number[] = [];
    let pruned: PruneDecision | undefined;
    let epochNow = 0;
    plan.progress({ type: 'run-start', name: treatment.name, index: hooks.index, total: hooks.total, batchesPerEpoch: plan.train.batchesPerEpoch(s.batchSize) });
    const scorer = new CustomCallback({
      onEpochBegin: async (epoch) => void (epochNow = epoch),
      onBatchEnd: async (batch, logs) => plan.progress({ type: 'batch', name: treatment.name, epoch: epochNow, batch, loss: Number(logs?.['loss'] ?? Number.NaN) }),
      onEpochEnd: async (epoch: number, logs?: Logs) => {
        const logits = await predictLogits(model, plan.validation, s.batchSize);
        const wanted = s.stopOn === 'objective' || hooks.needsObjective(epoch + 1);
        curve.push(wanted ? objective(logits, s.objective) : Number.NaN);
        const monitored = s.stopOn === 'objective' ? curve.at(-1)! : microAt05(plan.yVal, logits, s.beta);
        if (logs) logs['val_monitor'] = monitored;
        plan.progress({ type: 'epoch', name: treatment.name, epoch, score: monitored, objective: curve.at(-1)! });
        // The last epoch has nothing left to save.
        if (epoch + 1 >= s.epochs) return;
        pruned = await hooks.judge(epoch + 1, curve);
        if (pruned !== undefined) model.stopTraining = true;
      },
    });
    const stopper = earlyStopping({ monitor: 'val_monitor', mode: 'max', patience: s.patience, restoreBestWeights: true });
    const callbacks = [...setup.callbacks, scorer, stopper];
    await plan.streams.withTrainingStream(async () => {
      if (plan.train.dataset !== undefined) await model.fitDataset(plan.train.dataset as never, { epochs: s.epochs, verbose: 0, callbacks });
      else await model.fit(plan.train.x!, plan.train.y!, { epochs: s.epochs, batchSize: s.batchSize, shuffle: s.shuffle, verbose: 0, callbacks });
    });
    const epochs = stopper.epochsRun;
    const signal = s.stopOn === 'objective' ? 'objective' : 'micro F-beta at 0.5';
    const stop: RunStop =
      pruned !== undefined
        ? { kind: 'pruned', epoch: epochs, reason: pruned.reason }
        : epochs < s.epochs
          ? { kind: 'early-stopping', epoch: epochs, reason: `its validation ${signal} did not improve for ${s.patience} epochs after epoch ${stopper.bestEpoch + 1}` }
          : { kind: 'epochs', epoch: epochs, reason: `it trained all ${s.epochs} epochs` };
    return { treatment, model, setup, curve, epochs, bestEpoch: stopper.bestEpoch, stop, seconds: (performance.now() - t0) / 1000 };
  } catch (e) {
    release(model, setup);
    throw e;
  }
}

/** Frees a candidate's model, its optimizer (compile does not own an optimizer it was given) and its loss. */
export function release(model: LayersModel, setup: TrainingSetup): void {
  model.optimizer?.dispose();
  model.dispose();
  setup.dispose();
}
