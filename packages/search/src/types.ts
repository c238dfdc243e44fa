import type * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import type { ClassCounts } from '@tfjs-imbalance/weight-schemes';
import type { Interval } from './noise.js';
import type { HalvingOptions, Pruner } from './pruner.js';
import type { SearchObjective, ValidationScores } from './scores.js';
import type { Treatment } from './treatments.js';
import type { Split } from './inputs.js';

/** The noise intervals of the gains over plain training: a paired bootstrap over the validation rows. */
export interface NoiseOptions {
  /** Bootstrap resamples. Defaults to `1000`. */
  readonly resamples?: number;
  /** The intervals' coverage. Defaults to `0.95`. */
  readonly level?: number;
}

/** Why a run stopped where it did. */
export interface RunStop {
  /** `'pruned'`: the budget's pruner stopped it; `'early-stopping'`: its `stopOn` score stopped improving for `patience` epochs; `'epochs'`: it trained all `epochs`. */
  readonly kind: 'pruned' | 'early-stopping' | 'epochs';
  /** The epochs it trained. */
  readonly epoch: number;
  /** In words, with the figures the decision was taken on. */
  readonly reason: string;
}

/** A run's gain over plain training on validation, with the noise intervals. */
export interface Gain {
  /** In the search's objective. */
  readonly objective: Interval;
  /** In micro F-beta. */
  readonly micro: Interval;
}

