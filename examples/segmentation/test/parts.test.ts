// The example's parts: the generator, the convolution's gradient, the per-image scoring and the selection rule.
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import '@tensorflow/tfjs-backend-wasm';
import seedrandom from 'seedrandom';
import { FBetaAccumulator, fbetaScores } from '@tfjs-imbalance/fbeta-metric';
import { countMultiHot } from '@tfjs-imbalance/weight-schemes';
import { DEFAULT_SPEC, generateImages, imagesWith } from '../src/generator';
import { sameConv2d } from '../src/conv';
import { countsPerImage, crossFittedCounts, labelRows, pairedBootstrap, select, sumCounts } from '../src/scoring';

describe('generateImages', () => {
  const a = generateImages(200, 'a');

  it('gives the same images from the same seed and others from another', () => {
    const again = generateImages(200, 'a');
    expect(again.x).toEqual(a.x);
    expect(again.y).toEqual(a.y);
    expect(generateImages(200, 'b').x).not.toEqual(a.x);
  });

  it('labels each pixel with at most one class, and draws a long tail: many disc pixels, fewer square, few cross pixels in few images', () => {
    const rows = labelRows(a);
    for (let p = 0; p < rows.shape[0]; p++) expect(a.y[p * 3]! + a.y[p * 3 + 1]! + a.y[p * 3 + 2]!).toBeLessThanOrEqual(1);
    const counts = countMultiHot(rows);
    expect(counts.samples).toBe(200 * 24 * 24);
    const [disc, square, cross] = counts.positives as [number, number, number];
    expect(disc).toBeGreaterThan(4 * square);
    expect(square).toBeGreaterThan(5 * cross);
    expect(cross).toBeGreaterThan(0);
    // A cross is painted last, whole: 9 pixels in each image that holds one.
    const [, , crossImages] = imagesWith(a) as [number, number, number];
    expect(cross).toBe(9 * crossImages);
    // About crossRate of the images hold one (binomial, within 4 standard errors).
    expect(Math.abs(crossImages / 200 - DEFAULT_SPEC.crossRate)).toBeLessThan(4 * Math.sqrt((0.1 * 0.9) / 200));
    expect(counts.emptyRows / counts.samples).toBeGreaterThan(0.8);
    expect(a.x.every(Number.isFinite)).toBe(true);
  });
});

describe('sameConv2d', () => {
  afterAll(() => tf.setBackend('cpu'));

  it.each(['cpu', 'wasm'])('on %s: its value and both gradients match tf.conv2d and tf.grads (3 × 3 and 1 × 1)', async (backend) => {
    await tf.setBackend(backend);
    for (const k of [3, 1]) {
      const rand = seedrandom.alea(`conv:${k}`);
      const values = (n: number) => Array.from({ length: n }, () => rand() * 2 - 1);
      const x = tf.tensor4d(values(2 * 7 * 6 * 3), [2, 7, 6, 3]);
      const w = tf.tensor4d(values(k * k * 3 * 4), [k, k, 3, 4]);
      const dy = tf.tensor4d(values(2 * 7 * 6 * 4), [2, 7, 6, 4]);
      const ours = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(sameConv2d(a as tf.Tensor4D, b as tf.Tensor4D), dy)))([x, w]);
      // The reference on the cpu backend, whose conv2d gradients are tfjs' own kernels.
      const [xv, wv, dyv] = [await x.array(), await w.array(), await dy.array()];
      await tf.setBackend('cpu');
      const [xc, wc, dyc] = [tf.tensor4d(xv), tf.tensor4d(wv), tf.tensor4d(dyv)];
      const ref = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 1, 'same'), dyc)))([xc, wc]);
      const refValue = tf.conv2d(xc, wc, 1, 'same');
      const expected = [await refValue.data(), await ref[0]!.data(), await ref[1]!.data()];
      tf.dispose([xc, wc, dyc, refValue, ...ref]);
      await tf.setBackend(backend);
      const value = sameConv2d(x, w);
      const got = [await value.data(), await ours[0]!.data(), await ours[1]!.data()];
      got.forEach((g, i) => {
        const scale = Math.max(...Array.from(expected[i]!, Math.abs));
        expect(Math.max(...Array.from(g, (v, j) => Math.abs(v - expected[i]![j]!)))).toBeLessThan(1e-5 * scale + 1e-6);
      });
      tf.dispose([x, w, dy, value, ...ours]);
    }
  });

  it("is needed on wasm: tfjs-layers' conv2d cannot train there (no Conv2DBackpropFilter kernel)", async () => {
    await tf.setBackend('wasm');
    const model = tfl.sequential({ layers: [tfl.layers.conv2d({ filters: 2, kernelSize: 3, padding: 'same', inputShape: [5, 5, 1] })] });
    model.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
    const [x, y] = [tf.ones([2, 5, 5, 1]), tf.zeros([2, 5, 5, 2])];
    await expect(model.fit(x, y, { epochs: 1, verbose: 0 })).rejects.toThrow(/Conv2DBackpropFilter/);
    tf.dispose([x, y]);
    model.dispose();
  });
});

