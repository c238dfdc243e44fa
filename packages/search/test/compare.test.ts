import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import * as tfd from '@tensorflow/tfjs-data';
import { FBetaAccumulator, tuneThresholds } from '@tfjs-imbalance/fbeta-metric';
import { DEFAULT_TREATMENTS, compareTreatments, trainingSetup, type TreatmentRun } from '@tfjs-imbalance/search';

/** A seeded long-tailed multi-label problem: 8 features, 6 classes from ~45% down to ~3% positive. */
function problem(rows: number, seed: number) {
  let s = seed;
  const rand = () => ((s = (s * 16807) % 2147483647) / 2147483647);
  const W = Array.from({ length: 8 }, () => Array.from({ length: 6 }, () => rand() * 2 - 1));
  const bias = [0, -0.8, -1.4, -1.9, -2.3, -2.6];
  const x: number[][] = [];
  const y: number[][] = [];
  for (let i = 0; i < rows; i++) {
    const xi = Array.from({ length: 8 }, () => rand() * 2 - 1);
    x.push(xi);
    y.push(bias.map((b, c) => (xi.reduce((a, v, d) => a + v * W[d]![c]!, b) * 2 + (rand() - 0.5) > 0 ? 1 : 0)));
  }
  return { x: tf.tensor2d(x), y: tf.tensor2d(y) };
}

const factory = () => tfl.sequential({ layers: [tfl.layers.dense({ units: 6, inputShape: [8], kernelInitializer: tfl.initializers.glorotUniform({}) })] });

