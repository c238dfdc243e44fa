import * as tf from '@tensorflow/tfjs-core';
import * as tfd from '@tensorflow/tfjs-data';
import * as tfl from '@tensorflow/tfjs-layers';
import { averagePrecisionCallback, earlyStopping, fbetaCallback } from '@tfjs-imbalance/fbeta-metric';

/** A validation generator that throws on its first batch, or after one good batch. */
const throwing = (after: number) =>
  tfd.generator(function* () {
    if (after > 0) yield { xs: tf.ones([2, 2]), ys: tf.tensor2d([[1, 0], [0, 1]]) };
    throw new Error('the validation source failed');
  });

describe('a validation source that throws during fit', () => {
  it.each([
    ['fbetaCallback', (data: tfd.Dataset<tf.TensorContainer>) => fbetaCallback({ validationData: data as never, from: 'logits' })],
    ['averagePrecisionCallback', (data: tfd.Dataset<tf.TensorContainer>) => averagePrecisionCallback({ validationData: data as never })],
  ])("%s: fit rejects with the source's error and leaks no tensor (the epoch's logged loss included)", async (_name, make) => {
    const model = tfl.sequential({ layers: [tfl.layers.dense({ units: 2, inputShape: [2] })] });
    model.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
    const [x, y] = [tf.ones([4, 2]), tf.tensor2d([[1, 0], [0, 1], [1, 1], [0, 0]])];
    for (const after of [0, 1]) {
      const before = tf.memory().numTensors;
      await expect(model.fit(x, y, { epochs: 1, verbose: 0, callbacks: [make(throwing(after)), earlyStopping({ monitor: 'val_fbeta' })] })).rejects.toThrow('the validation source failed');
      expect(tf.memory().numTensors).toBe(before);
    }
    tf.dispose([x, y]);
    model.dispose();
  });
});
