import * as fc from 'fast-check';
import * as tf from '@tensorflow/tfjs-core';
import {
  EmptyInputError,
  NonFiniteValueError,
  OutOfRangeError,
  ShapeMismatchError,
} from '@tfjs-imbalance/weight-schemes';
import { FBetaAccumulator, confusionCounts } from '@tfjs-imbalance/fbeta-metric';
import { TENSOR_ROUTE_BACKEND, useTensorRoute } from '../../../jest.tensor-route';

const yTrue = [
  [1, 0, 1],
  [0, 1, 0],
  [1, 1, 0],
  [0, 0, 0],
];
const probs = [
  [0.9, 0.2, 0.4],
  [0.6, 0.7, 0.1],
  [0.8, 0.3, 0.55],
  [0.1, 0.1, 0.1],
];

/** sklearn-style per-sample F-beta, written out for the test. */
function samplesF(t: number[][], p: number[][], beta: number, zd: number): number {
  const b2 = beta * beta;
  const fs = t.map((row, i) => {
    let tp = 0;
    let fp = 0;
    let fn = 0;
    row.forEach((y, j) => {
      const q = p[i]![j]!;
      if (y && q) tp++;
      else if (!y && q) fp++;
      else if (y && !q) fn++;
    });
    const den = (1 + b2) * tp + b2 * fn + fp;
    return den === 0 ? zd : ((1 + b2) * tp) / den;
  });
  return fs.reduce((a, b) => a + b, 0) / fs.length;
}

describe('confusionCounts', () => {
  it('counts TP, FP and FN with a strictly exceeded threshold', () => {
    expect(confusionCounts(yTrue, probs)).toMatchObject({ tp: [2, 1, 0], fp: [1, 0, 1], fn: [0, 1, 1], samples: 4 });
    expect(confusionCounts([[1]], [[0.5]])).toMatchObject({ tp: [0], fn: [1] }); // 0.5 does not exceed 0.5
  });

  it('gives the same counts from logits as from probabilities', () => {
    const logits = probs.map((r) => r.map((p) => Math.log(p / (1 - p))));
    const a = confusionCounts(yTrue, probs, { threshold: 0.3 });
    const b = confusionCounts(yTrue, logits, { threshold: 0.3, from: 'logits' });
    expect(b.tp).toEqual(a.tp);
    expect(b.fp).toEqual(a.fp);
  });

  it('applies per-class thresholds', () => {
    expect(confusionCounts(yTrue, probs, { threshold: [0.95, 0.5, 0.5] }).tp).toEqual([0, 1, 0]);
  });

  it('reads tensors and arrays alike and leaks no tensors', () => {
    const t = tf.tensor2d(yTrue);
    const p = tf.tensor2d(probs);
    const before = tf.memory().numTensors;
    expect(confusionCounts(t, p)).toEqual(confusionCounts(yTrue, probs));
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([t, p]);
  });

  it('rejects an empty tensor batch before any math', () => {
    const t = tf.zeros([0, 2]);
    expect(() => confusionCounts(t, t)).toThrow('yTrue: is an empty batch (shape [0, 2]); pass at least one row.');
    t.dispose();
  });

  it('handles multi-class indices, one-hot labels and scores', () => {
    const idx = [0, 2, 1, 2];
    const oneHot = idx.map((k) => [0, 1, 2].map((j) => (j === k ? 1 : 0)));
    const scores = [
      [0.7, 0.2, 0.1],
      [0.1, 0.1, 0.8],
      [0.5, 0.3, 0.2],
      [0.2, 0.6, 0.2],
    ];
    const fromIdx = confusionCounts(idx, scores, { task: 'multiclass' });
    expect(fromIdx).toMatchObject({ tp: [1, 0, 1], fp: [1, 1, 0], fn: [0, 1, 1] });
    expect(confusionCounts(oneHot, scores, { task: 'multiclass' })).toEqual(fromIdx);
    expect(confusionCounts(idx, [0, 2, 0, 1], { task: 'multiclass', numClasses: 3 })).toEqual(fromIdx);
  });

  describe('bad input', () => {
    it.each([
      ['a shape mismatch', [[1, 0]], [[0.5, 0.5, 0.5]], {}, ShapeMismatchError, 'has shape [1, 3] but yTrue has shape [1, 2]'],
      ['rank-1 multilabel', [1, 0], [0.2, 0.3], {}, ShapeMismatchError, 'got yTrue [2] and yPred [2]'],
      ['NaN predictions', [[1, 0]], [[Number.NaN, 0.1]], {}, NonFiniteValueError, 'value at row 0, column 0'],
      ['probabilities > 1', [[1, 0]], [[3, 0.1]], {}, OutOfRangeError, "If these are logits, pass from: 'logits'"],
      ['labels outside [0, 1]', [[2, 0]], [[0.3, 0.1]], {}, OutOfRangeError, 'yTrue: value at row 0, column 0 of shape [1, 2] is 2'],
      ['an empty batch', { data: [], shape: [0, 2] }, { data: [], shape: [0, 2] }, {}, EmptyInputError, 'got 0 rows (shape [0, 2])'],
      ['a threshold > 1', [[1]], [[0.2]], { threshold: 1.5 }, OutOfRangeError, 'args.threshold: must lie in [0, 1], got 1.5'],
      ['thresholds of the wrong length', [[1, 0]], [[0.2, 0.1]], { threshold: [0.5] }, ShapeMismatchError, 'has 1 per-class thresholds'],
      ['β ≤ 0', [[1]], [[0.2]], { beta: 0 }, OutOfRangeError, 'args.beta'],
      ['a wrong option name', [[1]], [[0.2]], { treshold: 0.5 }, Error, 'unknown option "treshold"'],
      ['a class count mismatch', [[1, 0]], [[0.2, 0.1]], { numClasses: 3 }, ShapeMismatchError, 'numClasses is 3'],
      ['a bad class index', [0, 4], [0, 1], { task: 'multiclass', numClasses: 3 }, OutOfRangeError, 'index 1 is 4'],
      ['a one-hot row with two positives', [[1, 1, 0]], [[0.2, 0.5, 0.3]], { task: 'multiclass' }, ShapeMismatchError, 'need exactly one value ≥ 0.5 per row'],
      ['a fractional predicted index', [0, 1], [0, 1.5], { task: 'multiclass', numClasses: 3 }, OutOfRangeError, 'yPred: class index at index 1 is 1.5'],
      ['NaN multiclass scores', [0], [[Number.NaN, 0.5]], { task: 'multiclass' }, NonFiniteValueError, 'yPred: value at row 0, column 0'],
      ['infinite logits', [[1, 0]], [[Number.POSITIVE_INFINITY, 0]], { from: 'logits' }, NonFiniteValueError, 'yPred: value at row 0, column 0 is Infinity'],
    ])('rejects %s', (_, t, p, args, Err, fragment) => {
      const before = tf.memory().numTensors;
      const run = () => confusionCounts(t as never, p as never, args as never);
      expect(run).toThrow(Err);
      expect(run).toThrow(fragment);
      expect(tf.memory().numTensors).toBe(before);
    });
  });
});

