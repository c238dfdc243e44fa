// One seed of the experiment end to end, in a small setting on the cpu backend: the report's figures against the
// per-class counts, thresholds and selection from validation only, the same seed giving the same figures, no leak.
import * as tf from '@tensorflow/tfjs-core';
import { countMultiHot } from '@tfjs-imbalance/weight-schemes';
import { fbetaScores } from '@tfjs-imbalance/fbeta-metric';
import { generateImages } from '../src/generator';
import { runSeed, seedData, type ExperimentSettings, type SeedResult } from '../src/experiment';
import { labelRows, select } from '../src/scoring';
import { QUICK_SETTINGS, means } from '../src/summary';
import { reportMarkdown } from '../src/report';
import { TREATMENTS, trainTreatment } from '../src/train';
import { countBlockingReads, useGpuRoutes } from '../../../tools/backend/src/blocking-reads';

// Smaller than --quick: jest's sandbox runs tfjs' cpu kernels several times slower than plain Node does.
const SMALL: ExperimentSettings = {
  ...QUICK_SETTINGS,
  spec: { ...QUICK_SETTINGS.spec, size: 16, crossRate: 0.3 },
  images: { train: 24, validation: 16, test: 16 },
  model: { filters: 4, depth: 2 },
  fit: { epochs: 2, batchSize: 4, learningRate: 0.02 },
  treatments: TREATMENTS.slice(0, 3),
};
/** Figures without the timings, which differ from run to run. */
const figures = (r: SeedResult) => JSON.parse(JSON.stringify({ ...r, seconds: 0, runs: r.runs.map((x) => ({ ...x, seconds: 0 })) }));

describe('runSeed (small setting, cpu)', () => {
  const data = seedData(5, SMALL);
  let result: SeedResult;
  let leaked = NaN;
  beforeAll(async () => {
    const before = tf.memory().numTensors;
    result = await runSeed(data, SMALL);
    leaked = tf.memory().numTensors - before;
  });

  it('runs every treatment, plain training first, and leaks no tensor', () => {
    expect(result.runs.map((r) => r.name)).toEqual(['plain', 'isns', 'ens-0.999']);
    expect(leaked).toBe(0);
    for (const r of result.runs) expect(r.loss.length).toBe(2);
  });

  it("reports figures that follow from each class's test pixel counts and confusion counts", () => {
    const support = countMultiHot(labelRows(data.test)).positives;
    for (const r of result.runs) {
      for (const t of [r.test.at05, r.test.tuned]) {
        expect(t.support).toEqual(support);
        t.support.forEach((n, c) => expect(t.tp[c]! + t.fn[c]!).toBe(n));
        const again = fbetaScores({ tp: t.tp, fp: t.fp, fn: t.fn, samples: 16 * 16 * 16 }, { beta: 0.5 });
        expect(t.micro.f).toBeCloseTo(again.micro.f, 12);
        const [TP, FP, FN] = [t.tp, t.fp, t.fn].map((v) => v.reduce((a, b) => a + b, 0)) as [number, number, number];
        // scikit-learn's zero_division = 0, the library's default: a class never predicted has precision 0.
        expect(t.micro.precision).toBeCloseTo(TP + FP === 0 ? 0 : TP / (TP + FP), 12);
        expect(t.micro.recall).toBeCloseTo(TP / (TP + FN), 12);
        expect(t.macro.f).toBeCloseTo(t.f.reduce((a, b) => a + b, 0) / t.f.length, 12);
        t.f.forEach((f, c) => {
          const [p, rc] = [t.precision[c]!, t.recall[c]!];
          expect(f).toBeCloseTo(p + rc === 0 ? 0 : (1.25 * p * rc) / (0.25 * p + rc), 12);
        });
      }
    }
    expect(result.splits.test.counts.positives).toEqual(support);
    // The checks above mean something only if the models predict: plain training finds discs even in this setting.
    expect(result.runs[0]!.test.at05.tp[0]).toBeGreaterThan(0);
  });

  it('selects by the rule, on the validation figures', () => {
    for (const k of ['at05', 'tuned'] as const) {
      const rule = select(result.runs.map((r) => ({ name: r.name, ...r.validation[k], ...(r.gain === null ? {} : { gain: r.gain[k].macro }) })), SMALL.maxMicroDrop);
      expect(result.selected[k]).toBe(rule.selected);
      expect(result.runs.map((r) => r.standing[k])).toEqual(rule.standing);
      const chosen = result.runs.find((r) => r.name === result.selected[k])!;
      if (chosen.name !== 'plain') {
        expect(chosen.gain![k].macro.low).toBeGreaterThan(0);
        expect(chosen.validation[k].micro).toBeGreaterThanOrEqual(result.runs[0]!.validation[k].micro - SMALL.maxMicroDrop);
      }
    }
  });

  it('gives the same figures from the same seed', async () => {
    expect(figures(await runSeed(seedData(5, SMALL), SMALL))).toEqual(figures(result));
  });

  it('takes thresholds and the selection from validation only: other test labels change the test figures, nothing else', async () => {
    const other = generateImages(SMALL.images.test, 'other test labels', SMALL.spec);
    const changed = await runSeed({ ...data, test: { ...data.test, y: other.y } }, SMALL);
    expect(changed.selected).toEqual(result.selected);
    changed.runs.forEach((r, i) => {
      const base = result.runs[i]!;
      expect(r.thresholds).toEqual(base.thresholds);
      expect(r.validation).toEqual(base.validation);
      expect(r.gain).toEqual(base.gain);
      expect(r.test.at05.support).not.toEqual(base.test.at05.support);
      expect(r.test).not.toEqual(base.test);
    });
  });

  it('writes a report whose tables hold these figures', () => {
    const md = reportMarkdown({ settings: SMALL, seeds: [result], means: means([result]) }, { backend: 'cpu', seconds: 1 });
    for (const r of result.runs) {
      expect(md).toContain(`| ${r.name} | ${r.test.at05.micro.f.toFixed(3)} | ${r.test.at05.macro.f.toFixed(3)} | ${r.test.tuned.micro.f.toFixed(3)} | ${r.test.tuned.macro.f.toFixed(3)} |`);
      expect(md).toContain(`| ${r.name} | cross | ${r.test.at05.support[2]} | `);
    }
    expect(md).toContain(`Selected on validation: **${result.selected.at05}** (threshold 0.5), **${result.selected.tuned}** (tuned thresholds).`);
  });
});

describe('on the GPU routes (the cpu kernels under another name: the code takes the route it takes on WebGL)', () => {
  afterAll(() => tf.setBackend('cpu'));

  it("makes no blocking read in training: plain, focal and the weighted runs (the callback reads the label tensor asynchronously)", async () => {
    await useGpuRoutes();
    const d = seedData(2, SMALL);
    const S = SMALL.spec.size;
    const x = tf.tensor4d(d.train.x, [d.train.count, S, S, 1]);
    const y = tf.tensor4d(d.train.y, [d.train.count, S, S, 3]);
    try {
      // Counting the tensor synchronously would read it back: what the callback no longer does.
      expect((await countBlockingReads(async () => countMultiHot(y))).reads).toBeGreaterThan(0);
      const counts = countMultiHot(labelRows(d.train));
      for (const t of TREATMENTS) {
        const { result, reads } = await countBlockingReads(() => trainTreatment(t, { x, y }, counts, { size: S, ...SMALL.model, seed: 2 }, { ...SMALL.fit, epochs: 1 }, 2));
        result.model.dispose();
        expect([t.name, reads]).toEqual([t.name, 0]);
      }
    } finally {
      tf.dispose([x, y]);
    }
  });
});
