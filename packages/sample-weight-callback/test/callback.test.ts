import * as tf from '@tensorflow/tfjs-core';
import * as tfd from '@tensorflow/tfjs-data';
import * as tfl from '@tensorflow/tfjs-layers';
import { InvalidOptionError, OutOfRangeError, ShapeMismatchError, classWeights, countMultiHot, type SchemeConfig } from '@tfjs-imbalance/weight-schemes';
import { binaryCrossEntropy, weightedBinaryCrossentropy, type WeightedLoss } from '@tfjs-imbalance/weighted-loss';
import { fbetaCallback, fbetaMetric } from '@tfjs-imbalance/fbeta-metric';
import { SampleWeightCallback, sampleWeightCallback } from '@tfjs-imbalance/sample-weight-callback';

const N = 48;
const BATCH = 8;
/** Imbalanced multi-label data: class 0 is frequent, class 1 less so, class 2 is rare and only in the last 16 rows. */
const rows = Array.from({ length: N }, (_, i) => [i % 4 !== 3 ? 1 : 0, i % 3 === 0 ? 1 : 0, i >= 32 && i % 5 === 0 ? 1 : 0]);
const features = rows.map((r, i) => [r[0]! * 2 - 1 + Math.sin(i) * 0.3, r[1]! * 2 - 1 + Math.cos(i) * 0.3, r[2]! * 2 - 1, Math.sin(i * 3)]);
const counts = countMultiHot(rows);
const close = (a: readonly number[], b: readonly number[]) => a.forEach((v, i) => expect(v).toBeCloseTo(b[i]!, 5));

function setup(): { model: tfl.LayersModel; loss: WeightedLoss; x: tf.Tensor2D; y: tf.Tensor2D } {
  const model = tfl.sequential({
    layers: [tfl.layers.dense({ units: 3, inputShape: [4], kernelInitializer: tfl.initializers.glorotUniform({ seed: 1 }) })],
  });
  const loss = weightedBinaryCrossentropy({ numClasses: 3 });
  model.compile({ optimizer: tf.train.adam(0.05), loss, metrics: [fbetaMetric({ from: 'logits' })] });
  return { model, loss, x: tf.tensor2d(features), y: tf.tensor2d(rows) };
}

/** Records the loss's class weights at every epoch begin and batch end (after the callback under test ran). */
function probe(loss: WeightedLoss) {
  const atEpoch: number[][] = [];
  const afterBatch: number[][] = [];
  const tensors: number[] = [];
  const cb = new tfl.CustomCallback({
    onEpochBegin: async () => void atEpoch.push(loss.getClassWeights()),
    onBatchEnd: async () => void afterBatch.push(loss.getClassWeights()),
    onEpochEnd: async () => void tensors.push(tf.memory().numTensors),
  });
  return { cb, atEpoch, afterBatch, tensors };
}

function teardown(s: ReturnType<typeof setup>): void {
  s.loss.dispose();
  s.model.dispose();
  tf.dispose([s.x, s.y]);
}

