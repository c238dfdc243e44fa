import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import * as tfd from '@tensorflow/tfjs-data';
import { FBetaAccumulator, tuneThresholds } from '@tfjs-imbalance/fbeta-metric';
import { problem } from './problem';
import { DEFAULT_TREATMENTS, compareTreatments, formatComparison, trainingSetup, type PruneContext, type Pruner } from '@tfjs-imbalance/search';

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
      seed: 1,
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
    expect(c.seed).toBe(1);
    expect(c.backend).toBe('cpu');
    const plain = c.runs[0]!;
    expect(plain.gain).toBeUndefined();
    for (const r of c.runs.slice(1)) {
      expect(r.eligible).toBe(r.validation.micro >= plain.validation.micro - 0.02);
      expect(r.objective).toBe(r.validation.macro);
      expect(r.thresholds).toHaveLength(6);
      // The gain's estimate is the difference of the validation figures; its interval holds it.
      expect(r.gain!.objective.estimate).toBeCloseTo(r.validation.macro - plain.validation.macro, 10);
      expect(r.gain!.micro.estimate).toBeCloseTo(r.validation.micro - plain.validation.micro, 10);
      expect(r.gain!.objective.low).toBeLessThanOrEqual(r.gain!.objective.estimate);
      expect(r.gain!.objective.high).toBeGreaterThanOrEqual(r.gain!.objective.estimate);
      expect(r.prunedAt).toBe(r.stop.kind === 'pruned' ? r.stop.epoch : undefined);
    }
    // The rule: of the runs trained to their end, within the trade-off and beyond the noise, the best objective; plain training if none.
    const contenders = c.runs.filter((r) => r !== plain && r.stop.kind !== 'pruned' && r.eligible && r.gain!.objective.low > 0);
    const expected = contenders.reduce((a, b) => (b.objective > a.objective ? b : a), plain);
    expect(c.selected).toBe(expected);
    expect(c.verdict).toContain(c.selected === plain ? 'Plain training selected' : `${c.selected.name}: validation macro F0.5`);
    expect(c.costRatio).toBeCloseTo(c.runs.reduce((a, r) => a + r.seconds, 0) / plain.seconds, 10);
    // 'best-scheme+focal' took the scheme of the best eligible re-weighted BCE run before it.
    const schemeRuns = c.runs.filter((r) => ['ins', 'isns', 'ens-0.99', 'ens-0.999'].includes(r.name));
    const pool = schemeRuns.some((r) => r.eligible) ? schemeRuns.filter((r) => r.eligible) : schemeRuns;
    const bestSchemeRun = pool.reduce((a, b) => (b.objective > a.objective ? b : a));
    expect(c.runs.find((r) => r.name === 'best-scheme+focal')!.treatment.scheme).toEqual(bestSchemeRun.treatment.scheme);
    // The front: no run beats a front run on both micro and macro.
    for (const f of c.front) expect(c.runs.some((r) => r.validation.micro > f.validation.micro && r.validation.macro > f.validation.macro)).toBe(false);
    // The table names every run and ends with the verdict.
    const table = formatComparison(c);
    for (const r of c.runs) expect(table).toContain(r.name);
    expect(table).toContain(c.verdict);
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
      seed: 1,
      epochs: 4,
      batchSize: 64,
      shuffle: false,
      budget: false,
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
      // The floor is out of reach, or keeping it would take macro F-beta below its value at 0.5: the run keeps what micro it can.
      else expect(micro(r.name, r.thresholds)).toBeGreaterThanOrEqual(micro(r.name, free) - 1e-9);
    }
    expect(floored).toBeGreaterThan(0);
    tf.dispose([...logits.values()]);
    c.dispose();
  });

  it('trains every candidate on the same random streams: a copy of plain training, shuffled and with dropout, scores exactly as plain', async () => {
    const dropout = () =>
      tfl.sequential({ layers: [tfl.layers.dense({ units: 16, inputShape: [8], activation: 'relu' }), tfl.layers.dropout({ rate: 0.3 }), tfl.layers.dense({ units: 6 })] });
    const c = await compareTreatments({
      model: dropout,
      train,
      validation,
      candidates: [{ name: 'plain' }, { name: 'plain-again' }],
      epochs: 3,
      batchSize: 64,
      optimizer: () => tf.train.adam(0.05),
    });
    expect(c.runs[1]!.validation).toEqual(c.runs[0]!.validation);
    expect(c.runs[1]!.thresholds).toEqual(c.runs[0]!.thresholds);
    // A gain of exactly 0 is not beyond the noise: plain training stays.
    expect(c.runs[1]!.gain!.objective).toEqual({ estimate: 0, low: 0, high: 0 });
    expect(c.selected.name).toBe('plain');
    c.dispose();
  });

  it('warns once, in Node on the pure-JS cpu backend, that wasm is faster, and names the way to silence it', async () => {
    const { QUIET_BACKEND_ENV, resetSlowBackendWarning } = await import('@tfjs-imbalance/weight-schemes/internal');
    const saved = process.env[QUIET_BACKEND_ENV];
    delete process.env[QUIET_BACKEND_ENV];
    resetSlowBackendWarning();
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      const run = () => compareTreatments({ model: factory, train, validation, epochs: 2, batchSize: 128, seed: 2, candidates: DEFAULT_TREATMENTS.slice(0, 2), budget: false });
      (await run()).dispose();
      (await run()).dispose();
      const advice = warn.mock.calls.map((c) => String(c[0])).filter((m) => m.includes('cpu backend'));
      expect(advice).toHaveLength(1);
      expect(advice[0]).toMatch(/compareTreatments \(2 trainings\).*@tensorflow\/tfjs-backend-wasm.*setBackend\('wasm'\).*TFJS_IMBALANCE_NO_BACKEND_WARNING=1/);
    } finally {
      warn.mockRestore();
      if (saved !== undefined) process.env[QUIET_BACKEND_ENV] = saved;
      resetSlowBackendWarning();
    }
  });

  it('repeats exactly with the same seed (shuffled rows, dropout, random initialisers) and restores Math.random', async () => {
    const dropout = () =>
      tfl.sequential({ layers: [tfl.layers.dense({ units: 16, inputShape: [8], activation: 'relu' }), tfl.layers.dropout({ rate: 0.3 }), tfl.layers.dense({ units: 6 })] });
    const random = Math.random;
    const run = async (seed: number) => {
      const c = await compareTreatments({ model: dropout, train, validation, candidates: DEFAULT_TREATMENTS.slice(0, 4), epochs: 4, batchSize: 64, seed, optimizer: () => tf.train.adam(0.05) });
      const summary = { selected: c.selected.name, runs: c.runs.map((r) => ({ name: r.name, validation: r.validation, gain: r.gain, thresholds: r.thresholds, stop: r.stop, curve: r.curve })) };
      c.dispose();
      return summary;
    };
    const [a, b, other] = [await run(7), await run(7), await run(8)];
    expect(Math.random).toBe(random);
    expect(b).toEqual(a);
    expect(other.runs[0]!.validation).not.toEqual(a.runs[0]!.validation);
  });

  it("prunes by the pruner's verdict, says where and why, and never selects a pruned run", async () => {
    const calls: PruneContext[] = [];
    // A pruner that stops every candidate after its second epoch, recording what it was shown.
    const pruner: Pruner = {
      description: 'test',
      needsObjective: (epoch) => epoch === 2,
      judge: (context) => (calls.push(context), context.epoch === 2 ? { reason: 'a test' } : undefined),
    };
    const c = await compareTreatments({ model: factory, train, validation, candidates: DEFAULT_TREATMENTS.slice(0, 3), epochs: 5, batchSize: 64, budget: pruner, optimizer: () => tf.train.adam(0.05) });
    expect(c.runs[0]!.stop.kind).not.toBe('pruned');
    // Plain training's objective is scored every epoch (the rungs are placed on its length).
    expect(c.runs[0]!.curve.every((v) => !Number.isNaN(v))).toBe(true);
    for (const r of c.runs.slice(1)) {
      expect(r.stop).toEqual({ kind: 'pruned', epoch: 2, reason: 'a test' });
      expect(r.prunedAt).toBe(2);
      expect(r.curve).toHaveLength(2);
      expect(Number.isNaN(r.curve[0]!)).toBe(true); // not needed by this pruner, not scored
    }
    expect(c.selected.name).toBe('plain');
    const second = calls.filter((k) => k.run.name === c.runs[2]!.name);
    expect(second[0]!.others.map((o) => o.name)).toEqual([c.runs[1]!.name]);
    expect(second[0]!.plain.epochs).toBe(c.runs[0]!.epochs);
    expect(formatComparison(c)).toContain(`${c.runs[1]!.name}: a test.`);
    c.dispose();
    const all = await compareTreatments({ model: factory, train, validation, candidates: DEFAULT_TREATMENTS.slice(0, 4), epochs: 3, batchSize: 64, budget: false, optimizer: () => tf.train.adam(0.05) });
    expect(all.runs.every((r) => r.prunedAt === undefined && r.stop.kind !== 'pruned')).toBe(true);
    all.dispose();
  });

  it("stopOn 'micro' (the default) keeps the epoch with the best validation micro F-beta at 0.5", async () => {
    const c = await compareTreatments({ model: factory, train, validation, candidates: [{ name: 'plain' }], epochs: 4, batchSize: 64, shuffle: false, optimizer: () => tf.train.adam(0.05), patience: 4 });
    const plain = c.runs[0]!;
    expect(plain.curve).toHaveLength(4);
    expect(plain.epochs).toBe(4);
    expect(plain.stop.kind).toBe('epochs');
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
