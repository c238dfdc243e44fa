// Training makes no blocking read on the GPU routes: on WebGPU tfjs' synchronous reads (dataSync) fail, and
// on WebGL each one stalls the pipeline. Here the cpu kernels run under another name, so the code takes its
// WebGL/WebGPU routes, and every Tensor.dataSync/arraySync/bufferSync throws, as on WebGPU.
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { countBlockingReads, useGpuRoutes } from '@tfjs-imbalance/backend';
import { countMultiHot, OutOfRangeError } from '@tfjs-imbalance/weight-schemes';
import { asymmetricLoss, distributionBalancedLoss, weightedBinaryCrossentropy, weightedBinaryFocalCrossentropy, weightedCategoricalCrossentropy, type WeightedLoss } from '@tfjs-imbalance/weighted-loss';
import { earlyStopping, fbetaCallback, fbetaMetric, averagePrecisionCallback } from '@tfjs-imbalance/fbeta-metric';
import { sampleWeightCallback } from '@tfjs-imbalance/sample-weight-callback';

const rows = Array.from({ length: 48 }, (_, i) => [i % 4 !== 3 ? 1 : 0, i % 3 === 0 ? 1 : 0, i >= 32 && i % 5 === 0 ? 1 : 0]);
const features = rows.map((r, i) => [r[0]! * 2 - 1 + Math.sin(i) * 0.3, r[1]! * 2 - 1 + Math.cos(i) * 0.3, r[2]! * 2 - 1, Math.sin(i * 3)]);

