/** The messages between the page and the search's Web Worker, and what a finished run hands back. */
import type { FBetaScores } from '@tfjs-imbalance/fbeta-metric';
import type { SearchSettingsReport, TreatmentRun } from '@tfjs-imbalance/search';
import type { FeatureState } from './features.js';
import type { LabSettings } from './search.js';
import type { ColumnSpec } from './spec.js';

/** The backends the worker tries, in this order when set to automatic. */
export const BACKENDS = ['webgl', 'webgpu', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKENDS)[number];

/** Page → worker: run a search on this table. */
export interface RunRequest {
  readonly type: 'run';
  readonly header: string[];
  readonly rows: string[][];
  readonly lines: number[];
  readonly delimiter: string;
  readonly spec: ColumnSpec;
  readonly settings: LabSettings;
  /** `'auto'`, or one backend to try first. */
  readonly backend: 'auto' | BackendName;
}

/** Per-class test scores of one run, at its tuned thresholds. */
export type ClassScores = Pick<FBetaScores, 'f' | 'precision' | 'recall'>;

/** One run, as the page shows it. */
export interface RunSummary {
  readonly name: string;
  readonly epochs: number;
  readonly bestEpoch: number;
  readonly stop: TreatmentRun['stop'];
  readonly validation: TreatmentRun['validation'];
  readonly gain: TreatmentRun['gain'];
  readonly eligible: boolean;
  readonly seconds: number;
  readonly thresholds: readonly number[];
  /** Test scores at the run's thresholds: per class, and micro / macro. */
  readonly test: ClassScores & { readonly micro: number; readonly macro: number };
}

/** The selected classifier's probabilities on the test rows, with the rows as they were in the file. */
export interface Predictions {
  readonly header: readonly string[];
  readonly records: readonly (readonly string[])[];
  /** The file's line of each row. */
  readonly lines: readonly number[];
  readonly trueLabels: readonly (readonly string[])[];
  /** σ(logit) per row and class, as float32 values. */
  readonly probabilities: readonly (readonly number[])[];
  readonly predicted: readonly (readonly string[])[];
}

/** What a finished search hands back to the page. */
export interface LabResult {
  /** The backend it trained on, in words (for WebGL, with the GPU's name). */
  readonly backend: string;
  /** Every run, plain training first, with its test scores. */
  readonly runs: RunSummary[];
  /** The selected run's name, and the names on the micro–macro front. */
  readonly selected: string;
  readonly front: string[];
  /** The search's verdict, and `formatComparison`'s text. */
  readonly verdict: string;
  readonly formatted: string;
  /** The seed, the rule and the budget the search ran with, and what the runs cost over plain training. */
  readonly seed: number;
  readonly settings: SearchSettingsReport;
  readonly costRatio: number;
  /** The class names in output order, with the training and test rows of each. */
  readonly classes: readonly string[];
  readonly trainSupport: readonly number[];
  readonly testSupport: readonly number[];
  /** What the data preparation decided, in words. */
  readonly notes: readonly string[];
  /** The selected classifier on the test rows, and what turns rows into its inputs. */
  readonly predictions: Predictions;
  readonly features: FeatureState;
  /** Seconds spent on the features and on the search. */
  readonly seconds: { readonly prepare: number; readonly search: number };
}

/** Worker → page. */
export type WorkerMessage =
  | { readonly type: 'backend'; readonly name: string; readonly detail: string; readonly skipped: readonly string[] }
  | { readonly type: 'prepared'; readonly notes: readonly string[]; readonly classes: number; readonly dim: number }
  | { readonly type: 'run-start'; readonly name: string; readonly index: number; readonly total: number; readonly batches: number | undefined }
  | { readonly type: 'batch'; readonly name: string; readonly epoch: number; readonly batch: number; readonly loss: number }
  | { readonly type: 'epoch'; readonly name: string; readonly epoch: number; readonly score: number }
  | { readonly type: 'run-end'; readonly run: RunSummary }
  | { readonly type: 'done'; readonly result: LabResult; readonly modelJson: string; readonly weights: ArrayBuffer }
  | { readonly type: 'error'; readonly message: string };
