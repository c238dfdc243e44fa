// The habits suite: the first things Keras and tfjs users type, as they type them. Each either works, or
// fails with an error that names the argument and the fix. None may end in an internal TypeError, a hang,
// a NaN or a leaked tensor.
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import * as tfd from '@tensorflow/tfjs-data';
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

describe("Keras' shapes: per-position outputs, class axis last", () => {
  /** A per-position model and its data: [N, ...positions, 4] features, labels from them (a rare class 2). */
  async function withPositions(
    positions: number[],
    layer: () => tfl.layers.Layer,
    use: (m: tfl.LayersModel, x: tf.Tensor, classOf: number[]) => Promise<void>,
  ): Promise<void> {
    const before = tf.memory().numTensors;
    const n = 12;
    const size = positions.reduce((a, b) => a * b, 1);
    const feats: number[] = [];
    const classOf: number[] = [];
    for (let i = 0; i < n * size; i++) {
      const c = i % 11 === 0 ? 2 : i % 3 === 0 ? 1 : 0;
      classOf.push(c);
      feats.push(...[0, 1, 2, 3].map((d) => (d === c ? 1.5 : 0) + Math.sin(i * (d + 1)) * 0.3));
    }
    const x = tf.tensor(feats, [n, ...positions, 4]);
    const m = tfl.sequential({ layers: [layer()] });
    try {
      await use(m, x, classOf);
    } finally {
      m.optimizer?.dispose();
      m.dispose();
      x.dispose();
    }
    expect(tf.memory().numTensors - before).toBe(0);
  }

  it('[N, T, C] multi-hot: the loss, the callback, the compile metric and fbetaCallback train with fit as for [N, C]', async () => {
    await withPositions([5], () => tfl.layers.dense({ units: 3, inputShape: [5, 4], kernelInitializer: tfl.initializers.glorotUniform({ seed: 1 }) }), async (m, x, classOf) => {
      const y = tf.tidy(() => tf.reshape(tf.cast(tf.oneHot(tf.tensor1d(classOf, 'int32'), 3), 'float32'), [12, 5, 3]));
      const loss = weightedBinaryCrossentropy({ numClasses: 3 });
      m.compile({ optimizer: tf.train.adam(0.05), loss, metrics: [fbetaMetric({ from: 'logits' })] });
      const h = await m.fit(x, y, {
        epochs: 2,
        verbose: 0,
        callbacks: [sampleWeightCallback({ losses: loss, scheme: 'isns', data: y }), fbetaCallback({ validationData: [x, y], from: 'logits' })],
      });
      expect((h.history['val_fbeta'] as number[]).every((f) => f >= 0 && f <= 1)).toBe(true);
      expect((h.history['loss'] as number[]).every(Number.isFinite)).toBe(true);
      // The callback counted positions (60), not sequences (12).
      expect(countMultiHot(y).samples).toBe(60);
      loss.dispose();
      y.dispose();
    });
  });

  it('[N, H, W, C] one-hot segmentation with a 1×1 conv and weightedCategoricalCrossentropy trains with fit; fbetaCallback scores pixels', async () => {
    await withPositions([3, 4], () => tfl.layers.conv2d({ filters: 3, kernelSize: 1, inputShape: [3, 4, 4], kernelInitializer: tfl.initializers.glorotUniform({ seed: 2 }) }), async (m, x, classOf) => {
      const y = tf.tidy(() => tf.reshape(tf.cast(tf.oneHot(tf.tensor1d(classOf, 'int32'), 3), 'float32'), [12, 3, 4, 3]));
      const loss = weightedCategoricalCrossentropy({ numClasses: 3 });
      m.compile({ optimizer: tf.train.adam(0.05), loss });
      const h = await m.fit(x, y, {
        epochs: 2,
        verbose: 0,
        callbacks: [sampleWeightCallback({ losses: loss, scheme: { name: 'ens', beta: 0.99 }, data: y, format: 'one-hot' }), fbetaCallback({ validationData: [x, y], task: 'multiclass' })],
      });
      expect((h.history['val_fbeta'] as number[]).every((f) => f >= 0 && f <= 1)).toBe(true);
      loss.dispose();
      y.dispose();
    });
  });

  it("sparse labels [N, T] with an ignored class: tfjs' fit refuses targets of another rank than the output (its own check), fitDataset trains", async () => {
    await withPositions([5], () => tfl.layers.dense({ units: 3, inputShape: [5, 4], kernelInitializer: tfl.initializers.glorotUniform({ seed: 3 }) }), async (m, x, classOf) => {
      const tags = classOf.map((c, i) => (i % 5 === 4 ? -1 : c)); // padding at the end of every sequence
      const y = tf.tensor2d(tags, [12, 5]);
      const loss = weightedCategoricalCrossentropy({ numClasses: 3, ignoreClass: -1 });
      m.compile({ optimizer: tf.train.adam(0.05), loss });
      await expect(m.fit(x, y, { epochs: 1, verbose: 0 })).rejects.toThrow('expected dense_Dense');
      const ds = tfd.zip({ xs: tfd.array(x.arraySync() as number[][][]), ys: tfd.array(y.arraySync() as number[][]) }).batch(4);
      const h = await m.fitDataset(ds, { epochs: 2, verbose: 0, callbacks: [sampleWeightCallback({ losses: loss, scheme: 'isns', data: y, format: 'indices' })] });
      expect((h.history['loss'] as number[]).every(Number.isFinite)).toBe(true);
      loss.dispose();
      y.dispose();
    });
  });
});

describe('a sigmoid output with a loss that reads logits, and no callback to check the model', () => {
  it('warns once, on the first batch, naming the fix; a logits model trains without the warning', async () => {
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      for (const activation of ['sigmoid', undefined] as const) {
        warn.mockClear();
        const before = tf.memory().numTensors;
        const m = tfl.sequential({ layers: [tfl.layers.dense({ units: 3, inputShape: [4], kernelInitializer: tfl.initializers.glorotUniform({ seed: 1 }), ...(activation ? { activation } : {}) })] });
        const [x, y] = [tf.tensor2d(features), tf.tensor2d(rows)];
        const loss = weightedBinaryCrossentropy({ numClasses: 3 });
        m.compile({ optimizer: 'sgd', loss });
        await m.fit(x, y, { epochs: 2, batchSize: 12, verbose: 0 });
        const ours = warn.mock.calls.filter(([msg]) => String(msg).startsWith('weighted_binary_crossentropy: every prediction of the first batch'));
        expect(ours).toHaveLength(activation === 'sigmoid' ? 1 : 0);
        if (activation === 'sigmoid') expect(String(ours[0]![0])).toContain("Drop the output activation (the library's losses and metrics take logits), or build the loss with from: 'probabilities'.");
        m.optimizer.dispose();
        m.dispose();
        loss.dispose();
        tf.dispose([x, y]);
        expect(tf.memory().numTensors).toBe(before);
      }
    } finally {
      warn.mockRestore();
    }
  });
});