describe('no blocking read in the training loop (the WebGL and WebGPU routes)', () => {
  beforeAll(async () => {
    await useGpuRoutes();
  });
  afterAll(async () => {
    await tf.setBackend('cpu');
  });

  async function train(loss: WeightedLoss, callbacks: (loss: WeightedLoss, val: [tf.Tensor, tf.Tensor]) => tfl.Callback[], y = tf.tensor2d(rows)) {
    const model = tfl.sequential({ layers: [tfl.layers.dense({ units: 3, inputShape: [4], kernelInitializer: tfl.initializers.glorotUniform({ seed: 1 }) })] });
    const optimizer = tf.train.adam(0.05);
    model.compile({ optimizer, loss, metrics: [fbetaMetric({ from: 'logits' })] });
    const x = tf.tensor2d(features);
    const val: [tf.Tensor, tf.Tensor] = [tf.tensor2d(features.slice(0, 16)), tf.slice(y, [0, 0], [16, -1])];
    try {
      return await countBlockingReads(() => model.fit(x, y, { epochs: 3, batchSize: 8, shuffle: false, verbose: 0, validationData: val, callbacks: callbacks(loss, val) }), true);
    } finally {
      model.dispose();
      optimizer.dispose();
      tf.dispose([x, y, ...val]);
    }
  }

  const everything = (loss: WeightedLoss, val: [tf.Tensor, tf.Tensor]) => [
    fbetaCallback({ validationData: val, from: 'logits' }),
    averagePrecisionCallback({ validationData: val }),
    earlyStopping({ monitor: 'val_fbeta', patience: 5, restoreBestWeights: true }),
    sampleWeightCallback({ losses: loss, scheme: 'isns', counts: countMultiHot(rows) }),
  ];

  it.each([
    ['weighted BCE', () => weightedBinaryCrossentropy({ numClasses: 3 })],
    ['focal', () => weightedBinaryFocalCrossentropy({ numClasses: 3 })],
    ['Distribution-Balanced', () => distributionBalancedLoss({ numClasses: 3 })],
    ['Asymmetric', () => asymmetricLoss({ numClasses: 3 })],
  ])('%s with the default options, fbetaCallback, averagePrecisionCallback, fbetaMetric, earlyStopping and the callback: 0 blocking reads, no leak', async (_, make) => {
    const before = tf.memory().numTensors;
    const loss = make();
    const { result: h, reads } = await train(loss, everything);
    loss.dispose();
    expect(reads).toBe(0);
    expect(h.history['val_fbeta']).toHaveLength(3);
    expect((h.history['loss'] as number[]).every(Number.isFinite)).toBe(true);
    expect(tf.memory().numTensors).toBe(before);
  });

  it.each(['batch', 'epoch'] as const)("online counts (schedule '%s') read without blocking, and reach the training set's weights", async (schedule) => {
    const loss = weightedBinaryCrossentropy({ numClasses: 3 });
    const cb = sampleWeightCallback({ losses: loss, scheme: 'ins', online: true, schedule });
    const { reads } = await train(loss, () => [cb]);
    expect(reads).toBe(0);
    const expected = countMultiHot(rows).positives;
    const w = cb.currentWeights;
    // INS: weight ∝ 1/n_c.
    expect(w[0]! * expected[0]!).toBeCloseTo(w[2]! * expected[2]!, 4);
    loss.dispose();
  });

  it('without the callback, each asynchronous label check is let go once read (none pile up over a long training)', async () => {
    const loss = weightedBinaryCrossentropy({ numClasses: 3 });
    const { reads } = await train(loss, () => []);
    expect(reads).toBe(0);
    // No endStep here: the reads complete on their own and each check leaves the set.
    for (let i = 0; i < 3; i++) await new Promise((r) => setTimeout(r, 0));
    expect((loss.weighting as unknown as { labelChecks: { pending: Set<unknown> } }).labelChecks.pending.size).toBe(0);
    loss.dispose();
  });

  it('the training labels given to the callback as a tensor (data: yTrain) are counted without a blocking read', async () => {
    for (const [loss, y, format] of [
      [weightedBinaryCrossentropy({ numClasses: 3 }), tf.tensor2d(rows), 'multi-hot'],
      [weightedCategoricalCrossentropy({ numClasses: 3 }), tf.tensor2d(rows.map((_, i) => [i % 3 === 0 ? 1 : 0, i % 3 === 1 ? 1 : 0, i % 3 === 2 ? 1 : 0])), 'one-hot'],
    ] as const) {
      const { reads } = await train(loss, () => [sampleWeightCallback({ losses: loss, scheme: 'isns', data: y, format })], y);
      expect(reads).toBe(0);
      // The counts are the tensor's: ISNS weighs the rarest class (2) most.
      const w = loss.getClassWeights();
      if (format === 'multi-hot') expect(w[2]!).toBeGreaterThan(w[0]!);
      loss.dispose();
    }
  });

  it('categorical labels are checked on the device too', async () => {
    const loss = weightedCategoricalCrossentropy({ numClasses: 3 });
    const oneHot = tf.tensor2d(rows.map((_, i) => [i % 3 === 0 ? 1 : 0, i % 3 === 1 ? 1 : 0, i % 3 === 2 ? 1 : 0]));
    const { reads } = await train(loss, () => [sampleWeightCallback({ losses: loss, scheme: 'isns', online: true })], oneHot);
    expect(reads).toBe(0);
    loss.dispose();
  });

  it('a batch of invalid labels still stops fit with the batch named, read asynchronously', async () => {
    const bad = rows.map((r, i) => (i === 20 ? [2, 0, 0] : r)); // row 20 is in the third batch of 8
    for (const withCallback of [true, false]) {
      const loss = weightedBinaryCrossentropy({ numClasses: 3 });
      const run = train(loss, (l) => (withCallback ? [sampleWeightCallback({ losses: l, scheme: 'ins', counts: countMultiHot(rows) })] : []), tf.tensor2d(bad));
      await expect(run).rejects.toThrow(OutOfRangeError);
      // With the callback the error comes after that batch; without it, at the loss's next call. Either way it names call 3.
      await expect(run).rejects.toThrow('yTrue: the labels of the batch in call 3 of this loss (shape [8, 3]) hold NaN or values outside the label range');
      loss.dispose();
    }
  });
});