describe('scoring per image', () => {
  const set = generateImages(12, 'scoring');
  const rand = seedrandom.alea('logits');
  // Logits that mostly follow the labels, with noise.
  const logits = Float32Array.from(set.y, (v) => (v > 0 ? 1.5 : -1.5) + (rand() - 0.5) * 5);

  it('sums, over the images, to the counts of the accumulator over all pixels [N, H, W, C]', () => {
    const S = set.size;
    const [y, p] = [tf.tensor4d(set.y, [set.count, S, S, 3]), tf.tensor4d(logits, [set.count, S, S, 3])];
    const all = new FBetaAccumulator({ from: 'logits', threshold: [0.5, 0.6, 0.4] }).update(y, p).counts()!;
    const summed = sumCounts(countsPerImage(set, logits, [0.5, 0.6, 0.4]));
    expect(summed.tp).toEqual(all.tp);
    expect(summed.fp).toEqual(all.fp);
    expect(summed.fn).toEqual(all.fn);
    expect(summed.samples).toBe(set.count * S * S);
    // Weights count an image that many times.
    const per = countsPerImage(set, logits, 0.5);
    const w = per.map((_, n) => (n === 3 ? 2 : n === 5 ? 0 : 1));
    expect(sumCounts(per, w).tp).toEqual(sumCounts([...per.filter((_, n) => n !== 5), per[3]!]).tp);
    tf.dispose([y, p]);
  });

  it('cross-fits thresholds by image: an image is scored at thresholds tuned on the other fold only', () => {
    const before = crossFittedCounts(set, logits, 0.5);
    // Changing image 0's labels (fold 0) changes the thresholds fold 0 tunes for the odd images, never those the even
    // images take, tuned on fold 1: every even image but image 0 keeps its counts.
    const changed = { ...set, y: Float32Array.from(set.y) };
    changed.y.fill(0, 0, 24 * 24 * 3);
    const after = crossFittedCounts(changed, logits, 0.5);
    for (let n = 2; n < set.count; n += 2) expect(after[n]).toEqual(before[n]);
  });

  it('pairedBootstrap: identical runs differ by exactly 0; a run better on every image is beyond the noise', () => {
    const a = countsPerImage(set, logits, 0.5);
    const s = { beta: 0.5, resamples: 200, level: 0.95 };
    const same = pairedBootstrap(a, a, { ...s, rand: seedrandom.alea('b') });
    expect(same.macro).toEqual({ estimate: 0, low: 0, high: 0 });
    const perfect = countsPerImage(set, Float32Array.from(set.y, (v) => (v > 0 ? 9 : -9)), 0.5);
    const g = pairedBootstrap(perfect, a, { ...s, rand: seedrandom.alea('b') });
    expect(g.macro.low).toBeGreaterThan(0);
    expect(g.macro.estimate).toBeCloseTo(fbetaScores(sumCounts(perfect), { beta: 0.5 }).macro.f - fbetaScores(sumCounts(a), { beta: 0.5 }).macro.f, 12);
    expect(g.macro.low).toBeLessThanOrEqual(g.macro.estimate);
    expect(g.macro.high).toBeGreaterThanOrEqual(g.macro.estimate);
  });
});

describe('select (the rule, on validation)', () => {
  const gain = (low: number, high: number) => ({ estimate: (low + high) / 2, low, high });
  const plain = { name: 'plain', macro: 0.6, micro: 0.9 };

  it('keeps plain training unless a gain is beyond the noise within the micro limit, then takes the best macro among those', () => {
    expect(select([plain, { name: 'a', macro: 0.7, micro: 0.9, gain: gain(-0.01, 0.2) }], 0.02)).toEqual({ selected: 'plain', standing: ['plain', 'within noise'] });
    expect(select([plain, { name: 'a', macro: 0.7, micro: 0.87, gain: gain(0.05, 0.2) }], 0.02).standing[1]).toBe('micro drop too large');
    expect(select([plain, { name: 'a', macro: 0.5, micro: 0.9, gain: gain(-0.2, -0.05) }], 0.02).standing[1]).toBe('worse');
    const r = select(
      [plain, { name: 'a', macro: 0.65, micro: 0.89, gain: gain(0.01, 0.1) }, { name: 'b', macro: 0.7, micro: 0.885, gain: gain(0.02, 0.2) }, { name: 'c', macro: 0.8, micro: 0.85, gain: gain(0.1, 0.3) }],
      0.02,
    );
    expect(r).toEqual({ selected: 'b', standing: ['plain', 'beyond noise', 'beyond noise', 'micro drop too large'] });
  });
});
