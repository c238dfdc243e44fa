import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { InvalidOptionError } from '@tfjs-imbalance/weight-schemes';
import { FBetaAccumulator, classificationReport, fbetaCallback, fbetaMetric } from '@tfjs-imbalance/fbeta-metric';

/** A tiny, learnable multi-label problem: class j is on when feature j > 0. */
function data(n: number, seed: number): { x: tf.Tensor2D; y: tf.Tensor2D } {
  return tf.tidy(() => {
    const x = tf.randomNormal([n, 3], 0, 1, 'float32', seed) as tf.Tensor2D;
    return { x, y: tf.cast(tf.greater(x, 0), 'float32') as tf.Tensor2D };
  });
}

function model(): tfl.LayersModel {
  const m = tfl.sequential({ layers: [tfl.layers.dense({ units: 3, inputShape: [3], activation: 'sigmoid', kernelInitializer: 'zeros' })] });
  m.compile({ optimizer: tf.train.adam(0.1), loss: 'binaryCrossentropy', metrics: [fbetaMetric()] });
  return m;
}

describe('fbetaMetric', () => {
  it('is named for the logs and equals the exact micro F-beta on a single batch', () => {
    const metric = fbetaMetric({ beta: 0.5 });
    expect(metric.name).toBe('fbeta');
    const yTrue = tf.tensor2d([[1, 0, 1], [0, 1, 0], [1, 1, 0]]);
    const yPred = tf.tensor2d([[0.9, 0.2, 0.4], [0.6, 0.7, 0.1], [0.8, 0.3, 0.55]]);
    const before = tf.memory().numTensors;
    const value = metric(yTrue, yPred);
    expect(tf.memory().numTensors).toBe(before + 1);
    const exact = new FBetaAccumulator({ beta: 0.5 }).update(yTrue, yPred).result();
    expect(value.dataSync()[0]).toBeCloseTo(exact.micro.f, 6);
    const macro = fbetaMetric({ average: 'macro', name: 'f_macro' });
    expect(macro.name).toBe('f_macro');
    expect(tf.tidy(() => macro(yTrue, yPred).dataSync()[0])).toBeCloseTo(exact.macro.f, 6);
    tf.dispose([yTrue, yPred, value]);
  });

  it('rejects bad arguments up front', () => {
    expect(() => fbetaMetric({ average: 'samples' } as never)).toThrow(InvalidOptionError);
    expect(() => fbetaMetric({ beta: -1 })).toThrow('args.beta');
    expect(() => fbetaMetric({ name: '' })).toThrow('args.name');
  });
});

