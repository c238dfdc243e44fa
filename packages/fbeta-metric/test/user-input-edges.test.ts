import * as tf from '@tensorflow/tfjs-core';
import * as tfd from '@tensorflow/tfjs-data';
import { FBetaAccumulator, fbetaCallback, fbetaMetric, fbetaScores, averagePrecisionCallback, tuneThresholds } from '@tfjs-imbalance/fbeta-metric';

describe('user-input edges', () => {
  it('a huge β gives the limit, recall, not NaN', () => {
    const counts = { tp: [3, 0, 2], fp: [5, 1, 0], fn: [1, 0, 2], samples: 10 };
    for (const beta of [1e20, 1e160, Number.MAX_VALUE]) {
      const s = fbetaScores(counts, { beta });
      s.f.forEach((f, c) => expect(f).toBeCloseTo(s.recall[c]!, 12));
      expect(s.micro.f).toBeCloseTo(s.micro.recall, 12);
    }
    // Still the usual value for ordinary β.
    expect(fbetaScores(counts, { beta: 2 }).f[0]).toBeCloseTo((5 * 3) / (5 * 3 + 4 * 1 + 5), 15);
    const y = [[1, 0], [1, 1], [0, 1]];
    const p = [[0.9, 0.8], [0.2, 0.7], [0.6, 0.1]];
    const acc = new FBetaAccumulator({ beta: 1e200, samplesAverage: true }).update(y, p).result();
    expect(Number.isFinite(acc.samples!)).toBe(true);
    expect(tuneThresholds(y, p, { beta: 1e200, minPositives: 1 }).f.every(Number.isFinite)).toBe(true);
    const metric = fbetaMetric({ beta: 1e25 });
    const v = tf.tidy(() => metric(tf.tensor2d(y), tf.tensor2d(p)).dataSync()[0]!);
    expect(v).toBeCloseTo(2 / 4, 6); // micro recall: 2 of 4 true labels predicted
  });

  it('an endless validation dataset is refused when the callback is built', () => {
    const endless = tfd.array([{ xs: [1, 2], ys: [1, 0] }]).map((b) => ({ xs: tf.tensor1d((b as { xs: number[] }).xs), ys: tf.tensor1d((b as { ys: number[] }).ys) })).batch(1).repeat();
    const message = 'args.validationData: is an endless dataset (size Infinity, as after .repeat()), and the callback reads it to the end, so it would never return. Pass the validation dataset without .repeat(), or .take(n) batches of it.';
    expect(() => fbetaCallback({ validationData: endless as never })).toThrow(message);
    expect(() => averagePrecisionCallback({ validationData: endless as never })).toThrow(message);
    // A bounded piece of it is fine.
    expect(() => fbetaCallback({ validationData: endless.take(3) as never })).not.toThrow();
  });
});

describe('disposed validation tensors', () => {
  it('stop fit with an error naming args.validationData, not a bare "Tensor is disposed"', async () => {
    const tfl = await import('@tensorflow/tfjs-layers');
    const model = tfl.sequential({ layers: [tfl.layers.dense({ units: 2, inputShape: [2] })] });
    model.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
    const [x, y] = [tf.ones([4, 2]), tf.tensor2d([[1, 0], [0, 1], [1, 1], [0, 0]])];
    const [xv, yv] = [tf.ones([2, 2]), tf.tensor2d([[1, 0], [0, 1]])];
    const cb = fbetaCallback({ validationData: [xv, yv], from: 'logits' });
    xv.dispose();
    await expect(model.fit(x, y, { epochs: 1, verbose: 0, callbacks: [cb] })).rejects.toThrow(
      'args.validationData: holds a disposed tensor (xVal of [xVal, yVal]), so FBetaCallback cannot score it. Keep the validation tensors alive until fit returns',
    );
    model.dispose();
    tf.dispose([x, y, yv]);
  });
});