/** The settings a search ran with. */
export interface SearchSettingsReport {
  /** What it selected on. */
  readonly objective: SearchObjective;
  /** The F-beta's β. */
  readonly beta: number;
  /** The trade-off: the most micro F-beta a selected run gives up. */
  readonly maxMicroDrop: number;
  /** The noise intervals' coverage, `undefined` with `noise: false`. */
  readonly level: number | undefined;
  /** The pruning rule, in words. */
  readonly budget: string;
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
  /** The search's objective on validation after this epoch, `NaN` where it was not computed (see {@link Pruner.needsObjective}). */
  readonly objective: number;
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

/** The search's worker threads (Node only). */
export interface WorkersOption {
  /** The module that exports `model` (the factory) and optionally `optimizer`: a URL or an absolute path. */
  readonly module: string | URL;
  /** How many candidates train at once. Defaults to the number of CPU cores (`navigator.hardwareConcurrency`, else 2). */
  readonly count?: number;
}

/** Arguments of {@link compareTreatments}. */
export interface CompareTreatmentsArgs {
  /**
   * A factory that returns a fresh, uncompiled model whose output is one
   * logit per class (no sigmoid). Every candidate starts from the
   * same initial weights: the search copies the first model's weights into
   * each later one, so a factory with random initialisers is fine.
   * Required, except with `workers`, whose module exports it instead.
   */
  readonly model?: () => LayersModel;
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
   * F-beta is at most this far below plain training's. Each candidate's
   * thresholds are tuned to keep within it where the classes that
   * `tuneThresholds`' guards let it tune can (the others stay at 0.5): per-class
   * thresholds that give up the least macro F-beta for it (with `objective:
   * 'bottom-third'`, the least of the bottom third's; a class whose own
   * best cut adds false positives to the pooled count moves up first), so a
   * run is judged at its best point under the trade-off rather than
   * excluded for the thresholds that suit macro F-beta alone. Defaults to
   * `0.02`: two points of micro F-beta, the pooled score the frequent
   * classes dominate, for a gain on the classes a macro average counts once.
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
  /**
   * Pruning of clearly losing candidates: a {@link Pruner}, the options of the
   * default {@link halvingPruner}, or `false` to train every candidate to its
   * end. Defaults to `halvingPruner()`: each run judged once, at a quarter
   * of the epochs plain training ran, keeping the best third and any run at
   * least level with plain training's best by then, with an allowance for
   * curves still rising.
   */
  readonly budget?: Pruner | HalvingOptions | false;
  /**
   * The seed of every random number the search controls: `fit`'s row order
   * and dropout masks (the same for every candidate: common random numbers)
   * and the bootstrap. The same seed on the same backend repeats a search
   * exactly. Defaults to one drawn at random, reported as
   * {@link TreatmentComparison.seed}.
   */
  readonly seed?: number;
  /**
   * The noise intervals, or `false` for none: then a treatment that beats
   * plain training by any margin can be selected. Defaults to 1,000
   * resamples and 95% intervals.
   */
  readonly noise?: NoiseOptions | false;
  /**
   * Progress in the console, as Keras' `fit`: `0` silent, `1` a line per
   * run (updated in place on a terminal), `2` a line per epoch too.
   * Defaults to `'auto'`: `1` in Node on a terminal, `0` elsewhere (browsers,
   * pipes, CI logs, jest).
   */
  readonly verbose?: 0 | 1 | 2 | 'auto';
  /** Called as training goes. Defaults to none. */
  readonly onProgress?: (event: SearchProgress) => void;
  /** Called after each run with its trained model (best epoch's weights), which is freed afterwards unless selected: score it on your test set here. Defaults to none. */
  readonly onRunEnd?: (run: TreatmentRun, model: LayersModel) => void | Promise<void>;
  /**
   * Trains the candidates after plain training at the same time, in Node
   * worker threads: `{ module, count }`. The module (its URL or absolute
   * path, such as `new URL('./model.js', import.meta.url)`) exports the
   * model factory as `model`, and optionally the optimizer factory as
   * `optimizer`; leave `args.model` and `args.optimizer` out (from a
   * CommonJS program, the module must be CommonJS too). `train` and
   * `validation` must be tensors (shared with the threads once, not copied
   * per candidate). With the same seed, the selection and every figure equal
   * the sequential search's. Defaults to none: one candidate after another.
   */
  readonly workers?: WorkersOption;
}

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
  /** Whether its cross-fitted validation micro F-beta is within `maxMicroDrop` of plain training's (always true with `objective: 'micro'`). */
  readonly eligible: boolean;
  /**
   * Its gain over plain training on validation, with the noise interval
   * (see {@link CompareTreatmentsArgs.noise}): in the objective and in micro
   * F-beta. `undefined` for plain training. A run replaces plain training
   * only when the objective's interval lies above 0.
   */
  readonly gain: Gain | undefined;
  /** Why it stopped where it did. A pruned run is scored at its best epoch before it stopped, which is not what it would have reached: it cannot be selected. */
  readonly stop: RunStop;
  /**
   * Per-class probability thresholds tuned on the whole validation set
   * (`tuneThresholds` defaults, with the search's `beta`), then, for a run
   * after plain training, moved to keep its micro F-beta within
   * `maxMicroDrop` of plain training's on those rows where they can (see
   * {@link CompareTreatmentsArgs.maxMicroDrop}; not with `objective: 'micro'`).
   * They maximise each class's own F-beta, also with `objective: 'micro'`.
   */
  readonly thresholds: number[];
  /** Epochs trained. */
  readonly epochs: number;
  /** The epoch (0-based) whose weights were kept. */
  readonly bestEpoch: number;
  /** The epoch (1-based) at which the budget stopped it, or `undefined` if it ran until early stopping or `epochs` (`stop` says why). */
  readonly prunedAt: number | undefined;
  /** The validation objective after each epoch, `NaN` at the epochs where it was not computed (with `stopOn: 'micro'`, it is computed where the pruner needs it). */
  readonly curve: number[];
  /** Wall-clock seconds of the run, scoring included. */
  readonly seconds: number;
}

/** The result of {@link compareTreatments}. Call {@link TreatmentComparison.dispose} when done. */
export interface TreatmentComparison {
  /** Every run, in the order trained; the first is plain training. */
  readonly runs: TreatmentRun[];
  /** The selected run: among the runs trained to their end, within the trade-off and beyond the noise, the one with the best objective; plain training if there is none. */
  readonly selected: TreatmentRun;
  /** The selection in words, with its interval: "db: validation macro F0.5 +0.041 (95% interval +0.028 to +0.055) over plain training, …; selected." */
  readonly verdict: string;
  /** The seed the search ran with (the one given, or the one drawn). */
  readonly seed: number;
  /** The tfjs backend it trained on. */
  readonly backend: string;
  /** What the runs cost: the sum of their seconds over plain training's. */
  readonly costRatio: number;
  /** The settings the search ran with, for reports and {@link saveClassifier}. */
  readonly settings: SearchSettingsReport;
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
