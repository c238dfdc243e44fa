import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { AveragePrecisionAccumulator, AveragePrecisionCallback, MapCallback, averagePrecision, averagePrecisionCallback, labelRankingAveragePrecision, mapCallback } from '@tfjs-imbalance/fbeta-metric';

describe('averagePrecision', () => {
  it('is the step-wise area, tied scores as one threshold, 0 for a class with no positive', () => {
    const ap = averagePrecision([[1, 0, 0], [0, 1, 0], [1, 1, 0]], [[0.9, 0.2, 0.3], [0.4, 0.7, 0.1], [0.6, 0.1, 0.9]]);
    expect(ap.perClass[0]).toBe(1);
    expect(ap.perClass[1]).toBeCloseTo(0.5 + 0.5 * (2 / 3), 12);
    expect(ap.perClass[2]).toBe(0);
    expect(ap.support).toEqual([2, 2, 0]);
    // Ties: both rows share one threshold, so precision there is 1/2 and recall jumps from 0 to 1.
    expect(averagePrecision([[1], [0]], [[0.5], [0.5]]).perClass[0]).toBe(0.5);
    // Only the order matters: logits give what probabilities give.
    const p = [[0.9, 0.2], [0.4, 0.7], [0.6, 0.1]];
    const logit = p.map((r) => r.map((v) => Math.log(v / (1 - v))));
    expect(averagePrecision([[1, 0], [0, 1], [1, 1]], logit)).toEqual(averagePrecision([[1, 0], [0, 1], [1, 1]], p));
  });

  it('label-ranking AP scores a row with no (or only) positives as 1', () => {
    expect(labelRankingAveragePrecision([[0, 0], [1, 1]], [[0.1, 0.2], [0.3, 0.4]])).toBe(1);
  });

  it('rejects mismatched shapes and bad values by name', () => {
    expect(() => averagePrecision([[1, 0]], [[0.5]])).toThrow('scores: has shape [1, 1] but yTrue has shape [1, 2]');
    expect(() => averagePrecision([[1, 0]], [[0.5, NaN]])).toThrow('scores');
    expect(() => averagePrecision([[2, 0]], [[0.5, 0.2]])).toThrow('yTrue');
    expect(() => averagePrecisionCallback({} as never)).toThrow('args.validationData: is required');
    expect(() => averagePrecisionCallback({ validationData: [tf.zeros([1, 1]), tf.zeros([1, 1])], average: 'median' as never })).toThrow("args.average: must be 'micro'");
  });
});

describe('averagePrecisionCallback in model.fit', () => {
  it('keeps its former names, mapCallback and MapCallback, for one minor', () => {
    expect(mapCallback).toBe(averagePrecisionCallback);
    expect(MapCallback).toBe(AveragePrecisionCallback);
  });

  it('logs the exact validation mAP every epoch, for early stopping, without leaking', async () => {
    const rows = Array.from({ length: 40 }, (_, i) => [i % 3 === 0 ? 1 : 0, i % 5 === 0 ? 1 : 0]);
    const feats = rows.map((r, i) => [r[0]! * 2 - 1 + Math.sin(i) * 0.5, r[1]! * 2 - 1 + Math.cos(i) * 0.5]);
    const [x, y] = [tf.tensor2d(feats), tf.tensor2d(rows)];
    const model = tfl.sequential({ layers: [tfl.layers.dense({ units: 2, inputShape: [2], kernelInitializer: tfl.initializers.glorotUniform({ seed: 5 }) })] });
    const optimizer = tf.train.adam(0.05);
    model.compile({ optimizer, loss: 'meanSquaredError' });
    const cb = averagePrecisionCallback({ validationData: [x, y] });
    const tensors: number[] = [];
    const h = await model.fit(x, y, {
      epochs: 4,
      verbose: 0,
      callbacks: [cb, tfl.callbacks.earlyStopping({ monitor: 'val_map', mode: 'max', patience: 10 }), new tfl.CustomCallback({ onEpochEnd: async () => void tensors.push(tf.memory().numTensors) })],
    });
    const maps = h.history['val_map'] as number[];
    expect(maps).toHaveLength(4);
    const preds = tf.tidy(() => (model.predict(x) as tf.Tensor).arraySync() as number[][]);
    expect(maps.at(-1)).toBeCloseTo(averagePrecision(rows, preds).macro, 12);
    expect(new Set(tensors.slice(1)).size).toBe(1);
    model.dispose();
    optimizer.dispose();
    tf.dispose([x, y]);
  });
});

describe('AveragePrecisionAccumulator', () => {
  it('gives over batches exactly what averagePrecision gives over their rows', () => {
    const y = Array.from({ length: 30 }, (_, i) => [i % 3 === 0 ? 1 : 0, i % 4 === 0 ? 1 : 0, i % 7 === 0 ? 1 : 0]);
    const s = y.map((r, i) => r.map((v, c) => Math.fround(0.3 * v + ((i * 7 + c * 3) % 10) / 14)));
    const acc = new AveragePrecisionAccumulator();
    for (let b = 0; b < 30; b += 8) acc.update(tf.tensor2d(y.slice(b, b + 8)), s.slice(b, b + 8));
    expect(acc.result()).toEqual(averagePrecision(y, s));
    acc.reset();
    expect(() => acc.result()).toThrow('accumulator: no batch was added yet');
    acc.update([[1, 0, 0]], [[0.5, 0.2, 0.1]]);
    expect(() => acc.update([[1, 0]], [[0.5, 0.2]])).toThrow('yTrue: has 2 classes (shape [1, 2]) but earlier batches had 3');
  });
});
