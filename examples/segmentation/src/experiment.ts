/**
 * One seed of the experiment: its images, every treatment trained and scored,
 * and the selection on validation. No Node-only import: the browser check
 * runs it as it is (tools/browser).
 */
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import seedrandom from 'seedrandom';
import { FBetaAccumulator, averagePrecision, tuneThresholds, type ConfusionCounts, type FBetaScores } from '@tfjs-imbalance/fbeta-metric';
import { countMultiHot, type ClassCounts } from '@tfjs-imbalance/weight-schemes';
import { generateImages, imagesWith, type GeneratorSpec, type ImageSet } from './generator.js';
import { countsPerImage, crossFittedCounts, labelRows, logitRows, pairedBootstrap, scoresOf, select, sumCounts, type Interval, type Standing } from './scoring.js';
import { trainTreatment, type FitSettings, type Treatment } from './train.js';

/** Everything a run of the experiment is set by. */
export interface ExperimentSettings {
  readonly spec: GeneratorSpec;
  /** Images per split; each split is drawn from its own seed. */
  readonly images: { readonly train: number; readonly validation: number; readonly test: number };
  readonly model: { readonly filters: number; readonly depth: number };
  readonly fit: FitSettings;
  /** The F-beta β. */
  readonly beta: number;
  /** The most validation micro F-beta a selected treatment may give up against plain training. */
  readonly maxMicroDrop: number;
  /** Bootstrap resamples of the validation images, and the interval's coverage. */
  readonly resamples: number;
  readonly level: number;
  /** The runs, plain training first. */
  readonly treatments: readonly Treatment[];
}

/** One seed's images. */
export interface SeedData {
  readonly seed: number;
  readonly train: ImageSet;
  readonly validation: ImageSet;
  readonly test: ImageSet;
}

/** The three splits of a seed, drawn from three streams: images never cross splits. */
export function seedData(seed: number, s: ExperimentSettings): SeedData {
  return {
    seed,
    train: generateImages(s.images.train, `${seed}:train`, s.spec),
    validation: generateImages(s.images.validation, `${seed}:validation`, s.spec),
    test: generateImages(s.images.test, `${seed}:test`, s.spec),
  };
}

/** One split's composition: pixel counts per class (rows = pixels) and how many images hold each class. */
export interface SplitSummary {
  readonly images: number;
  readonly counts: ClassCounts;
  readonly imagesWith: number[];
}

/** Precision, recall and F-beta of one average. */
type Averaged = Pick<FBetaScores['micro'], 'precision' | 'recall' | 'f'>;

/** Test scores: per class (support in pixels, and each class's confusion counts) and their micro and macro averages. */
export interface TestScores extends Pick<FBetaScores, 'precision' | 'recall' | 'f' | 'support'>, Pick<ConfusionCounts, 'tp' | 'fp' | 'fn'> {
  readonly micro: Averaged;
  readonly macro: Averaged;
}

/** One treatment's run on one seed. */
export interface RunResult {
  readonly name: string;
  readonly seconds: number;
  /** Training loss per epoch. */
  readonly loss: number[];
  /** Validation F-beta at 0.5, and with thresholds cross-fitted by image (what the selection reads). */
  readonly validation: { readonly at05: { readonly micro: number; readonly macro: number }; readonly tuned: { readonly micro: number; readonly macro: number } };
  /** The validation gain over plain training, paired bootstrap over images (null for plain training). */
  readonly gain: { readonly at05: { readonly macro: Interval; readonly micro: Interval }; readonly tuned: { readonly macro: Interval; readonly micro: Interval } } | null;
  /** How the selection rule saw it, at 0.5 and tuned. */
  readonly standing: { at05: Standing; tuned: Standing };
  /** Per-class thresholds tuned on the whole validation split. */
  readonly thresholds: number[];
  readonly test: { readonly at05: TestScores; readonly tuned: TestScores; readonly macroAP: number };
}

/** One seed's outcome. */
export interface SeedResult {
  readonly seed: number;
  readonly splits: { readonly train: SplitSummary; readonly validation: SplitSummary; readonly test: SplitSummary };
  readonly runs: RunResult[];
  /** The treatment the rule selected on validation, for threshold 0.5 and for tuned thresholds. */
  readonly selected: { readonly at05: string; readonly tuned: string };
  readonly seconds: number;
}

/** What {@link runSeed} reports as it goes. */
export type OnRun = (seed: number, run: RunResult) => void;

function summary(set: ImageSet): SplitSummary {
  return { images: set.count, counts: countMultiHot(labelRows(set)), imagesWith: imagesWith(set) };
}

function testScores(r: FBetaScores, counts: ConfusionCounts): TestScores {
  const avg = (a: Averaged) => ({ precision: a.precision, recall: a.recall, f: a.f });
  return { micro: avg(r.micro), macro: avg(r.macro), precision: r.precision, recall: r.recall, f: r.f, support: r.support, tp: counts.tp, fp: counts.fp, fn: counts.fn };
}

