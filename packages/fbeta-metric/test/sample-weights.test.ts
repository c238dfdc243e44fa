import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { OutOfRangeError, ShapeMismatchError, InvalidOptionError } from '@tfjs-imbalance/weight-schemes';
import { FBetaAccumulator, averagePrecision, averagePrecisionCallback, fbetaCallback, fbetaMetric } from '@tfjs-imbalance/fbeta-metric';

// The values against scikit-learn's sample_weight are in the conformance vectors (fbeta_weighted); these check
// the shapes, the routes and the errors users meet.
const y = [[1, 0, 1], [0, 1, 0], [1, 1, 0], [0, 0, 1]];
const p = [[0.9, 0.2, 0.4], [0.7, 0.8, 0.1], [0.6, 0.3, 0.2], [0.1, 0.1, 0.9]];

describe('sample weights in F-beta (Keras FBetaScore.update_state(yTrue, yPred, sampleWeight))', () => {
  it('weights of 1 change nothing; a weight of 0 is the row left out; a weight of 2 is the row twice', () => {
    const plain = new FBetaAccumulator({ samplesAverage: true }).update(y, p).result();
    expect(new FBetaAccumulator({ samplesAverage: true }).update(y, p, [1, 1, 1, 1]).result()).toEqual(plain);
    const dropped = new FBetaAccumulator({ samplesAverage: true }).update(y.slice(1), p.slice(1)).result();
    const zero = new FBetaAccumulator({ samplesAverage: true }).update(y, p, [0, 1, 1, 1]).result();
    expect(zero.f).toEqual(dropped.f);
    expect(zero.samples).toBeCloseTo(dropped.samples!, 12);
    const twice = new FBetaAccumulator().update([y[0]!, ...y], [p[0]!, ...p]).result();
    expect(new FBetaAccumulator().update(y, p, [2, 1, 1, 1]).result().f).toEqual(twice.f);
  });

  it('the tensor route (asynchronous reads) gives the JS route’s scores', async () => {
    const w = [0.5, 2, 0, 1.25];
    const js = new FBetaAccumulator({ samplesAverage: true }).update(y, p, w).result();
    const [yt, pt, wt] = [tf.tensor2d(y), tf.tensor2d(p), tf.tensor1d(w)];
    const tensors = (await new FBetaAccumulator({ samplesAverage: true }).updateAsync(yt, pt, wt)).result();
    tf.dispose([yt, pt, wt]);
    for (const k of ['precision', 'recall', 'f'] as const) tensors[k].forEach((v, i) => expect(v).toBeCloseTo(js[k][i]!, 6));
    expect(tensors.samplesPrecision).toBeCloseTo(js.samplesPrecision!, 6);
    expect(tensors.samplesRecall).toBeCloseTo(js.samplesRecall!, 6);
  });

  it('per-position outputs take one weight per sample or one per position: a 0/1 mask leaves positions out', () => {
    tf.tidy(() => {
      const y3 = tf.tensor3d([y, y.map((r) => r.map((v) => 1 - v))]); // [2, 4, 3]
      const p3 = tf.tensor3d([p, p]);
      const mask = tf.tensor2d([[1, 1, 0, 1], [0, 1, 1, 1]]); // [2, 4]
      const masked = new FBetaAccumulator().update(y3, p3, mask).result();
      const keep = [0, 1, 3, 5, 6, 7];
      const rowsY = tf.gather(tf.reshape(y3, [8, 3]), keep);
      const rowsP = tf.gather(tf.reshape(p3, [8, 3]), keep);
      expect(masked.f).toEqual(new FBetaAccumulator().update(rowsY, rowsP).result().f);
      // One weight per sample weighs its 4 positions.
      const perSample = new FBetaAccumulator().update(y3, p3, [2, 1]).result();
      const expanded = new FBetaAccumulator().update(y3, p3, [2, 2, 2, 2, 1, 1, 1, 1]).result();
      expect(perSample).toEqual(expanded);
    });
  });

  it('bad weights name sampleWeight, the shapes and the fix', () => {
    const acc = new FBetaAccumulator();
    expect(() => acc.update(y, p, [1, 1, 1])).toThrow(ShapeMismatchError);
    expect(() => acc.update(y, p, [1, 1, 1])).toThrow('sampleWeight: has 3 values but the batch (yTrue [4, 3]) has 4 samples; pass one weight per sample.');
    expect(() => acc.update(y, p, [1, -1, 1, 1])).toThrow(OutOfRangeError);
    expect(() => acc.update(y, p, [1, Number.NaN, 1, 1])).toThrow('sampleWeight: value 1 is NaN; sample weights must be finite and ≥ 0.');
    expect(acc.counts()).toBeUndefined();
  });
});

