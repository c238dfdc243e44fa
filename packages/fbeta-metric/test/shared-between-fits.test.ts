import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { averagePrecisionCallback, earlyStopping, fbetaCallback } from '@tfjs-imbalance/fbeta-metric';

const build = () => {
  const model = tfl.sequential({ layers: [tfl.layers.dense({ units: 2, inputShape: [2] })] });
  model.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
  return model;
};

describe('one callback in two fits at once', () => {
  const x = tf.tensor2d([[1, 0], [0, 1], [1, 1], [0, 0]]);
  const y = tf.tensor2d([[1, 0], [0, 1], [1, 1], [0, 0]]);
  afterAll(() => tf.dispose([x, y]));

  it.each([
    ['fbetaCallback', () => fbetaCallback({ validationData: [x, y], from: 'logits' }), 'callbacks: this fbetaCallback is already in a running fit of another model'],
    ['averagePrecisionCallback', () => averagePrecisionCallback({ validationData: [x, y] }), 'callbacks: this averagePrecisionCallback is already in a running fit of another model'],
    ['earlyStopping', () => earlyStopping({ monitor: 'loss', restoreBestWeights: true, patience: 5 }), 'neither model would end with its own best weights'],
  ])('%s: the second fit is refused, naming the object; used one fit after the other, it works', async (_name, make, message) => {
    const [a, b] = [build(), build()];
    const cb = make();
    const settled = await Promise.allSettled([a.fit(x, y, { epochs: 3, verbose: 0, callbacks: [cb] }), b.fit(x, y, { epochs: 3, verbose: 0, callbacks: [cb] })]);
    expect(settled.map((s) => s.status).sort()).toEqual(['fulfilled', 'rejected']);
    const refused = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected')!;
    expect(String(refused.reason.message)).toContain(message);
    expect(String(refused.reason.message)).toContain('Give each fit that runs at the same time its own');
    // One after the other: no refusal.
    await a.fit(x, y, { epochs: 2, verbose: 0, callbacks: [cb] });
    await b.fit(x, y, { epochs: 2, verbose: 0, callbacks: [cb] });
    a.dispose();
    b.dispose();
  });
});