describe('SampleWeightCallback in model.fit', () => {
  it('one online-counted loss in two fits at once: the second fit is refused, naming the loss; one fit after the other works', async () => {
    const a = setup();
    const b = setup();
    b.loss.dispose();
    b.model.compile({ optimizer: tf.train.adam(0.05), loss: a.loss }); // the same loss object in both models
    const fit = (m: tfl.LayersModel) => m.fit(a.x, a.y, { epochs: 2, batchSize: BATCH, verbose: 0, callbacks: [sampleWeightCallback({ losses: a.loss, scheme: 'isns', online: true })] });
    const settled = await Promise.allSettled([fit(a.model), fit(b.model)]);
    expect(settled.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    const refused = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected')!;
    expect(String(refused.reason.message)).toContain('args.losses: this loss, driven by a sampleWeightCallback, is already in a running fit of another model, so one model would train with the class weights and counts of the other');
    await fit(a.model);
    await fit(b.model);
    b.model.dispose();
    tf.dispose([b.x, b.y]);
    teardown(a);
  });

  it('warns once, in Node on the pure-JS cpu backend, when a training is long (1,000 batches or more), not when it is short', async () => {
    const { QUIET_BACKEND_ENV, resetSlowBackendWarning } = await import('@tfjs-imbalance/weight-schemes/internal');
    const saved = process.env[QUIET_BACKEND_ENV];
    delete process.env[QUIET_BACKEND_ENV];
    resetSlowBackendWarning();
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    const s = setup();
    try {
      // A real, short fit: 3 epochs of 6 batches.
      await s.model.fit(s.x, s.y, { epochs: 3, batchSize: BATCH, verbose: 0, callbacks: [sampleWeightCallback({ losses: s.loss, scheme: 'ins', counts })] });
      expect(warn).not.toHaveBeenCalled();
      // What fit tells a callback of a long one: 168 epochs of 6 batches (from samples and batchSize), and of fitDataset's steps.
      for (const params of [{ epochs: 168, samples: N, batchSize: BATCH }, { epochs: 10, steps: 100 }]) {
        resetSlowBackendWarning();
        warn.mockClear();
        const cb = sampleWeightCallback({ losses: s.loss, scheme: 'ins', counts });
        cb.setModel(s.model);
        cb.setParams(params);
        await cb.onTrainBegin();
        await cb.onTrainBegin();
        expect(warn).toHaveBeenCalledTimes(1);
        expect(String(warn.mock.calls[0]![0])).toMatch(/this training \(1,?00\d batches\) runs on TensorFlow\.js' pure-JS cpu backend.*tfjs-backend-wasm/);
      }
    } finally {
      warn.mockRestore();
      if (saved !== undefined) process.env[QUIET_BACKEND_ENV] = saved;
      resetSlowBackendWarning();
      teardown(s);
    }
  });

  it("'once': sets the scheme's weights at train begin and keeps them; logs, metrics and memory are sound", async () => {
    const s = setup();
    const p = probe(s.loss);
    const scheme: SchemeConfig = { name: 'ens', beta: 0.99 };
    const val = [tf.tensor2d(features.slice(0, 16)), tf.tensor2d(rows.slice(0, 16))] as const;
    const h = await s.model.fit(s.x, s.y, {
      epochs: 5,
      batchSize: BATCH,
      shuffle: false,
      verbose: 0,
      callbacks: [
        sampleWeightCallback({ losses: s.loss, scheme, counts, logWeights: true }),
        fbetaCallback({ validationData: val, from: 'logits' }),
        p.cb,
      ],
    });
    const expected = classWeights(counts, scheme);
    expect(p.atEpoch).toHaveLength(5);
    expect(p.afterBatch).toHaveLength(5 * (N / BATCH));
    p.atEpoch.forEach((w) => close(w, expected));
    p.afterBatch.forEach((w) => close(w, expected));
    expect(Object.keys(h.history)).toEqual(expect.arrayContaining(['loss', 'fbeta', 'val_fbeta', 'class_weight_min', 'class_weight_max']));
    expect(h.history['class_weight_max']![0]).toBeCloseTo(Math.max(...expected), 5);
    const losses = h.history['loss'] as number[];
    expect(losses[4]).toBeLessThan(losses[0]!);
    expect(new Set(p.tensors.slice(1)).size).toBe(1);
    tf.dispose([...val]);
    teardown(s);
  });

  it("'epoch' with a β schedule: ENS β changes exactly at each epoch begin", async () => {
    const s = setup();
    const p = probe(s.loss);
    const betas = [0.9, 0.99, 0.999];
    await s.model.fit(s.x, s.y, {
      epochs: 4,
      batchSize: BATCH,
      verbose: 0,
      callbacks: [sampleWeightCallback({ losses: s.loss, scheme: { name: 'ens', beta: 0.9 }, data: rows, schedule: 'epoch', betaSchedule: betas }), p.cb],
    });
    expect(p.atEpoch).toHaveLength(4);
    [0.9, 0.99, 0.999, 0.999].forEach((beta, e) => close(p.atEpoch[e]!, classWeights(counts, { name: 'ens', beta })));
    teardown(s);
  });

  it('deferred re-weighting: plain training before epoch E (every row weighs 1, also under the sum rule), the scheme from epoch E', async () => {
    const s = setup();
    const p = probe(s.loss);
    // What the loss gives a row with two labels and a row with none, at each epoch begin: plain BCE before E.
    const rowsProbe = tf.tensor2d([[1, 1, 0], [0, 0, 0]]);
    const logits = tf.tensor2d([[0.5, -1, 2], [0.5, -1, 2]]);
    const perRow: number[][] = [];
    const lossProbe = new tfl.CustomCallback({ onEpochBegin: async () => void perRow.push(tf.tidy(() => Array.from(s.loss(rowsProbe, logits).dataSync()))) });
    await s.model.fit(s.x, s.y, {
      epochs: 4,
      batchSize: BATCH,
      verbose: 0,
      callbacks: [sampleWeightCallback({ losses: s.loss, scheme: 'ins', counts, deferUntilEpoch: 2 }), p.cb, lossProbe],
    });
    expect(p.atEpoch).toHaveLength(4);
    expect(p.atEpoch.slice(0, 2)).toEqual([[1, 1, 1], [1, 1, 1]]);
    p.atEpoch.slice(2).forEach((w) => close(w, classWeights(counts, 'ins')));
    const plain = tf.tidy(() => Array.from(binaryCrossEntropy(rowsProbe, logits, { reduction: 'per-sample' }).dataSync()));
    perRow.slice(0, 2).forEach((r) => close(r, plain)); // not 2× for the row with two labels
    const w = classWeights(counts, 'ins');
    close(perRow[2]!, [plain[0]! * (w[0]! + w[1]!), plain[1]! * s.loss.getEmptyRowWeight()]);
    expect(s.loss.isReweighting()).toBe(true); // left on after training
    tf.dispose([rowsProbe, logits]);
    teardown(s);
  });

  it('online, per batch: weights follow the running counts of the batches seen, finite while a class is still unseen', async () => {
    const s = setup();
    const p = probe(s.loss);
    const h = await s.model.fit(s.x, s.y, {
      epochs: 2,
      batchSize: BATCH,
      shuffle: false,
      verbose: 0,
      validationSplit: 0,
      callbacks: [sampleWeightCallback({ losses: s.loss, scheme: 'isns', online: true }), p.cb],
    });
    expect(h.history['loss']).toHaveLength(2);
    expect(p.afterBatch).toHaveLength(2 * (N / BATCH));
    p.afterBatch.forEach((w, b) => {
      // Epoch 1 follows the running counts; epoch 2 uses the complete first epoch's (the training set's), never a sum over epochs.
      const c = countMultiHot(b < N / BATCH ? rows.slice(0, (b + 1) * BATCH) : rows);
      expect(w.every(Number.isFinite)).toBe(true);
      close(w, classWeights(c, { name: 'isns', emptyClass: 'max' }));
    });
    // Class 2 is unseen in the first 4 batches: it shares the largest weight instead of Infinity.
    expect(p.afterBatch[0]![2]).toBe(Math.max(...p.afterBatch[0]!));
    teardown(s);
  });

  describe('online counts mean the training set', () => {
    const ens = { name: 'ens', beta: 0.99 } as const;
    const trainRows = rows.slice(0, 32);
    const expectedEns = classWeights(countMultiHot(trainRows), { ...ens, emptyClass: 'max' });

    async function fitOnline(validation: 'validationData' | 'validationSplit', schedule: 'epoch' | 'once' | 'batch', epochs: number) {
      const s = setup();
      const p = probe(s.loss);
      const cb = sampleWeightCallback({ losses: s.loss, scheme: ens, online: true, schedule });
      const before = tf.memory().numTensors;
      const common = { epochs, batchSize: BATCH, shuffle: false, verbose: 0 as const, callbacks: [cb, p.cb] };
      if (validation === 'validationData') {
        const [xt, yt, xv, yv] = [tf.tensor2d(features.slice(0, 32)), tf.tensor2d(trainRows), tf.tensor2d(features.slice(32)), tf.tensor2d(rows.slice(32))];
        await s.model.fit(xt, yt, { ...common, validationData: [xv, yv] });
        tf.dispose([xt, yt, xv, yv]);
      } else {
        // validationSplit 1/3 keeps the first 32 rows for training.
        await s.model.fit(s.x, s.y, { ...common, validationSplit: 1 / 3 });
      }
      return { s, p, cb, leaked: tf.memory().numTensors - before };
    }

    it.each(['validationData', 'validationSplit'] as const)('%s: validation rows are not counted, and ENS sees one epoch of counts', async (validation) => {
      const { s, p, cb, leaked } = await fitOnline(validation, 'epoch', 4);
      // After every epoch the counts are those of the 32 training rows: not 48 (validation counted), not 32·epochs (a sum).
      expect(p.atEpoch).toHaveLength(4);
      p.atEpoch.slice(1).forEach((w) => close(w, expectedEns));
      close([...cb.currentWeights], expectedEns);
      expect(s.loss.readCounts().samples).toBe(0); // the last epoch was closed, and the next is counted afresh
      expect(leaked).toBeLessThanOrEqual(4); // Adam's moments
      teardown(s);
    });

    it("'once' sets its weights once, from the first complete epoch", async () => {
      const { s, p } = await fitOnline('validationData', 'once', 3);
      expect(p.atEpoch[0]).toEqual([1, 1, 1]);
      p.atEpoch.slice(1).forEach((w) => close(w, expectedEns));
      teardown(s);
    });

    it('counts exactly beyond 2^24 rows (float64 totals; a float32 sum stops growing)', () => {
      const loss = weightedBinaryCrossentropy({ numClasses: 1 });
      const n = 2 ** 20 + 1;
      const [y, x] = [tf.ones([n, 1]), tf.zeros([n, 1])];
      loss.setRecording(true);
      for (let i = 0; i < 17; i++) {
        tf.dispose(loss(y, x));
        loss.readCounts();
      }
      const c = loss.readCounts();
      expect(c.samples).toBe(17 * n);
      expect(c.positives).toEqual([17 * n]);
      tf.dispose([y, x]);
      loss.dispose();
    });
  });

  it('online with decay: the counts are multiplied by the factor after each batch', async () => {
    const s = setup();
    const cb = sampleWeightCallback({ losses: s.loss, scheme: 'ins', online: true, decay: 0.5, schedule: 'epoch' });
    await s.model.fit(s.x, s.y, { epochs: 1, batchSize: BATCH, shuffle: false, verbose: 0, callbacks: [cb] });
    const expected = [0, 0, 0];
    for (let b = 0; b < N / BATCH; b++) {
      const c = countMultiHot(rows.slice(b * BATCH, (b + 1) * BATCH)).positives;
      c.forEach((v, j) => (expected[j] = (expected[j]! + v) * 0.5));
    }
    close(s.loss.readCounts().positives, expected);
    teardown(s);
  });

  it('works in fitDataset, counting a tf.data.Dataset at train begin, without leaking', async () => {
    const s = setup();
    const p = probe(s.loss);
    const ds = () => tfd.zip({ xs: tfd.array(features), ys: tfd.array(rows) }).batch(BATCH);
    await s.model.fitDataset(ds(), {
      epochs: 4,
      verbose: 0,
      callbacks: [sampleWeightCallback({ losses: s.loss, scheme: { name: 'ens', beta: 0.999 }, data: ds() }), p.cb],
    });
    expect(p.atEpoch).toHaveLength(4);
    p.atEpoch.forEach((w) => close(w, classWeights(counts, { name: 'ens', beta: 0.999 })));
    expect(new Set(p.tensors.slice(1)).size).toBe(1);
    teardown(s);
  });

  it('online in fitDataset', async () => {
    const s = setup();
    const p = probe(s.loss);
    const ds = tfd.zip({ xs: tfd.array(features), ys: tfd.array(rows) }).batch(BATCH);
    await s.model.fitDataset(ds, { epochs: 2, verbose: 0, callbacks: [sampleWeightCallback({ losses: s.loss, scheme: 'ins', online: true }), p.cb] });
    close(p.afterBatch[p.afterBatch.length - 1]!, classWeights(mergeAll(rows, rows), { name: 'ins', emptyClass: 'max' }));
    expect(new Set(p.tensors).size).toBe(1);
    teardown(s);
  });

  it('stops training when labels are outside [0, 1]', async () => {
    const s = setup();
    const bad = tf.tensor2d(rows.map((r, i) => (i === 5 ? [2, 0, 0] : r)));
    await expect(
      s.model.fit(s.x, bad, { epochs: 1, batchSize: BATCH, verbose: 0, callbacks: [sampleWeightCallback({ losses: s.loss, scheme: 'ins', online: true })] }),
    ).rejects.toThrow(OutOfRangeError);
    bad.dispose();
    teardown(s);
  });
});

describe('long runs: no tensor leaks', () => {
  it.each(['fit', 'fitDataset'] as const)('5 epochs of %s with the online per-batch callback and the F-beta callback keep numTensors constant', async (mode) => {
    const s = setup();
    const p = probe(s.loss);
    const callbacks = [
      sampleWeightCallback({ losses: s.loss, scheme: { name: 'ens', beta: 0.99 }, online: true, schedule: 'batch', decay: 0.99 }),
      fbetaCallback({ validationData: [s.x, s.y], from: 'logits', perClass: true }),
      p.cb,
    ];
    if (mode === 'fit') {
      await s.model.fit(s.x, s.y, { epochs: 5, batchSize: BATCH, verbose: 0, callbacks });
    } else {
      const ds = tfd.zip({ xs: tfd.array(features), ys: tfd.array(rows) }).batch(BATCH);
      await s.model.fitDataset(ds, { epochs: 5, verbose: 0, callbacks });
    }
    expect(p.tensors).toHaveLength(5);
    expect(new Set(p.tensors.slice(1)).size).toBe(1);
    teardown(s);
  });
});

function mergeAll(...parts: number[][][]) {
  return countMultiHot(parts.flat());
}

describe('SampleWeightCallback arguments', () => {
  const loss = weightedBinaryCrossentropy({ numClasses: 3 });
  afterAll(() => loss.dispose());

  it.each([
    [{ scheme: 'ins', counts: [3, 1] }, ShapeMismatchError, 'args.counts: have 2 classes but the loss has 3 class weights'],
    [{ scheme: 'ins' , counts, data: rows }, InvalidOptionError, 'got both counts and data'],
    [{ counts }, InvalidOptionError, 'args.scheme: is needed'],
    [{ scheme: 'ins', counts, decay: 0.9 }, InvalidOptionError, 'args.decay: only applies to online counts'],
    [{ scheme: 'ins', online: true, decay: 0 }, OutOfRangeError, 'args.decay: must lie in (0, 1]'],
    [{ scheme: 'ins', counts, schedule: 'step' }, InvalidOptionError, "args.schedule: must be 'once', 'epoch' or 'batch'"],
    [{ scheme: 'ins', counts, betaSchedule: [0.9] }, InvalidOptionError, "only applies to the 'ens' scheme"],
    [{ scheme: { name: 'ens', beta: 0.9 }, counts, betaSchedule: [0.9, 1] }, OutOfRangeError, 'args.betaSchedule[1]'],
    [{ scheme: 'ins', counts, deferUntilEpoch: -1 }, InvalidOptionError, 'args.deferUntilEpoch'],
    [{ scheme: 'ins', counts, shedule: 'epoch' }, InvalidOptionError, 'unknown option "shedule"'],
    [{ scheme: 'ins', counts, labels: ['a'] }, ShapeMismatchError, 'args.labels: has 1 names but the loss has 3 classes'],
  ])('rejects %j', (args, Err, fragment) => {
    const run = () => sampleWeightCallback({ losses: loss, ...(args as object) } as never);
    expect(run).toThrow(Err);
    expect(run).toThrow(fragment);
  });

  it('rejects losses with different class counts, and data with another class count at train begin', async () => {
    const other = weightedBinaryCrossentropy({ numClasses: 4 });
    expect(() => sampleWeightCallback({ losses: [loss, other], scheme: 'ins', counts })).toThrow('have 3 and 4 classes');
    other.dispose();
    const cb = sampleWeightCallback({ losses: loss, scheme: 'ins', data: [[1, 0, 0, 1]] });
    await expect(cb.onTrainBegin()).rejects.toThrow('args.data: have 4 classes but the loss has 3 class weights');
  });

  it('round-trips its config through JSON', () => {
    const cb = sampleWeightCallback({ losses: loss, scheme: { name: 'ens', beta: 0.99 }, counts, schedule: 'epoch', betaSchedule: [0.9, 0.99], deferUntilEpoch: 1, logWeights: true });
    const copy = SampleWeightCallback.fromConfig(JSON.parse(JSON.stringify(cb.getConfig())), loss);
    expect(copy.getConfig()).toEqual(cb.getConfig());
  });

  it('prints the weights table once with verbose: 1', async () => {
    const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    const cb = sampleWeightCallback({ losses: loss, scheme: 'ins', counts, verbose: 1, labels: ['common', 'mid', 'rare'] });
    await cb.onTrainBegin();
    expect(log).toHaveBeenCalledTimes(1);
    expect(log.mock.calls[0]![0]).toMatch(/class\s+count\s+weight\n\s*common\s+36\s+0\.1967\n\s+mid\s+16/);
    log.mockRestore();
  });
});

describe('resuming: fit with initialEpoch', () => {
  const ens = { name: 'ens', beta: 0.99 } as const;
  const expected = classWeights(counts, { ...ens, emptyClass: 'max' });

  it("online 'once' sets the weights from the first resumed epoch's counts, as it does from epoch 0", async () => {
    const s = setup();
    const p = probe(s.loss);
    await s.model.fit(s.x, s.y, { epochs: 5, initialEpoch: 2, batchSize: BATCH, shuffle: false, verbose: 0, callbacks: [sampleWeightCallback({ losses: s.loss, scheme: ens, online: true, schedule: 'once' }), p.cb] });
    expect(p.atEpoch).toHaveLength(3);
    p.atEpoch.slice(1).forEach((w) => close(w, expected));
    teardown(s);
  });

  it('a deferral already past applies from the first resumed epoch', async () => {
    const s = setup();
    const p = probe(s.loss);
    await s.model.fit(s.x, s.y, { epochs: 4, initialEpoch: 3, batchSize: BATCH, shuffle: false, verbose: 0, callbacks: [sampleWeightCallback({ losses: s.loss, scheme: ens, counts, deferUntilEpoch: 2 }), p.cb] });
    expect(p.atEpoch).toHaveLength(1);
    close(p.atEpoch[0]!, expected);
    teardown(s);
  });
});

describe('resuming online re-weighting from a saved model', () => {
  it('starts from the saved class weights, so 2 + 2 resumed epochs equal 4 straight ones (the first resumed batch used weights of 1)', async () => {
    const { resumable, resumeTraining, saveForResume } = await import('@tfjs-imbalance/weighted-loss');
    const scheme = { name: 'ens', beta: 0.99 } as const;
    const [x, y] = [tf.tensor2d(features), tf.tensor2d(rows)];
    const args = { batchSize: BATCH, shuffle: false, verbose: 0 as const };
    const build = () => {
      const model = tfl.sequential({ layers: [tfl.layers.dense({ units: 3, inputShape: [4], kernelInitializer: tfl.initializers.glorotUniform({ seed: 1 }) })] });
      const loss = weightedBinaryCrossentropy({ numClasses: 3 });
      model.compile({ optimizer: tf.train.adam(0.05), loss });
      return { model, loss };
    };
    const straight = build();
    const all = await straight.model.fit(x, y, { ...args, epochs: 4, callbacks: [sampleWeightCallback({ losses: straight.loss, scheme, online: true })] });
    const first = build();
    await first.model.fit(x, y, { ...args, epochs: 2, callbacks: [sampleWeightCallback({ losses: first.loss, scheme, online: true })] });
    let saved: tf.io.ModelArtifacts | undefined;
    await saveForResume(first.model, tf.io.withSaveHandler(async (a) => ((saved = a), { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } })));
    const again = await tfl.loadLayersModel(resumable(tf.io.fromMemory(saved!)));
    const { losses } = resumeTraining(again);
    const rest = await again.fit(x, y, { ...args, epochs: 4, initialEpoch: 2, callbacks: [sampleWeightCallback({ losses, scheme, online: true })] });
    (rest.history['loss'] as number[]).forEach((v, i) => expect(v).toBeCloseTo(all.history['loss']![i + 2] as number, 5));
    [straight, first].forEach(({ model, loss }) => {
      model.optimizer.dispose();
      model.dispose();
      loss.dispose();
    });
    again.dispose();
    losses.forEach((l) => l.dispose());
    tf.dispose([x, y]);
  });
});