describe('FBetaCallback in model.fit', () => {
  it('logs the compile metric and the exact val_fbeta, which early stopping reads, without leaking', async () => {
    const train = data(64, 1);
    const val = data(32, 2);
    const m = model();
    const cb = fbetaCallback({ validationData: [val.x, val.y], perClass: ['a', 'b', 'c'] });
    const seen: number[] = [];
    const counts: number[] = [];
    const history = await m.fit(train.x, train.y, {
      epochs: 6,
      batchSize: 16,
      verbose: 0,
      callbacks: [
        cb,
        tfl.callbacks.earlyStopping({ monitor: 'val_fbeta', mode: 'max', patience: 10 }),
        new tfl.CustomCallback({
          onEpochEnd: async (_epoch, logs) => {
            seen.push(logs!['val_fbeta'] as number);
            counts.push(tf.memory().numTensors);
          },
        }),
      ],
    });
    expect(Object.keys(history.history)).toEqual(expect.arrayContaining(['loss', 'fbeta', 'val_fbeta', 'val_fbeta_a', 'val_fbeta_c']));
    // The logged value is the exact F-beta of the model at the end of each epoch.
    const exact = new FBetaAccumulator()
      .update(val.y, tf.tidy(() => m.predict(val.x) as tf.Tensor))
      .result();
    expect(seen[seen.length - 1]).toBeCloseTo(exact.micro.f, 10);
    expect(cb.lastScores!.micro.f).toBe(seen[seen.length - 1]);
    // Training works: the model learns the rule.
    expect(seen[seen.length - 1]).toBeGreaterThan(0.8);
    // No tensor leaks from epoch to epoch.
    expect(new Set(counts.slice(1)).size).toBe(1);
    m.dispose();
    tf.dispose([train.x, train.y, val.x, val.y]);
  });

  it('does not leak when fit validates too and the compile metric and the callback both log val_fbeta', async () => {
    const train = data(64, 3);
    const val = data(32, 4);
    const m = model();
    const counts: number[] = [];
    const history = await m.fit(train.x, train.y, {
      epochs: 5,
      batchSize: 16,
      verbose: 0,
      validationData: [val.x, val.y],
      callbacks: [fbetaCallback({ validationData: [val.x, val.y] }), new tfl.CustomCallback({ onEpochEnd: async () => void counts.push(tf.memory().numTensors) })],
    });
    // The callback's exact value wins over the compile metric's batch-averaged one.
    const exact = new FBetaAccumulator().update(val.y, tf.tidy(() => m.predict(val.x) as tf.Tensor)).result();
    expect((history.history['val_fbeta'] as number[]).at(-1)).toBeCloseTo(exact.micro.f, 10);
    expect(new Set(counts.slice(1)).size).toBe(1);
    m.dispose();
    tf.dispose([train.x, train.y, val.x, val.y]);
  });

  it('reads a dataset of {xs, ys} and disposes its batches', async () => {
    const val = data(20, 3);
    const m = model();
    const batches = () => [0, 10].map((s) => ({ xs: tf.slice(val.x, [s, 0], [10, 3]), ys: tf.slice(val.y, [s, 0], [10, 3]) }));
    const dataset = {
      iterator: async () => {
        const bs = batches();
        return { next: async () => (bs.length ? { done: false as const, value: bs.shift()! } : { done: true as const, value: undefined }) };
      },
    };
    const fromDataset = fbetaCallback({ validationData: dataset, average: 'macro' });
    const fromTensors = fbetaCallback({ validationData: [val.x, val.y], average: 'macro' });
    fromDataset.setModel(m);
    fromTensors.setModel(m);
    const before = tf.memory().numTensors;
    const a = await fromDataset.evaluate();
    const b = await fromTensors.evaluate();
    expect(tf.memory().numTensors).toBe(before);
    expect(a.f).toEqual(b.f);
    const logs: Record<string, number> = {};
    await fromDataset.onEpochEnd(0, logs);
    expect(logs['val_fbeta']).toBe(a.macro.f);
    m.dispose();
    tf.dispose([val.x, val.y]);
  });

  it('verbose: 1 prints one line per epoch, as Keras does; verbose is checked', async () => {
    const val = data(16, 4);
    const m = model();
    m.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
    const lines: string[] = [];
    const log = jest.spyOn(console, 'log').mockImplementation((line: string) => void lines.push(line));
    try {
      await m.fit(val.x, val.y, { epochs: 2, verbose: 0, callbacks: [fbetaCallback({ validationData: [val.x, val.y], verbose: 1 })] });
    } finally {
      log.mockRestore();
    }
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(/^Epoch 2\/2: val_fbeta = \d\.\d{4} \(micro; micro precision \d\.\d{4}, recall \d\.\d{4}\)$/);
    expect(() => fbetaCallback({ validationData: [val.x, val.y], verbose: 2 as never })).toThrow('args.verbose: must be 0 or 1, got number 2');
    m.dispose();
    tf.dispose([val.x, val.y]);
  });

  it("logs the samples average with average: 'samples'", async () => {
    const val = data(16, 4);
    const m = model();
    const cb = fbetaCallback({ validationData: [val.x, val.y], average: 'samples' });
    cb.setModel(m);
    const logs: Record<string, number> = {};
    await cb.onEpochEnd(0, logs);
    expect(logs['val_fbeta']).toBe(cb.lastScores!.samples);
    expect(typeof cb.lastScores!.samples).toBe('number');
    m.dispose();
    tf.dispose([val.x, val.y]);
  });

  it('round-trips the accumulator and callback configs through JSON', () => {
    const acc = new FBetaAccumulator({ beta: 2, from: 'logits', threshold: [0.3, 0.6], zeroDivision: 'nan', samplesAverage: true });
    const accCopy = new FBetaAccumulator(JSON.parse(JSON.stringify(acc.getConfig())));
    expect(accCopy.getConfig()).toEqual(acc.getConfig());
    const v = [tf.zeros([2, 2]), tf.zeros([2, 2])] as const;
    const cb = fbetaCallback({ validationData: v, beta: 0.5, average: 'macro', perClass: ['a', 'b'], logName: 'val_f05', batchSize: 64 });
    const cbCopy = fbetaCallback({ ...JSON.parse(JSON.stringify(cb.getConfig())), validationData: v });
    expect(cbCopy.getConfig()).toEqual(cb.getConfig());
    tf.dispose([...v]);
  });

  it('rejects bad arguments with the argument named', () => {
    const v = [tf.zeros([1, 3]), tf.zeros([1, 3])] as const;
    expect(() => fbetaCallback({} as never)).toThrow('args.validationData: is required');
    expect(() => fbetaCallback({ validationData: 5 } as never)).toThrow('args.validationData: expected [xVal, yVal]');
    expect(() => fbetaCallback({ validationData: v, average: 'mean' } as never)).toThrow('args.average');
    expect(() => fbetaCallback({ validationData: v, batchSize: 0 })).toThrow('args.batchSize');
    expect(() => fbetaCallback({ validationData: v, monitor: 'x' } as never)).toThrow('unknown option "monitor"');
    expect(() => fbetaCallback({ validationData: v, threshold: 2 })).toThrow('args.threshold');
    tf.dispose([...v]);
  });
});

