/**
 * Runs the search on one problem of the panel with the library's public
 * API, as a user would (their factory, their optimiser, the search's
 * defaults otherwise), and scores each run on the problem's test split as it
 * ends. The search never sees the test split.
 */
import * as tf from '@tensorflow/tfjs-core';
import { FBetaAccumulator } from '@tfjs-imbalance/fbeta-metric';
import { compareTreatments, formatComparison, type CompareTreatmentsArgs, type TreatmentComparison, type TreatmentRun } from '@tfjs-imbalance/search';
import { generate, type ProblemData } from './generate.js';
import type { Problem } from './problems.js';

/** Test micro / macro / bottom-third F0.5. */
export interface TestScores {
  readonly micro: number;
  readonly macro: number;
  readonly bottomThird: number;
}

/** One run of a search, with its test scores. */
export interface PanelRun {
  readonly name: string;
  readonly stop: TreatmentRun['stop'];
  readonly epochs: number;
  readonly seconds: number;
  readonly validation: { readonly micro: number; readonly macro: number; readonly bottomThird: number };
  readonly gain: TreatmentRun['gain'];
  readonly eligible: boolean;
  /** At threshold 0.5 and at the run's tuned thresholds. */
  readonly test: { readonly at05: TestScores; readonly tuned: TestScores };
}

/** What one search on a problem gives. */
export interface PanelResult {
  readonly problem: string;
  readonly dataSeed: number;
  readonly seed: number;
  readonly budget: string;
  readonly selected: string;
  readonly verdict: string;
  readonly costRatio: number;
  readonly runs: PanelRun[];
  /** Plain training's and the selection's test figures at tuned thresholds. */
  readonly plain: TestScores;
  readonly selection: TestScores;
  readonly table: string;
}

/** Settings of {@link runProblem}. */
export interface RunSettings {
  /** The data's seed. */
  readonly dataSeed: number;
  /** The search's seed. */
  readonly seed: number;
  /** The search's budget (`undefined`: its default). */
  readonly budget?: CompareTreatmentsArgs['budget'];
  /** Scale the problem's rows and epochs down (for tests), 1 by default. */
  readonly scale?: number;
  readonly onProgress?: CompareTreatmentsArgs['onProgress'];
}

/** Splits as tensors. */
function tensors(d: ProblemData) {
  const t = (s: ProblemData['train']) => ({ x: tf.tensor2d(s.x, [s.rows, d.features]), y: tf.tensor2d(s.y, [s.rows, d.classes]) });
  return { train: t(d.train), validation: t(d.validation), test: t(d.test) };
}

/** Runs the search on a problem and scores every run on its test split. */
export async function runProblem(problem: Problem, o: RunSettings): Promise<PanelResult> {
  const scale = o.scale ?? 1;
  const spec = scale === 1 ? problem.data : { ...problem.data, rows: { train: Math.round(problem.data.rows.train * scale), validation: Math.round(problem.data.rows.validation * scale), test: Math.round(problem.data.rows.test * scale) } };
  const data = generate(spec, o.dataSeed);
  const { train, validation, test } = tensors(data);
  const bottomThird: number[] = [];
  const runs: PanelRun[] = [];
  const score = (logits: tf.Tensor, threshold: number | number[]): TestScores => {
    const r = new FBetaAccumulator({ beta: 0.5, from: 'logits', threshold }).update(test.y, logits).result();
    return { micro: r.micro.f, macro: r.macro.f, bottomThird: bottomThird.reduce((a, c) => a + r.f[c]!, 0) / bottomThird.length };
  };
  let comparison: TreatmentComparison | undefined;
  try {
    comparison = await compareTreatments({
      model: () => problem.model(data.features, data.classes),
      train,
      validation,
      optimizer: () => problem.optimizer(),
      batchSize: problem.batchSize,
      epochs: Math.max(2, Math.round(problem.epochs * Math.min(1, scale * 2))),
      seed: o.seed,
      verbose: 0,
      ...(o.budget === undefined ? {} : { budget: o.budget }),
      ...(o.onProgress === undefined ? {} : { onProgress: o.onProgress }),
      onRunEnd: (run, model) => {
        if (bottomThird.length === 0) {
          // The search's bottom third, by training count: the same classes for every run.
          const counts = Array.from({ length: data.classes }, (_, c) => data.train.y.reduce((a, v, k) => a + (k % data.classes === c ? v : 0), 0));
          bottomThird.push(...counts.map((_, c) => c).sort((a, b) => counts[a]! - counts[b]! || a - b).slice(0, Math.ceil(data.classes / 3)));
        }
        const logits = model.predict(test.x, { batchSize: 1024 }) as tf.Tensor;
        try {
          runs.push({
            name: run.name,
            stop: run.stop,
            epochs: run.epochs,
            seconds: run.seconds,
            validation: { micro: run.validation.micro, macro: run.validation.macro, bottomThird: run.validation.bottomThird },
            gain: run.gain,
            eligible: run.eligible,
            test: { at05: score(logits, 0.5), tuned: score(logits, run.thresholds) },
          });
        } finally {
          logits.dispose();
        }
      },
    });
    const selected = runs.find((r) => r.name === comparison!.selected.name)!;
    return {
      problem: problem.name,
      dataSeed: o.dataSeed,
      seed: comparison.seed,
      budget: comparison.settings.budget,
      selected: comparison.selected.name,
      verdict: comparison.verdict,
      costRatio: comparison.costRatio,
      runs,
      plain: runs[0]!.test.tuned,
      selection: selected.test.tuned,
      table: formatComparison(comparison),
    };
  } finally {
    comparison?.dispose();
    tf.dispose([train.x, train.y, validation.x, validation.y, test.x, test.y]);
  }
}
