import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { EarlyStopping, earlyStopping, fbetaCallback, fbetaMetric, averagePrecisionCallback } from '@tfjs-imbalance/fbeta-metric';

/** A scripted val value per epoch (written into the logs before the callbacks under test), and the weights at each epoch end. */
function scripted(values: number[]) {
  const weightsAt: number[][] = [];
  const cb = new tfl.CustomCallback({
    onEpochEnd: async (epoch, logs) => {
      logs!['val_fbeta'] = values[epoch]!;
      weightsAt.push(Array.from(await bound!.getWeights()[0]!.data()));
    },
  });
  let bound: tfl.LayersModel | undefined;
  return { cb, weightsAt, bind: (m: tfl.LayersModel) => (bound = m) };
}

async function run(values: number[], stop: tfl.Callback): Promise<{ epochs: number; weightsAt: number[][]; final: number[] }> {
  const model = tfl.sequential({ layers: [tfl.layers.dense({ units: 2, inputShape: [3] })] });
  model.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
  const [x, y] = [tf.randomNormal([16, 3], 0, 1, 'float32', 1), tf.randomNormal([16, 2], 0, 1, 'float32', 2)];
  const s = scripted(values);
  s.bind(model);
  const h = await model.fit(x, y, { epochs: values.length, verbose: 0, callbacks: [s.cb, stop] });
  const final = Array.from(model.getWeights()[0]!.dataSync());
  model.dispose();
  tf.dispose([x, y]);
  return { epochs: h.epoch.length, weightsAt: s.weightsAt, final };
}