describe('compareTreatments', () => {
  let train: ReturnType<typeof problem>;
  let validation: ReturnType<typeof problem>;
  beforeAll(() => {
    train = problem(600, 3);
    validation = problem(300, 5);
  });
  afterAll(() => tf.dispose([train.x, train.y, validation.x, validation.y]));

  it('runs the defaults, selects by its documented rule, and leaks nothing', async () => {
    const before = tf.memory().numTensors;
    const seen: string[] = [];
    const c = await compareTreatments({
      model: factory,
      train,
      validation,
      epochs: 6,
      batchSize: 64,
      shuffle: false,
      optimizer: () => tf.train.adam(0.05),
      onRunEnd: (run, model) => {
        const out = model.predict(validation.x) as tf.Tensor;
        expect(out.shape).toEqual([300, 6]);
        out.dispose();
        seen.push(run.name);
      },
    });
    expect(c.runs.map((r) => r.name)).toEqual(DEFAULT_TREATMENTS.map((t) => t.name));
    expect(seen).toEqual(c.runs.map((r) => r.name));
    const plain = c.runs[0]!;
    for (const r of c.runs) {
      expect(r.eligible).toBe(r.validation.micro >= plain.validation.micro - 0.02);
      expect(r.objective).toBe(r.validation.macro);
      expect(r.thresholds).toHaveLength(6);
    }
    // The rule: the eligible run with the highest objective, the earliest on a tie.
    const expected = c.runs.filter((r) => r.eligible).reduce((a, b) => (b.objective > a.objective ? b : a));
    expect(c.selected).toBe(expected);
    // 'best-scheme+focal' took the scheme of the best eligible re-weighted BCE run before it.
    const schemeRuns = c.runs.filter((r) => ['ins', 'isns', 'ens-0.99', 'ens-0.999'].includes(r.name));
    const pool = schemeRuns.some((r) => r.eligible) ? schemeRuns.filter((r) => r.eligible) : schemeRuns;
    const bestSchemeRun = pool.reduce((a, b) => (b.objective > a.objective ? b : a));
    expect(c.runs.find((r) => r.name === 'best-scheme+focal')!.treatment.scheme).toEqual(bestSchemeRun.treatment.scheme);
    // The front: no run beats a front run on both micro and macro.
    for (const f of c.front) expect(c.runs.some((r) => r.validation.micro > f.validation.micro && r.validation.macro > f.validation.macro)).toBe(false);
    // The selected model is alive, then freed.
    const out = c.model.predict(validation.x) as tf.Tensor;
    out.dispose();
    c.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it("tunes each later run's thresholds to keep plain training's validation micro F-beta less maxMicroDrop, where they can", async () => {
    const logits = new Map<string, tf.Tensor>();
    const c = await compareTreatments({
      model: factory,
      train,
      validation,
      maxMicroDrop: 0, // the strictest trade-off, so the floor binds
      epochs: 4,
      batchSize: 64,
      shuffle: false,
      optimizer: () => tf.train.adam(0.05),
      onRunEnd: (run, model) => void logits.set(run.name, model.predict(validation.x) as tf.Tensor),
    });
    const micro = (name: string, thresholds: number[]) => new FBetaAccumulator({ beta: 0.5, from: 'logits', threshold: thresholds }).update(validation.y, logits.get(name)!).result().micro.f;
    const floor = micro('plain', c.runs[0]!.thresholds);
    let floored = 0;
    for (const r of c.runs.slice(1)) {
      const free = tuneThresholds(validation.y, logits.get(r.name)!, { beta: 0.5, from: 'logits' }).thresholds;
      if (micro(r.name, free) >= floor) expect(r.thresholds).toEqual(free);
      else if (micro(r.name, r.thresholds) >= floor) floored++;
      else expect(r.thresholds).toEqual(free); // no thresholds reach it: the run keeps its best for macro
    }
    expect(floored).toBeGreaterThan(0);
    tf.dispose([...logits.values()]);
    c.dispose();
  });

  it('starts every candidate from the same initial weights (random initialiser)', async () => {
    const c = await compareTreatments({
      model: factory,
      train,
      validation,
      candidates: [{ name: 'plain' }, { name: 'plain-again' }],
      epochs: 3,
      batchSize: 64,
      shuffle: false,
      optimizer: () => tf.train.adam(0.05),
    });
    expect(c.runs[1]!.validation).toEqual(c.runs[0]!.validation);
    expect(c.runs[1]!.thresholds).toEqual(c.runs[0]!.thresholds);
    c.dispose();
  });

  it('prunes at the rungs by its documented rule, and never with budget: false', async () => {
    const candidates = DEFAULT_TREATMENTS;
    const args = { model: factory, train, validation, candidates, epochs: 5, batchSize: 64, shuffle: false, optimizer: () => tf.train.adam(0.05) };
    const pruned = await compareTreatments({ ...args, stopOn: 'objective', budget: { rungs: [1, 2], keep: 0.34 } });
    const bestAt = (r: TreatmentRun, rung: number) => Math.max(...r.curve.slice(0, rung));
    for (const [i, r] of pruned.runs.entries()) {
      for (const rung of [1, 2]) {
        if (i === 0 || r.curve.length < rung || (r.prunedAt !== undefined && r.prunedAt < rung)) continue;
        const peers = pruned.runs.slice(0, i).filter((p) => p.curve.length >= rung || p === pruned.runs[0]).map((p) => bestAt(p, Math.min(rung, p.curve.length)));
        const seen = [...peers, bestAt(r, rung)].sort((a, b) => b - a);
        const bar = seen[Math.ceil(0.34 * seen.length) - 1]!;
        expect(r.prunedAt === rung).toBe(bestAt(r, rung) < bar);
      }
    }
    expect(pruned.runs.filter((r) => r.prunedAt !== undefined).length).toBeGreaterThan(0);
    pruned.dispose();
    const all = await compareTreatments({ ...args, candidates: candidates.slice(0, 4), budget: false });
    expect(all.runs.every((r) => r.prunedAt === undefined)).toBe(true);
    all.dispose();
  });

  it("stopOn 'micro' (the default) keeps the epoch with the best validation micro F-beta at 0.5, and scores the rungs", async () => {
    const c = await compareTreatments({ model: factory, train, validation, candidates: [{ name: 'plain' }], epochs: 4, batchSize: 64, shuffle: false, optimizer: () => tf.train.adam(0.05), patience: 4 });
    const plain = c.runs[0]!;
    expect(plain.curve).toHaveLength(2); // the objective at the rungs, epochs 2 and 4
    expect(plain.epochs).toBe(4);
    expect(plain.bestEpoch).toBeGreaterThanOrEqual(0);
    c.dispose();
    await expect(compareTreatments({ model: factory, train, validation, stopOn: 'loss' as never })).rejects.toThrow("args.stopOn: must be 'micro' or 'objective'");
  });

  it('takes tf.data datasets of batched { xs, ys }', async () => {
    const ds = (s: { x: tf.Tensor; y: tf.Tensor }) => tfd.zip({ xs: tfd.array(s.x.arraySync() as number[][]), ys: tfd.array(s.y.arraySync() as number[][]) }).batch(64);
    const before = tf.memory().numTensors;
    const c = await compareTreatments({
      model: factory,
      train: ds(train) as never,
      validation: ds(validation) as never,
      candidates: [{ name: 'plain' }, { name: 'ins', scheme: 'ins' }],
      epochs: 2,
      optimizer: () => tf.train.adam(0.05),
    });
    expect(c.runs).toHaveLength(2);
    expect(c.counts.positives).toEqual(tf.tidy(() => Array.from(tf.sum(train.y, 0).dataSync())));
    c.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  describe('bad input names the argument and the fix', () => {
    const base = () => ({ model: factory, train, validation, epochs: 1, candidates: [{ name: 'plain' }] });
    let bad: Record<string, tf.Tensor>;
    beforeAll(() => {
      bad = {
        wide: tf.zeros([300, 9]),
        negative: tf.tensor2d(Array.from({ length: 600 }, () => [0, 0, -1, 0, 0, 1])),
        nan: tf.tensor2d(Array.from({ length: 300 }, () => [0, NaN, 0, 0, 0, 1])),
      };
    });
    afterAll(() => tf.dispose(Object.values(bad)));
    it.each([
      ['validation inputs of the wrong width', () => ({ validation: { x: bad.wide, y: validation.y } }), 'args.validation.x: has shape [300,9] but the model takes inputs of shape [null,8]'],
      ['a label of -1', () => ({ train: { x: train.x, y: bad.negative } }), 'args.train.y: label at row 0, column 2 is -1; multi-hot labels must lie in [0, 1]. If these are class indices, one-hot them first (tf.oneHot)'],
      ['a NaN label', () => ({ validation: { x: validation.x, y: bad.nan } }), 'args.validation.y: value at row 0, column 1 is NaN'],
      ['an async factory', () => ({ model: async () => factory() }), 'args.model: returned a Promise'],
      [
        'priorBias on a model without a bias',
        () => ({ model: () => tfl.sequential({ layers: [tfl.layers.dense({ units: 6, inputShape: [8], useBias: false })] }), candidates: [{ name: 'plain' }, { name: 'pb', priorBias: true }] }),
        'args.candidates[1].priorBias: is true, but the model has no layer with a bias of 6 values',
      ],
    ])('%s', async (_name, patch, message) => {
      const p = patch();
      await new Promise((r) => setTimeout(r, 0)); // let earlier tests' freed models settle
      const before = tf.memory().numTensors;
      await expect(compareTreatments({ ...base(), ...p } as never)).rejects.toThrow(message);
      await new Promise((r) => setTimeout(r, 0)); // the async factory's model is freed when its promise settles
      expect(tf.memory().numTensors).toBe(before);
    });
    it.each([
      ['no validation', { validation: undefined }, 'args.validation: is missing'],
      ['a model instead of a factory', { model: factory() as never }, 'args.model: is a model, but the search needs a factory'],
      ['a factory ending in sigmoid', { model: () => tfl.sequential({ layers: [tfl.layers.dense({ units: 6, inputShape: [8], activation: 'sigmoid' })] }) }, 'has a sigmoid activation'],
      ['labels wider than the output', { model: () => tfl.sequential({ layers: [tfl.layers.dense({ units: 4, inputShape: [8] })] }) }, 'args.train.y: has shape [600,6] but the model outputs 4 logits'],
      ['plain not first', { candidates: [{ name: 'ins', scheme: 'ins' }] }, "args.candidates[0]: must be plain training"],
      ['a scheme on DB', { candidates: [{ name: 'plain' }, { name: 'db', loss: 'db', scheme: 'ins' }] }, "apply to loss 'bce' or 'focal'"],
      ['an unknown option', { epoch: 3 }, 'epoch'],
      ['an endless dataset', { train: { iterator: async () => ({ next: async () => ({ done: true, value: undefined }) }), size: Infinity } }, 'Drop the .repeat()'],
      ['mismatched rows', 'mismatch', 'args.train.x: has 600 rows'],
      ["fit's validationData", { validation: undefined, validationData: [1, 2] }, 'the search takes its held-out rows as validation: { x: xVal, y: yVal }'],
      ['an optimizer instead of a factory', { optimizer: tf.train.sgd(0.1) }, 'got an optimizer; each candidate needs its own optimizer state'],
      ['arrays instead of tensors', { train: { x: [[1]], y: [[1]] } }, 'wrap them as { x: tf.tensor2d(x), y: tf.tensor2d(y) }'],
    ])('%s', async (_name, patch, message) => {
      const before = tf.memory().numTensors;
      const p = patch === 'mismatch' ? { train: { x: train.x, y: validation.y } } : (patch as object);
      await expect(compareTreatments({ ...base(), ...p } as never)).rejects.toThrow(message);
      expect(tf.memory().numTensors).toBe(before);
    });
    it('a factory returning one model twice', async () => {
      const m = factory();
      await expect(compareTreatments({ ...base(), model: () => m, candidates: [{ name: 'plain' }, { name: 'p2' }] })).rejects.toThrow('returned the same model twice');
    });
  });

  it('trainingSetup rebuilds the selected treatment, and refuses an unresolved best scheme', () => {
    const counts = { positives: [50, 5], samples: 100, emptyRows: 10 };
    const setup = trainingSetup({ name: 'x', scheme: 'ins', deferUntilEpoch: 2 }, counts);
    expect(setup.callbacks).toHaveLength(1);
    setup.dispose();
    expect(() => trainingSetup({ name: 'y', loss: 'focal', scheme: 'best' }, counts)).toThrow("treatment.scheme: is 'best'");
  });
});
