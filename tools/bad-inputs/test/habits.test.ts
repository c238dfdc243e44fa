// The habits suite: the first things Keras and tfjs users type, as they type them. Each either works, or
// fails with an error that names the argument and the fix. None may end in an internal TypeError, a hang,
// a NaN or a leaked tensor.
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { ImbalanceError, countMultiHot } from '@tfjs-imbalance/weight-schemes';
import { earlyStopping, fbetaCallback, fbetaMetric } from '@tfjs-imbalance/fbeta-metric';
import { weightedBinaryCrossentropy, weightedCategoricalCrossentropy } from '@tfjs-imbalance/weighted-loss';
import { sampleWeightCallback } from '@tfjs-imbalance/sample-weight-callback';

const rows = Array.from({ length: 24 }, (_, i) => [i % 2, i % 3 === 0 ? 1 : 0, i % 5 === 0 ? 1 : 0]);
const features = rows.map((r, i) => [r[0]! - 0.5, r[1]! - 0.5 + Math.sin(i) * 0.2, r[2]! - 0.5, Math.cos(i)]);

/**
 * A fresh logits model and its tensors, freed after `use`. The test fails on a leak beyond `allowance`: what
 * tfjs-layers' own fit leaves when a loss or metric throws (its batch slices and logs; see the matrix).
 */
async function withModel(use: (m: tfl.LayersModel, x: tf.Tensor2D, y: tf.Tensor2D) => Promise<void>, activation?: 'softmax', allowance = 0): Promise<void> {
  const before = tf.memory().numTensors;
  const m = tfl.sequential({ layers: [tfl.layers.dense({ units: 3, inputShape: [4], kernelInitializer: tfl.initializers.glorotUniform({ seed: 1 }), ...(activation ? { activation } : {}) })] });
  const [x, y] = [tf.tensor2d(features), tf.tensor2d(rows)];
  try {
    await use(m, x, y);
  } finally {
    m.optimizer?.dispose();
    m.dispose();
    tf.dispose([x, y]);
  }
  expect(tf.memory().numTensors - before).toBeLessThanOrEqual(allowance);
}

/** What tfjs-layers' fit leaves behind when the loss (or a metric) throws at the first batch: a plain stand-in. */
async function tfjsLeavesWhenThrowing(where: 'loss' | 'metric'): Promise<number> {
  const before = tf.memory().numTensors;
  const fail = () => {
    throw new Error('stand-in');
  };
  await withModel(async (m, x, y) => {
    m.compile({ optimizer: 'sgd', loss: where === 'loss' ? fail : 'meanSquaredError', ...(where === 'metric' ? { metrics: [fail] } : {}) });
    await expect(m.fit(x, y, { epochs: 1, verbose: 0 })).rejects.toThrow('stand-in');
  }, undefined, Infinity);
  return tf.memory().numTensors - before;
}

/** The error a call stopped with: one of ours, whose message starts with the argument at fault. */
async function named(run: () => Promise<unknown>): Promise<string> {
  try {
    await run();
  } catch (e) {
    expect(e).toBeInstanceOf(ImbalanceError);
    return (e as Error).message;
  }
  throw new Error('did not throw');
}