describe('FBetaAccumulator', () => {
  it('computes the samples average like scikit-learn', () => {
    const pred = probs.map((r) => r.map((p) => (p > 0.5 ? 1 : 0)));
    const acc = new FBetaAccumulator({ beta: 0.5, samplesAverage: true }).update(yTrue, probs);
    expect(new FBetaAccumulator().update(yTrue, probs).result().samples).toBeUndefined();
    expect(acc.result().samples).toBeCloseTo(samplesF(yTrue, pred, 0.5, 0), 6);
    expect(acc.result({ zeroDivision: 1 }).samples).toBeCloseTo(samplesF(yTrue, pred, 0.5, 1), 6);
  });

  it('streaming over any split of the batches equals one pass (property)', () => {
    const row = fc.tuple(fc.array(fc.constantFrom(0, 1), { minLength: 3, maxLength: 3 }), fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 3, maxLength: 3 }));
    fc.assert(
      fc.property(fc.array(row, { minLength: 2, maxLength: 20 }), fc.nat(), (rows, cut) => {
        const t = rows.map((r) => r[0]);
        const p = rows.map((r) => r[1]);
        const k = 1 + (cut % (rows.length - 1));
        const one = new FBetaAccumulator({ samplesAverage: true }).update(t, p).result();
        const two = new FBetaAccumulator({ samplesAverage: true }).update(t.slice(0, k), p.slice(0, k)).update(t.slice(k), p.slice(k)).result();
        expect(two.f).toEqual(one.f);
        expect(two.micro).toEqual(one.micro);
        expect(two.samples).toBeCloseTo(one.samples!, 5);
      }),
      { numRuns: 40 },
    );
  });

  it('refuses to read before any update and batches with other classes', () => {
    const acc = new FBetaAccumulator();
    expect(() => acc.result()).toThrow('no batch was added yet');
    acc.update([[1, 0]], [[0.9, 0.1]]);
    expect(() => acc.update([[1, 0, 0]], [[0.9, 0.1, 0]])).toThrow('has 3 classes but earlier batches had 2');
    acc.reset();
    expect(() => acc.result()).toThrow(EmptyInputError);
  });
});

describe('the tensor route (wasm, WebGL)', () => {
  useTensorRoute();

  it('sums the samples average in float64, as the cpu route does (200k rows)', async () => {
    const N = 200_000;
    const t = tf.tidy(() => tf.tensor2d(Float32Array.from({ length: N * 3 }, (_, i) => ((i * 7) % 5 < 2 ? 1 : 0)), [N, 3]));
    const p = tf.tidy(() => tf.tensor2d(Float32Array.from({ length: N * 3 }, (_, i) => ((i * 11) % 7) / 6), [N, 3]));
    const onTensors = new FBetaAccumulator({ samplesAverage: true }).update(t, p).result().samples!;
    expect(tf.getBackend()).toBe(TENSOR_ROUTE_BACKEND);
    await tf.setBackend('cpu');
    const t2 = tf.tensor2d(t.dataSync(), [N, 3]);
    const p2 = tf.tensor2d(p.dataSync(), [N, 3]);
    const inJs = new FBetaAccumulator({ samplesAverage: true }).update(t2, p2).result().samples!;
    tf.dispose([t2, p2]);
    await tf.setBackend(TENSOR_ROUTE_BACKEND);
    tf.dispose([t, p]);
    expect(Math.abs(onTensors - inJs) / inJs).toBeLessThan(1e-12);
  });
});