/** Scores test logits [N, H, W, C] with the accumulator, on tensors, reading asynchronously. */
async function scoreTest(yTest: tf.Tensor4D, logits: tf.Tensor, beta: number, threshold: number | number[]): Promise<TestScores> {
  const acc = await new FBetaAccumulator({ beta, from: 'logits', threshold }).updateAsync(yTest, logits);
  return testScores(acc.result(), acc.counts()!);
}

/** Predicts logits for a set, read asynchronously (no blocking read on WebGL). */
async function predict(model: tfl.LayersModel, x: tf.Tensor4D): Promise<{ tensor: tf.Tensor; values: Float32Array }> {
  const tensor = model.predict(x, { batchSize: 64 }) as tf.Tensor;
  return { tensor, values: (await tensor.data()) as Float32Array };
}

/**
 * Trains and scores every treatment on one seed's images, then applies the
 * selection rule on validation. The test split is scored, never read by
 * any choice: thresholds are tuned on validation, the selection reads
 * validation only.
 *
 * @param data - The seed's images (from {@link seedData}).
 * @param s - The settings.
 * @param onRun - Called after each run.
 * @returns Every run's figures and the selection.
 */
export async function runSeed(data: SeedData, s: ExperimentSettings, onRun: OnRun = () => {}): Promise<SeedResult> {
  const t0 = performance.now();
  const { train, validation, test } = data;
  const S = train.size;
  const C = train.classes;
  const splits = { train: summary(train), validation: summary(validation), test: summary(test) };
  const t = {
    xTrain: tf.tensor4d(train.x, [train.count, S, S, 1]),
    yTrain: tf.tensor4d(train.y, [train.count, S, S, C]),
    xVal: tf.tensor4d(validation.x, [validation.count, S, S, 1]),
    xTest: tf.tensor4d(test.x, [test.count, S, S, 1]),
    yTest: tf.tensor4d(test.y, [test.count, S, S, C]),
  };
  const perImage: { at05: ReturnType<typeof countsPerImage>; tuned: ReturnType<typeof countsPerImage> }[] = [];
  const runs: RunResult[] = [];
  try {
    for (const treatment of s.treatments) {
      const spec = { size: S, filters: s.model.filters, depth: s.model.depth, seed: data.seed };
      const trained = await trainTreatment(treatment, { x: t.xTrain, y: t.yTrain }, splits.train.counts, spec, s.fit, data.seed);
      let val: Awaited<ReturnType<typeof predict>> | undefined;
      let out: Awaited<ReturnType<typeof predict>> | undefined;
      try {
        val = await predict(trained.model, t.xVal);
        out = await predict(trained.model, t.xTest);
        const counts = { at05: countsPerImage(validation, val.values, 0.5), tuned: crossFittedCounts(validation, val.values, s.beta) };
        perImage.push(counts);
        const thresholds = tuneThresholds(labelRows(validation), logitRows(validation, val.values), { beta: s.beta, from: 'logits' }).thresholds;
        const valScores = (k: 'at05' | 'tuned') => (({ micro, macro }) => ({ micro: micro.f, macro: macro.f }))(scoresOf(sumCounts(counts[k]), s.beta));
        const gain =
          runs.length === 0
            ? null
            : (['at05', 'tuned'] as const).reduce(
                (g, k) => ({ ...g, [k]: pairedBootstrap(counts[k], perImage[0]![k], { beta: s.beta, resamples: s.resamples, level: s.level, rand: seedrandom.alea(`segmentation:${data.seed}:bootstrap`) }) }),
                {} as NonNullable<RunResult['gain']>,
              );
        const run: RunResult = {
          name: treatment.name,
          seconds: trained.seconds,
          loss: trained.loss,
          validation: { at05: valScores('at05'), tuned: valScores('tuned') },
          gain,
          standing: { at05: 'plain', tuned: 'plain' },
          thresholds,
          test: {
            at05: await scoreTest(t.yTest, out.tensor, s.beta, 0.5),
            tuned: await scoreTest(t.yTest, out.tensor, s.beta, thresholds),
            macroAP: averagePrecision(labelRows(test), logitRows(test, out.values)).macro,
          },
        };
        runs.push(run);
        onRun(data.seed, run);
      } finally {
        tf.dispose([val?.tensor, out?.tensor].filter((x): x is tf.Tensor => x !== undefined));
        trained.model.dispose();
      }
    }
  } finally {
    tf.dispose(Object.values(t));
  }
  const selected = { at05: '', tuned: '' };
  for (const k of ['at05', 'tuned'] as const) {
    const rule = select(runs.map((r) => ({ name: r.name, ...r.validation[k], ...(r.gain === null ? {} : { gain: r.gain[k].macro }) })), s.maxMicroDrop);
    selected[k] = rule.selected;
    rule.standing.forEach((st, i) => (runs[i]!.standing[k] = st));
  }
  return { seed: data.seed, splits, runs, selected, seconds: (performance.now() - t0) / 1000 };
}