describe('Keras and tfjs habits', () => {
  it('loss: weightedBinaryCrossentropy, passed uncalled as Keras passes loss functions, names the call to write', async () => {
    await withModel(async (m, x, y) => {
      m.compile({ optimizer: 'sgd', loss: weightedBinaryCrossentropy as never });
      const message = await named(() => m.fit(x, y, { epochs: 1, verbose: 0 }));
      expect(message).toMatch(/^weightedBinaryCrossentropy: was passed to model\.compile without being called, so tfjs called it with a batch of labels \(shape \[\d+, 3\]\)/);
      expect(message).toContain('model.compile({ loss: weightedBinaryCrossentropy({ numClasses }) })');
    }, undefined, await tfjsLeavesWhenThrowing('loss'));
  });

  it('metrics: [fbetaMetric], passed uncalled, names the call to write', async () => {
    await withModel(async (m, x, y) => {
      m.compile({ optimizer: 'sgd', loss: 'meanSquaredError', metrics: [fbetaMetric as never] });
      expect(await named(() => m.fit(x, y, { epochs: 1, verbose: 0 }))).toContain('fbetaMetric: was passed to model.compile without being called');
    }, undefined, await tfjsLeavesWhenThrowing('metric'));
  });

  it("earlyStopping({ monitor: 'val_loss' }) with fit's validationData works on its own, as tfjs' does", async () => {
    await withModel(async (m, x, y) => {
      m.compile({ optimizer: tf.train.adam(0.05), loss: weightedBinaryCrossentropy({ numClasses: 3 }) as never, metrics: [fbetaMetric({ from: 'logits' })] });
      const stop = earlyStopping({ monitor: 'val_loss', patience: 2, restoreBestWeights: true });
      const h = await m.fit(x, y, { epochs: 6, verbose: 0, validationData: [x, y], callbacks: [stop] });
      expect(h.history['val_loss']!.every((v) => Number.isFinite(v as number))).toBe(true);
      expect(stop.bestEpoch).toBeGreaterThanOrEqual(0);
      (m.loss as unknown as { dispose(): void }).dispose();
    });
  });

  it("earlyStopping on the compile metric's val_fbeta works without fbetaCallback", async () => {
    await withModel(async (m, x, y) => {
      m.compile({ optimizer: tf.train.adam(0.05), loss: 'binaryCrossentropy', metrics: [fbetaMetric({ from: 'logits' })] });
      const stop = earlyStopping({ monitor: 'val_fbeta', patience: 2 });
      const h = await m.fit(x, y, { epochs: 4, verbose: 0, validationData: [x, y], callbacks: [stop] });
      expect(h.history['val_fbeta']!.every((v) => Number.isFinite(v as number))).toBe(true);
    });
  });

  it('a scheme with neither counts nor the callback says it would weigh every class 1', async () => {
    await withModel(async (m, x, y) => {
      const loss = weightedBinaryCrossentropy({ numClasses: 3, scheme: 'ins' });
      m.compile({ optimizer: 'sgd', loss });
      expect(await named(() => m.fit(x, y, { epochs: 1, verbose: 0 }))).toContain(
        'args.scheme: is set, but the loss has no class counts, so every class would weigh 1. Pass counts to the loss (counts: countMultiHot(yTrain)), or add sampleWeightCallback({ losses: loss })',
      );
      // Either fix trains.
      await m.fit(x, y, { epochs: 1, verbose: 0, callbacks: [sampleWeightCallback({ losses: loss })] });
      loss.dispose();
      const counted = weightedBinaryCrossentropy({ scheme: 'ins', counts: countMultiHot(rows) });
      m.optimizer.dispose(); // compiling again does not free the first optimizer
      m.compile({ optimizer: 'sgd', loss: counted });
      await m.fit(x, y, { epochs: 1, verbose: 0 });
      counted.dispose();
    }, undefined, await tfjsLeavesWhenThrowing('loss'));
  });

  it('fbetaCallback on a softmax model without task names task; with it, it scores the argmax', async () => {
    await withModel(async (m, x) => {
      const oneHot = tf.tidy(() => tf.cast(tf.oneHot(tf.tensor1d(rows.map((_, i) => i % 3), 'int32'), 3), 'float32'));
      const loss = weightedCategoricalCrossentropy({ numClasses: 3, from: 'probabilities' });
      m.compile({ optimizer: 'sgd', loss });
      expect(await named(() => m.fit(x, oneHot, { epochs: 1, verbose: 0, callbacks: [fbetaCallback({ validationData: [x, oneHot] })] }))).toContain(
        "args.task: is not set, so the callback scores the model as multi-label (each class thresholded on its own), but its last layer",
      );
      const h = await m.fit(x, oneHot, { epochs: 1, verbose: 0, callbacks: [fbetaCallback({ validationData: [x, oneHot], task: 'multiclass' })] });
      expect(Number.isFinite(h.history['val_fbeta']![0] as number)).toBe(true);
      loss.dispose();
      oneHot.dispose();
    }, 'softmax');
  });

  it('fbetaCallback without task on a logits model compiled with weightedCategoricalCrossentropy names task too', async () => {
    await withModel(async (m, x) => {
      const oneHot = tf.tidy(() => tf.cast(tf.oneHot(tf.tensor1d(rows.map((_, i) => i % 3), 'int32'), 3), 'float32'));
      const loss = weightedCategoricalCrossentropy({ numClasses: 3 });
      m.compile({ optimizer: 'sgd', loss });
      expect(await named(() => m.fit(x, oneHot, { epochs: 1, verbose: 0, callbacks: [fbetaCallback({ validationData: [x, oneHot], from: 'logits' })] }))).toContain(
        'args.task: is not set, so the callback scores the model as multi-label (each class thresholded on its own), but it is compiled with weightedCategoricalCrossentropy',
      );
      loss.dispose();
      oneHot.dispose();
    });
  });

  it('validationSplit with the loss, the callback and both F-beta routes trains, and leaks nothing', async () => {
    await withModel(async (m, x, y) => {
      const loss = weightedBinaryCrossentropy({ numClasses: 3 });
      m.compile({ optimizer: tf.train.adam(0.05), loss, metrics: [fbetaMetric({ from: 'logits' })] });
      const h = await m.fit(x, y, { epochs: 2, verbose: 0, validationSplit: 0.25, callbacks: [sampleWeightCallback({ losses: loss, scheme: 'isns' })] });
      expect(h.history['val_fbeta']).toHaveLength(2);
      loss.dispose();
    });
  });
});
