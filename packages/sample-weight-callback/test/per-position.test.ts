import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import * as tfd from '@tensorflow/tfjs-data';
import { countIndices, countMultiHot } from '@tfjs-imbalance/weight-schemes';
import {
  asymmetricLoss,
  distributionBalancedLoss,
  weightedBinaryCrossentropy,
  weightedBinaryFocalCrossentropy,
  weightedCategoricalCrossentropy,
  weightedCategoricalFocalCrossentropy,
  softmaxCrossEntropy,
  type WeightedLoss,
} from '@tfjs-imbalance/weighted-loss';
import { overrideRoutes } from '@tfjs-imbalance/weighted-loss/internal';
import { FBetaAccumulator, averagePrecision, fbetaCallback, fbetaMetric, tuneThresholds } from '@tfjs-imbalance/fbeta-metric';
import { sampleWeightCallback } from '@tfjs-imbalance/sample-weight-callback';

/** A seeded generator, so every run sees the same batches. */
function rng(seed: number): () => number {
  let s = seed;
  return () => (s = (s * 16807) % 2147483647) / 2147483647;
}

const N = 3;
const T = 5;
const C = 4;
const r = rng(7);
const multiHot = Array.from({ length: N * T * C }, (_, i) => (r() < [0.6, 0.3, 0.1, 0.05][i % C]! ? 1 : 0));
const logits = Array.from({ length: N * T * C }, () => 6 * r() - 3);
const indices = Array.from({ length: N * T }, () => Math.floor(r() * C));

const multiLabelLosses: Array<[string, () => WeightedLoss]> = [
  ['WeightedBinaryCrossentropy', () => weightedBinaryCrossentropy({ classWeights: [0.5, 1, 2, 4] })],
  ['WeightedBinaryFocalCrossentropy', () => weightedBinaryFocalCrossentropy({ classWeights: [0.5, 1, 2, 4], gamma: 2, posWeight: [1, 2, 3, 4] })],
  ['AsymmetricLoss', () => asymmetricLoss({ classWeights: [0.5, 1, 2, 4] })],
  ['DistributionBalancedLoss', () => distributionBalancedLoss({ counts: countMultiHot({ data: multiHot, shape: [N * T, C] }) })],
];
const singleLabelLosses: Array<[string, () => WeightedLoss]> = [
  ['WeightedCategoricalCrossentropy', () => weightedCategoricalCrossentropy({ classWeights: [0.5, 1, 2, 4], labelSmoothing: 0.1 })],
  ['WeightedCategoricalFocalCrossentropy', () => weightedCategoricalFocalCrossentropy({ classWeights: [0.5, 1, 2, 4], alpha: [0.2, 0.3, 0.4, 0.5] })],
];

/** The loss of each position and the gradient of the batch mean, as arrays. */
function lossAndGrad(loss: WeightedLoss, y: tf.Tensor, x: number[], shape: number[]): { value: number[]; shape: number[]; grad: number[] } {
  return tf.tidy(() => {
    const v = loss(y, tf.tensor(x, shape));
    const g = tf.grad((t: tf.Tensor) => tf.mean(loss(y, t)))(tf.tensor(x, shape));
    return { value: Array.from(v.dataSync()), shape: v.shape, grad: Array.from(g.dataSync()) };
  });
}

const expectClose = (a: number[], b: number[]) => a.forEach((v, i) => expect(Math.abs(v - b[i]!)).toBeLessThanOrEqual(1e-6 + 1e-5 * Math.abs(b[i]!)));

