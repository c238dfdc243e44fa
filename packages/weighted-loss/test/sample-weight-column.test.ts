import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import * as tfd from '@tensorflow/tfjs-data';
import { binaryCrossEntropy, packSampleWeights, weightedBinaryCrossentropy, weightedCategoricalCrossentropy } from '@tfjs-imbalance/weighted-loss';

const rows = [[1, 0, 1], [0, 1, 0], [1, 1, 0], [0, 0, 0], [1, 0, 0], [0, 0, 1]];
const weights = [0.5, 2, 1, 0, 3, 1.5];
const logits = [[0.3, -1, 2], [1, 1, -2], [-0.5, 0.2, 0.1], [2, -2, 0], [0.7, 0.7, -0.3], [-1, 0.5, 1.5]];

describe("per-sample weights packed as the last column of y (Keras' sample_weight)", () => {
  it('weigh each row: the loss is w_i × the row loss, by hand; rows without the column weigh 1', () => {
    const loss = weightedBinaryCrossentropy({ numClasses: 3, combine: 'max', sampleWeightColumn: true });
    const before = tf.memory().numTensors;
    const packed = packSampleWeights(rows, weights);
    expect(packed.shape).toEqual([6, 4]);
    const got = tf.tidy(() => Array.from(loss(packed, tf.tensor2d(logits)).dataSync()));
    const plain = tf.tidy(() => Array.from(binaryCrossEntropy(rows, logits, { reduction: 'per-sample' }).dataSync()));
    got.forEach((v, i) => expect(v).toBeCloseTo(weights[i]! * plain[i]!, 6));
    const unpacked = tf.tidy(() => Array.from(loss(tf.tensor2d(rows), tf.tensor2d(logits)).dataSync()));
    unpacked.forEach((v, i) => expect(v).toBeCloseTo(plain[i]!, 6));
    packed.dispose();
    expect(tf.memory().numTensors).toBe(before);
    loss.dispose();
  });

  it('train with fitDataset: the first batch loss is the hand-computed weighted mean; validation data stays unpacked; nothing leaks', async () => {
    const model = tfl.sequential({ layers: [tfl.layers.dense({ units: 3, inputShape: [2], kernelInitializer: tfl.initializers.glorotUniform({ seed: 3 }) })] });
    const loss = weightedBinaryCrossentropy({ numClasses: 3, combine: 'max', sampleWeightColumn: true });
    model.compile({ optimizer: tf.train.sgd(0.1), loss });
    const x = tf.tensor2d(rows.map((r, i) => [r[0]! - r[1]!, Math.sin(i)]));
    const y = tf.tensor2d(rows);
    const expected = tf.tidy(() => {
      const perRow = binaryCrossEntropy(y, model.predict(x) as tf.Tensor, { reduction: 'per-sample' });
      return tf.mean(tf.mul(perRow, weights)).dataSync()[0]!;
    });
    const ys = packSampleWeights(y, weights);
    const ds = tfd.zip({ xs: tfd.array(x.arraySync()), ys: tfd.array(ys.arraySync()) }).batch(6);
    const first: number[] = [];
    const before = tf.memory().numTensors;
    const h = await model.fitDataset(ds as never, {
      epochs: 3,
      validationData: [x, y],
      callbacks: [new tfl.CustomCallback({ onBatchEnd: async (_b, logs) => void first.push(logs!['loss'] as number) })],
    });
    expect(first[0]).toBeCloseTo(expected, 5);
    expect(h.history['val_loss']).toHaveLength(3);
    expect(tf.memory().numTensors - before).toBeLessThanOrEqual(0);
    model.dispose();
    loss.dispose();
    tf.dispose([x, y, ys]);
  });

  it('a bad weight, a weight column without the option, or a bad option say what to do', () => {
    const loss = weightedBinaryCrossentropy({ numClasses: 3, sampleWeightColumn: true });
    expect(() => tf.tidy(() => loss(tf.tensor2d([[1, 0, 0, -1]]), tf.tensor2d([[0, 0, 0]])))).toThrow(
      'yTrue: the sample weight in the last column of row 0 (shape [1, 4]) is -1; sample weights must be finite and ≥ 0.',
    );
    const plain = weightedBinaryCrossentropy({ numClasses: 3 });
    expect(() => tf.tidy(() => plain(tf.tensor2d([[1, 0, 0, 2]]), tf.tensor2d([[0, 0, 0]])))).toThrow('yTrue: has shape [1, 4] but yPred has shape [1, 3]');
    expect(() => packSampleWeights([[1, 0]], [1, 2])).toThrow('sampleWeights: has shape [2] but yTrue has shape [1, 2]; pass one weight per row');
    expect(() => weightedCategoricalCrossentropy({ numClasses: 3, sampleWeightColumn: 'yes' as never })).toThrow('args.sampleWeightColumn: must be true or false');
    [loss, plain].forEach((l) => l.dispose());
  });
});