describe('fbetaMetric: weighted average, a labels subset, packed sample weights', () => {
  const score = (args: Parameters<typeof fbetaMetric>[0], yt: number[][], yp: number[][]) =>
    tf.tidy(() => fbetaMetric(args)(tf.tensor2d(yt), tf.tensor2d(yp)).dataSync()[0]!);

  it("'weighted' and labels: [c] agree with the accumulator on one batch", () => {
    const exact = new FBetaAccumulator().update(y, p).result();
    expect(score({ average: 'weighted' }, y, p)).toBeCloseTo(exact.weighted.f, 6);
    [0, 1, 2].forEach((c) => expect(score({ average: 'macro', labels: [c] }, y, p)).toBeCloseTo(exact.f[c]!, 6));
  });

  it('sampleWeightColumn reads the last label column as weights (packSampleWeights), as the loss does', () => {
    const w = [0.5, 2, 0, 1.25];
    const packed = y.map((r, i) => [...r, w[i]!]);
    const exact = new FBetaAccumulator().update(y, p, w).result();
    expect(score({ average: 'macro', sampleWeightColumn: true }, packed, p)).toBeCloseTo(exact.macro.f, 6);
    // Without the option, the extra column is a shape mismatch that says so.
    expect(() => score({}, packed, p)).toThrow(ShapeMismatchError);
  });

  it('labels out of range or malformed are refused, naming args.labels', () => {
    expect(() => fbetaMetric({ labels: [] })).toThrow(InvalidOptionError);
    expect(() => fbetaMetric({ labels: [1, 1] })).toThrow('args.labels: must be distinct class indices');
    expect(() => score({ labels: [5] }, y, p)).toThrow('args.labels: holds class 5, but the predictions have 3 classes (shape [4, 3]).');
  });
});

describe('callbacks with [x, y, sampleWeight] validation data, as Keras', () => {
  it('fbetaCallback logs the weighted F-beta, averagePrecisionCallback the weighted AP', async () => {
    const before = tf.memory().numTensors;
    const model = tfl.sequential({ layers: [tfl.layers.dense({ units: 3, inputShape: [2], kernelInitializer: tfl.initializers.glorotUniform({ seed: 1 }) })] });
    model.compile({ optimizer: 'sgd', loss: 'binaryCrossentropy' });
    const x = tf.tensor2d([[1, 0], [0, 1], [1, 1], [0.5, -1]]);
    const [yt, wt] = [tf.tensor2d(y), tf.tensor1d([0.5, 2, 0, 1.25])];
    const cb = fbetaCallback({ validationData: [x, yt, wt], from: 'logits', average: 'macro' });
    const h = await model.fit(x, yt, { epochs: 1, verbose: 0, callbacks: [cb] });
    const exact = tf.tidy(() => new FBetaAccumulator({ from: 'logits' }).update(yt, model.predict(x) as tf.Tensor, wt).result().macro.f);
    expect(h.history['val_fbeta']![0]).toBeCloseTo(exact, 6);
    const h2 = await model.fit(x, yt, { epochs: 1, verbose: 0, callbacks: [averagePrecisionCallback({ validationData: [x, yt, wt], average: 'macro' })] });
    const ap = tf.tidy(() => averagePrecision(yt.arraySync() as number[][], (model.predict(x) as tf.Tensor).arraySync() as number[][], [0.5, 2, 0, 1.25]).macro);
    const unweighted = tf.tidy(() => averagePrecision(yt.arraySync() as number[][], (model.predict(x) as tf.Tensor).arraySync() as number[][]).macro);
    expect(h2.history['val_map']![0]).toBeCloseTo(ap, 6);
    expect(Math.abs(ap - unweighted)).toBeGreaterThan(1e-3); // the weights matter here
    model.optimizer.dispose();
    model.dispose();
    tf.dispose([x, yt, wt]);
    expect(tf.memory().numTensors).toBe(before);
  });
});