describe('classificationReport', () => {
  it('sorts classes by support and prints every average', () => {
    const scores = new FBetaAccumulator({ beta: 0.5, samplesAverage: true })
      .update([[1, 0, 1], [0, 0, 1], [1, 0, 1]], [[0.9, 0.1, 0.8], [0.2, 0.6, 0.7], [0.3, 0.1, 0.9]])
      .result();
    const text = classificationReport(scores, { labels: ['rare', 'never', 'common'], digits: 2 });
    const lines = text.split('\n');
    expect(lines[0]).toMatch(/precision\s+recall\s+f0\.5-score\s+support/);
    expect(lines[2]).toMatch(/^\s*common\s+1\.00\s+1\.00\s+1\.00\s+3$/);
    expect(lines[3]).toMatch(/^\s*rare\s+1\.00\s+0\.50\s+0\.83\s+2$/);
    expect(lines[4]).toMatch(/^\s*never\s+0\.00\s+0\.00\s+0\.00\s+0$/);
    expect(text).toMatch(/micro avg[\s\S]*macro avg[\s\S]*weighted avg[\s\S]*samples avg/);
    expect(() => classificationReport(scores, { labels: ['a'] })).toThrow('has 1 names but the scores have 3 classes');
  });
});

describe('validation datasets', () => {
  it('a dataset yielding [xs, ys] gets an error naming args.validationData and the fix, without leaking', async () => {
    const m = model();
    const before = tf.memory().numTensors;
    const ds = { iterator: async () => { let done = false; return { next: async () => (done ? { done: true, value: undefined } : ((done = true), { done: false, value: [tf.zeros([2, 3]), tf.zeros([2, 3])] })) }; } };
    const cb = fbetaCallback({ validationData: ds as never });
    cb.setModel(m);
    await expect(cb.evaluate()).rejects.toThrow('args.validationData: yields an array of 2; each batch must be { xs, ys }. Map the dataset: ds.map(([xs, ys]) => ({ xs, ys })).');
    expect(tf.memory().numTensors).toBe(before);
    m.dispose();
  });
});
