/**
 * What the search's parent thread and its worker threads send each other
 * (structured-clone data only). @internal
 */
import type { ClassCounts } from '@tfjs-imbalance/weight-schemes';
import type { MicroReference } from './scores.js';
import type { PlainScores } from './score-run.js';
import type { Settings } from './settings.js';
import type { Treatment } from './treatments.js';
import type { SearchProgress, TreatmentRun } from './types.js';

/** A tensor's values in shared memory (no copy per worker), with its shape and dtype. */
export interface SharedTensor {
  readonly buffer: SharedArrayBuffer;
  readonly shape: number[];
  readonly dtype: 'float32' | 'int32';
}

/** What every worker gets once, at start. */
export interface WorkerData {
  /** The module (URL or absolute path) that exports `model` (and optionally `optimizer`) factories. */
  readonly module: string;
  /** The parent's tfjs backend, which the worker loads and sets. */
  readonly backend: string;
  readonly settings: Omit<Settings, 'pruner'>;
  readonly train: { readonly x: SharedTensor; readonly y: SharedTensor };
  readonly validation: { readonly x: SharedTensor; readonly y: SharedTensor };
  readonly initial: readonly { readonly values: Float32Array; readonly shape: number[] }[];
  readonly counts: ClassCounts;
  readonly bottomThird: readonly number[];
  /** Plain training's scores, which each worker scores its runs against. */
  readonly plain: PlainScores;
}

/** One candidate to train. */
export interface WorkerTask {
  readonly index: number;
  readonly total: number;
  readonly treatment: Treatment;
  readonly reference: MicroReference | undefined;
  /** The epochs (1-based) after which the objective is needed (the pruner's rungs, and what `stopOn` needs). */
  readonly objectiveEpochs: readonly number[];
  /** Whether anyone listens to the per-batch progress events (`verbose` or `onProgress`): else the worker keeps them. */
  readonly batchEvents: boolean;
  /** The port the worker reports progress on and asks the pruner's verdicts through. */
  readonly port: MessagePort;
}

/** A trained candidate, as the worker returns it: its best weights instead of a model, and its scored run (curve, epochs and stop included). */
export interface WorkerResult {
  readonly weights: { readonly values: Float32Array; readonly shape: number[] }[];
  /** The run, scored in the worker on its own predictions. */
  readonly run: TreatmentRun;
}

/** Worker → parent on the task's port. */
export type WorkerMessage = { readonly type: 'progress'; readonly event: SearchProgress } | { readonly type: 'judge'; readonly id: number; readonly epoch: number; readonly curve: readonly number[] };

/** Parent → worker: the verdict of a `judge` request (a reason to stop, or none). */
export interface JudgeReply {
  readonly id: number;
  readonly reason: string | undefined;
}