describe.each([
  ['the JS route (cpu)', undefined],
  ['the tensor route (as on WebGL)', 'webgl'],
])('per-position outputs [N, T, C] on %s', (_, route) => {
  beforeAll(() => overrideRoutes(route));
  afterAll(() => overrideRoutes(undefined));

  it.each([...multiLabelLosses, ...singleLabelLosses])('%s: one loss per position [N, T], each as if the position were a row of [N·T, C]', async (name, make) => {
    const before = tf.memory().numTensors;
    const loss = make();
    const single = singleLabelLosses.some(([n]) => n === name);
    const yPos = single ? tf.tensor(indices, [N, T]) : tf.tensor(multiHot, [N, T, C]);
    const yRows = single ? tf.tensor(indices, [N * T]) : tf.tensor(multiHot, [N * T, C]);
    loss.weighting.beginStep();
    const pos = lossAndGrad(loss, yPos, logits, [N, T, C]);
    const rows = lossAndGrad(loss, yRows, logits, [N * T, C]);
    tf.dispose([yPos, yRows]);
    await loss.weighting.endStep(); // settles the label checks: on the tensor route they are read asynchronously
    expect(pos.shape).toEqual([N, T]);
    expectClose(pos.value, rows.value);
    expectClose(pos.grad, rows.grad);
    expect(pos.value.every(Number.isFinite)).toBe(true);
    loss.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('segmentation [N, H, W, C] with class indices [N, H, W, 1] (a mask with a channel axis)', () => {
    const loss = weightedCategoricalCrossentropy({ classWeights: [0.5, 1, 2, 4] });
    const y4 = tf.tensor(indices, [N, 1, T, 1]);
    const a = lossAndGrad(loss, y4, logits, [N, 1, T, C]);
    const yRows = tf.tensor(indices, [N * T]);
    const b = lossAndGrad(loss, yRows, logits, [N * T, C]);
    tf.dispose([y4, yRows]);
    expect(a.shape).toEqual([N, 1, T]);
    expectClose(a.value, b.value);
    loss.dispose();
  });
});

describe('an ignored class (Keras ignore_class)', () => {
  const ignored = indices.map((v, i) => (i % 3 === 0 ? -1 : v));

  it("the batch mean tfjs takes is the mean over the labelled positions, as softmaxCrossEntropy's 'mean' with ignoreIndex", () => {
    const loss = weightedCategoricalCrossentropy({ classWeights: [0.5, 1, 2, 4], ignoreClass: -1 });
    const [mean, keras, perPosition] = tf.tidy(() => {
      const y = tf.tensor(ignored, [N, T]);
      const x = tf.tensor(logits, [N, T, C]);
      return [tf.mean(loss(y, x)).dataSync()[0]!, softmaxCrossEntropy(y, x, { classWeights: [0.5, 1, 2, 4], ignoreIndex: -1 }).dataSync()[0]!, Array.from(loss(y, x).dataSync())];
    });
    expect(Math.abs(mean - keras)).toBeLessThan(1e-5 * keras);
    // Ignored positions lose exactly 0; the labelled ones all lose more than 0.
    perPosition.forEach((v, i) => (i % 3 === 0 ? expect(v).toBe(0) : expect(v).toBeGreaterThan(0)));
    loss.dispose();
  });

  it('a batch with every position ignored loses 0 with a zero gradient (no NaN)', () => {
    const loss = weightedCategoricalCrossentropy({ numClasses: C, ignoreClass: 255, labelSmoothing: 0.1 });
    const { value, grad } = lossAndGrad(loss, tf.fill([N, T], 255), logits, [N, T, C]);
    expect(value.every((v) => v === 0)).toBe(true);
    expect(grad.every((g) => g === 0)).toBe(true);
    loss.dispose();
  });

  it('ignored positions are left out of the counts: countIndices, and the loss’s online counts', () => {
    const expected = countIndices(indices.filter((_, i) => i % 3 !== 0), C);
    expect(countIndices(ignored, C, { ignoreClass: -1 })).toEqual(expected);
    expect(countIndices(tf.tensor2d(ignored, [N, T]), C, { ignoreClass: -1 })).toEqual(expected);
    const loss = weightedCategoricalCrossentropy({ numClasses: C, ignoreClass: -1 });
    loss.setRecording(true);
    tf.tidy(() => loss(tf.tensor(ignored, [N, T]), tf.tensor(logits, [N, T, C])));
    const online = loss.readCounts();
    expect(online.positives).toEqual(expected.positives);
    expect(online.samples).toBe(expected.samples);
    expect(online.emptyRows).toBe(0);
    loss.dispose();
  });

  it('without ignoreClass, a padding index is an error that names the fix', () => {
    expect(() => countIndices(ignored, C)).toThrow('or ignoreClass for positions without a label');
    const loss = weightedCategoricalCrossentropy({ numClasses: C });
    expect(() => tf.tidy(() => loss(tf.tensor(ignored, [N, T]), tf.tensor(logits, [N, T, C])))).toThrow('hold NaN or values outside the label range');
    loss.dispose();
  });

  it('one-hot labels with ignoreClass are refused: it applies to class indices', () => {
    const loss = weightedCategoricalCrossentropy({ numClasses: C, ignoreClass: -1 });
    expect(() => tf.tidy(() => loss(tf.oneHot(tf.tensor(indices, [N, T], 'int32'), C), tf.tensor(logits, [N, T, C])))).toThrow('ignoreClass applies to class indices');
    loss.dispose();
  });
});

describe('per-position labels in the counts and the scores: positions pooled per class', () => {
  const y3 = () => tf.tensor(multiHot, [N, T, C]);
  const p3 = () => tf.sigmoid(tf.tensor(logits, [N, T, C]));

  it('countMultiHot, F-beta (accumulator and compile metric), average precision and tuneThresholds equal their values on the rows [N·T, C]', () => {
    tf.tidy(() => {
      const [y, p, yr, pr] = [y3(), p3(), tf.reshape(y3(), [N * T, C]), tf.reshape(p3(), [N * T, C])];
      expect(countMultiHot(y)).toEqual(countMultiHot(yr));
      expect(new FBetaAccumulator({ beta: 0.5 }).update(y, p).result()).toEqual(new FBetaAccumulator({ beta: 0.5 }).update(yr, pr).result());
      const metric = fbetaMetric({ beta: 0.5, average: 'macro' });
      expect(metric(y, p).dataSync()[0]).toBeCloseTo(metric(yr, pr).dataSync()[0]!, 6);
      expect(averagePrecision(y, p)).toEqual(averagePrecision(yr, pr));
      expect(tuneThresholds(y, p, { beta: 0.5 })).toEqual(tuneThresholds(yr, pr, { beta: 0.5 }));
      // Nested arrays [N, T, C] read the same.
      expect(countMultiHot(y.arraySync() as number[][])).toEqual(countMultiHot(yr));
    });
  });

  it('multi-class F-beta takes per-position indices [N, T] against scores [N, T, C]', () => {
    tf.tidy(() => {
      const acc = (yt: tf.Tensor, yp: tf.Tensor) => new FBetaAccumulator({ beta: 1, task: 'multiclass' }).update(yt, yp).result();
      expect(acc(tf.tensor(indices, [N, T]), tf.tensor(logits, [N, T, C]))).toEqual(acc(tf.tensor(indices, [N * T]), tf.tensor(logits, [N * T, C])));
    });
  });
});

describe('Keras habits: a per-position model trains with the loss, the callback and the metric', () => {
  it('token tagging [N, T, C] (class indices [N, T], a padding class): fitDataset with the sample-weight callback and F-beta on validation', async () => {
    const before = tf.memory().numTensors;
    const rnd = rng(3);
    const n = 96;
    const tagOf = (v: number) => (v > 0.97 ? 3 : v > 0.9 ? 2 : v > 0.7 ? 1 : 0); // rare tags 2 and 3
    const feats: number[] = [];
    const tags: number[] = [];
    for (let i = 0; i < n * T; i++) {
      const tag = i % T === T - 1 ? -1 : tagOf(rnd()); // the last position of every sequence is padding
      tags.push(tag);
      for (let d = 0; d < 6; d++) feats.push((d === tag ? 2 : 0) + rnd() - 0.5);
    }
    const x = tf.tensor3d(feats, [n, T, 6]);
    const y = tf.tensor2d(tags, [n, T]);
    const model = tfl.sequential({ layers: [tfl.layers.dense({ units: C, inputShape: [T, 6], kernelInitializer: tfl.initializers.glorotUniform({ seed: 1 }) })] });
    const loss = weightedCategoricalCrossentropy({ numClasses: C, ignoreClass: -1 });
    const optimizer = tf.train.adam(0.05);
    model.compile({ optimizer, loss });
    const valid = tags.filter((t) => t >= 0);
    // tfjs' fit checks targets against the output's shape [N, T, C]; fitDataset takes the class indices [N, T] as they are.
    const ds = tfd.zip({ xs: tfd.array(x.arraySync() as number[][][]), ys: tfd.array(y.arraySync() as number[][]) }).batch(32);
    const h = await model.fitDataset(ds, {
      epochs: 4,
      verbose: 0,
      callbacks: [
        sampleWeightCallback({ losses: loss, scheme: 'isns', data: y, format: 'indices' }),
        fbetaCallback({ validationData: [x, y], task: 'multiclass', beta: 1, ignoreClass: -1, average: 'macro' }),
      ],
    });
    const f = h.history['val_fbeta'] as number[];
    expect(f.every((v) => v >= 0 && v <= 1)).toBe(true);
    // The callback's F-beta pools the labelled positions only: the same as the accumulator on them.
    const direct = tf.tidy(() => {
      const p = model.predict(x) as tf.Tensor;
      const keep = tags.map((t, i) => [t, i] as const).filter(([t]) => t >= 0);
      const rows = tf.gather(tf.reshape(p, [n * T, C]), keep.map(([, i]) => i));
      return new FBetaAccumulator({ beta: 1, task: 'multiclass' }).update(keep.map(([t]) => t), rows).result().macro.f;
    });
    expect(f.at(-1)!).toBeCloseTo(direct, 6);
    const losses = h.history['loss'] as number[];
    expect(losses.every(Number.isFinite)).toBe(true);
    expect(losses.at(-1)!).toBeLessThan(losses[0]!);
    // The callback counted positions, not sequences, without the padding: ISNS weighs the rare tags up.
    const w = loss.getClassWeights();
    const counts = countIndices(valid, C);
    expect(counts.samples).toBe(valid.length);
    expect(w[3]!).toBeGreaterThan(w[0]!);
    model.dispose();
    optimizer.dispose();
    loss.dispose();
    tf.dispose([x, y]);
    expect(tf.memory().numTensors).toBe(before);
  });
});