describe('earlyStopping', () => {
  const values = [0.5, 0.6, 0.55, 0.58, 0.57, 0.59, 0.7];

  it("stops when tfjs' own earlyStopping stops (same patience semantics)", async () => {
    for (const patience of [0, 1, 2, 3]) {
      const ours = await run(values, earlyStopping({ patience }));
      const theirs = await run(values, tfl.callbacks.earlyStopping({ monitor: 'val_fbeta', mode: 'max', patience }));
    expect(ours.epochs).toBe(theirs.epochs);
    }
  });

  it('restores the weights of the best epoch at the end, and leaks nothing', async () => {
    const stop = new EarlyStopping({ patience: 2, restoreBestWeights: true });
    const before = tf.memory().numTensors;
    const r = await run(values, stop);
    expect(tf.memory().numTensors).toBe(before);
    expect(r.epochs).toBe(4); // best 0.6 at epoch 2 (index 1); 0.55 and 0.58 are not better: stop after epoch 4
    expect(stop.bestEpoch).toBe(1);
    expect(stop.best).toBe(0.6);
    expect(stop.stoppedEpoch).toBe(3);
    expect(r.final).toEqual(r.weightsAt[1]);
    expect(r.final).not.toEqual(r.weightsAt[3]);
    // Without restoreBestWeights, the last epoch's weights stay.
    const plain = await run(values, earlyStopping({ patience: 2 }));
    expect(plain.final).toEqual(plain.weightsAt[3]);
  });

  it("baseline: stops where tfjs' own earlyStopping with the same baseline stops; restores nothing when no epoch beat it", async () => {
    for (const baseline of [0.52, 0.58, 0.65, 0.8]) {
      for (const patience of [0, 1, 2]) {
        const ours = await run(values, earlyStopping({ patience, baseline }));
        const theirs = await run(values, tfl.callbacks.earlyStopping({ monitor: 'val_fbeta', mode: 'max', patience, baseline }));
        expect([baseline, patience, ours.epochs]).toEqual([baseline, patience, theirs.epochs]);
      }
    }
    const never = earlyStopping({ patience: 1, baseline: 0.9, restoreBestWeights: true });
    const r = await run(values, never);
    expect(r.epochs).toBe(1); // 0.5 does not beat 0.9: patience 1 is spent at once
    expect(never.bestEpoch).toBe(-1);
    expect(r.final).toEqual(r.weightsAt[0]); // nothing beat the baseline: the last weights stay
    expect(() => earlyStopping({ baseline: Number.NaN })).toThrow('args.baseline');
  });

  it('startFromEpoch: the first epochs are a warm-up that is not monitored, as Keras does', async () => {
    const warm = [0.9, 0.8, 0.7, 0.95, 0.5, 0.4];
    expect((await run(warm, earlyStopping({ patience: 1 }))).epochs).toBe(2); // 0.8 does not beat 0.9
    const late = earlyStopping({ patience: 1, startFromEpoch: 3, restoreBestWeights: true });
    const r = await run(warm, late);
    expect(r.epochs).toBe(5); // monitored from epoch 4 (1-based): 0.95, then 0.5 stops
    expect(late.bestEpoch).toBe(3);
    expect(r.final).toEqual(r.weightsAt[3]);
    expect(() => earlyStopping({ startFromEpoch: -1 })).toThrow('args.startFromEpoch: must be a whole number ≥ 0');
  });

  it("min mode, minDelta, 'auto' by name; a missing log key stops fit with the fix", async () => {
    const losses = [1, 0.9, 0.89, 0.95];
    const min = await run(losses, earlyStopping({ monitor: 'val_fbeta', mode: 'min', patience: 1, minDelta: 0.05 }));
    expect(min.epochs).toBe(3); // 0.89 is not 0.05 better than 0.9
    // tfjs and Keras take a negative minDelta as its absolute value.
    expect((await run(losses, earlyStopping({ monitor: 'val_fbeta', mode: 'min', patience: 1, minDelta: -0.05 }))).epochs).toBe(3);
    expect(() => earlyStopping({ minDelta: Number.NaN })).toThrow('args.minDelta');
    const missing = earlyStopping({ monitor: 'val_map' });
    await expect(run([0.5, 0.6], missing)).rejects.toThrow('args.monitor: "val_map" is not in the epoch logs (keys: loss, val_fbeta). Put the callback that logs it');
    expect(() => earlyStopping({ patience: -1 })).toThrow('args.patience: must be a whole number ≥ 0');
    expect(() => earlyStopping({ restoreBestWeights: 'yes' as never })).toThrow('args.restoreBestWeights: must be true or false');
  });

  it("'auto' takes the direction the logging callback or metric declared on itself, whatever its name, for its own model only", async () => {
    /** Writes `values` under `key`, as a renamed callback would, after the callbacks (and with the metrics) under test. */
    const run2 = async (key: string, values: number[], stop: tfl.Callback, extra: { callbacks?: tfl.Callback[]; metrics?: unknown[] } = {}) => {
      const model = tfl.sequential({ layers: [tfl.layers.dense({ units: 1, inputShape: [1] })] });
      model.compile({ optimizer: 'sgd', loss: 'meanSquaredError', ...(extra.metrics === undefined ? {} : { metrics: extra.metrics as never }) });
      const [x, y] = [tf.ones([4, 1]), tf.ones([4, 1])];
      const write = new tfl.CustomCallback({ onEpochEnd: async (epoch, logs) => void (logs![key] = values[epoch]!) });
      const h = await model.fit(x, y, { epochs: values.length, verbose: 0, callbacks: [...(extra.callbacks ?? []), write, stop] });
      model.dispose();
      tf.dispose([x, y]);
      return h.epoch.length;
    };
    const rising = [0.1, 0.2, 0.3, 0.4, 0.5];
    const v = (): [tf.Tensor, tf.Tensor] => [tf.ones([1, 1]), tf.ones([1, 1])];
    // Undeclared, a name without fbeta/map/acc… is taken as a loss: a rising value stops after `patience` epochs.
    expect(await run2('val_quality_a', rising, earlyStopping({ monitor: 'val_quality_a', patience: 1 }))).toBe(2);
    // Declared by the callbacks and the metric that log it, in this fit: maximised.
    const fb = fbetaCallback({ validationData: v(), logName: 'val_quality_b', from: 'logits' });
    const ap = averagePrecisionCallback({ validationData: v(), logName: 'val_rank' });
    expect([fb.direction, ap.direction]).toEqual(['max', 'max']);
    expect(await run2('val_quality_b', rising, earlyStopping({ monitor: 'val_quality_b', patience: 1 }), { callbacks: [fb] })).toBe(5);
    expect(await run2('val_rank', rising, earlyStopping({ monitor: 'val_rank', patience: 1 }), { callbacks: [ap] })).toBe(5);
    expect(await run2('val_score', rising, earlyStopping({ monitor: 'val_score', patience: 1 }), { metrics: [fbetaMetric({ name: 'score', from: 'logits' })] })).toBe(5);
    // Another model, trained without them, does not inherit their keys' directions (a process-wide map did).
    expect(await run2('val_quality_b', rising, earlyStopping({ monitor: 'val_quality_b', patience: 1 }))).toBe(2);
    expect(await run2('val_score', rising, earlyStopping({ monitor: 'val_score', patience: 1 }))).toBe(2);
  });

  /** A small model trained with fit's own validationData, whose logs tfjs hands to callbacks as tensors. */
  async function withValidation(stop: tfl.Callback, metrics?: tfl.LayersModel['metrics']) {
    const model = tfl.sequential({ layers: [tfl.layers.dense({ units: 3, inputShape: [4], kernelInitializer: 'ones' })] });
    model.compile({ optimizer: tf.train.sgd(0.5), loss: 'meanSquaredError', metrics: metrics as never });
    const x = tf.randomNormal([32, 4], 0, 1, 'float32', 3);
    const y = tf.tensor2d(Array.from({ length: 96 }, (_, i) => (i % 5 === 0 ? 1 : 0)), [32, 3]);
    const [xv, yv] = [tf.randomNormal([16, 4], 0, 1, 'float32', 4), tf.tensor2d(Array.from({ length: 48 }, (_, i) => (i % 7 === 0 ? 1 : 0)), [16, 3])];
    try {
      const h = await model.fit(x, y, { epochs: 8, batchSize: 8, shuffle: false, verbose: 0, validationData: [xv, yv], callbacks: [stop] });
      return { epochs: h.epoch.length, history: h.history };
    } finally {
      model.optimizer.dispose();
      model.dispose();
      tf.dispose([x, y, xv, yv]);
    }
  }

  it("monitors val_loss and a compile metric's val_fbeta straight from fit's tensor logs, as tfjs' own earlyStopping does", async () => {
    const before = tf.memory().numTensors;
    const ours = await withValidation(earlyStopping({ monitor: 'val_loss', patience: 1, restoreBestWeights: true }));
    const theirs = await withValidation(tfl.callbacks.earlyStopping({ monitor: 'val_loss', patience: 1 }));
    expect(ours.epochs).toBe(theirs.epochs);
    expect(ours.history['val_loss']).toEqual(theirs.history['val_loss']);
    const metric = await withValidation(earlyStopping({ monitor: 'val_fbeta', patience: 1 }), [fbetaMetric({ from: 'logits' }) as never]);
    expect(metric.history['val_fbeta']!.every((v) => typeof v === 'number' && Number.isFinite(v))).toBe(true);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('leaks no weight copy when fit throws before training ends', async () => {
    const before = tf.memory().numTensors;
    const boom = new tfl.CustomCallback({
      onEpochEnd: async (epoch) => {
        if (epoch === 2) throw new Error('boom');
      },
    });
    const model = tfl.sequential({ layers: [tfl.layers.dense({ units: 2, inputShape: [3] })] });
    model.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
    const [x, y] = [tf.randomNormal([16, 3], 0, 1, 'float32', 1), tf.randomNormal([16, 2], 0, 1, 'float32', 2)];
    const s = scripted([0.5, 0.6, 0.7, 0.8]);
    s.bind(model);
    await expect(model.fit(x, y, { epochs: 4, verbose: 0, callbacks: [s.cb, earlyStopping({ restoreBestWeights: true }), boom] })).rejects.toThrow('boom');
    model.dispose();
    tf.dispose([x, y]);
    expect(tf.memory().numTensors).toBe(before);
  });
});
