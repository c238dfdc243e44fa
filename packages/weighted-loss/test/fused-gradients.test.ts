import * as fc from 'fast-check';
import * as tf from '@tensorflow/tfjs-core';
import { sampleWeights } from '@tfjs-imbalance/weight-schemes';
import { binaryCrossEntropy, weightedBinaryCrossentropy, weightedBinaryFocalCrossentropy } from '@tfjs-imbalance/weighted-loss';
import { elementwiseFocal } from '../src/focal-loss';

// The loss classes compute their gradient in closed form (tf.customGrad); these
// properties check it against tfjs' autodiff of the plain element-wise formulas.
const C = 3;
const data = fc.record({
  rows: fc.array(
    fc.tuple(fc.array(fc.constantFrom(0, 1), { minLength: C, maxLength: C }), fc.array(fc.double({ min: -30, max: 30, noNaN: true }), { minLength: C, maxLength: C })),
    { minLength: 1, maxLength: 6 },
  ),
  classWeights: fc.array(fc.double({ min: 0.1, max: 5, noNaN: true }), { minLength: C, maxLength: C }),
  posWeight: fc.option(fc.array(fc.double({ min: 0.2, max: 6, noNaN: true }), { minLength: C, maxLength: C }), { nil: undefined }),
  combine: fc.constantFrom('sum' as const, 'mean' as const, 'max' as const),
  emptyRowWeight: fc.constantFrom(0, 1, 2.5),
  labelSmoothing: fc.constantFrom(0, 0.1),
});

const grad = (f: (x: tf.Tensor) => tf.Tensor, x: number[][]) =>
  tf.tidy(() => {
    const { value, grad: g } = tf.valueAndGrad((t: tf.Tensor) => f(t) as tf.Scalar)(tf.tensor2d(x));
    return { value: value.dataSync()[0]!, grad: Array.from(g.dataSync()) };
  });
const close = (a: number, b: number) => expect(Math.abs(a - b)).toBeLessThanOrEqual(1e-5 + 1e-4 * Math.abs(b));

describe('fused losses: closed-form gradients equal autodiff', () => {
  it('WeightedBinaryCrossentropy', () => {
    fc.assert(
      fc.property(data, (d) => {
        const y = d.rows.map((r) => r[0]);
        const x = d.rows.map((r) => r[1]);
        const args = { classWeights: d.classWeights, combine: d.combine, emptyRowWeight: d.emptyRowWeight, labelSmoothing: d.labelSmoothing };
        const loss = weightedBinaryCrossentropy(d.posWeight === undefined ? args : { ...args, posWeight: d.posWeight });
        const sw = sampleWeights(y, d.classWeights, { combine: d.combine, emptyRowWeight: d.emptyRowWeight });
        const target = y.map((r) => r.map((v) => v * (1 - d.labelSmoothing) + d.labelSmoothing / 2));
        const ours = grad((t) => tf.mean(loss(tf.tensor2d(y), t)), x);
        const ref = grad(
          (t) => binaryCrossEntropy(target, t, { weights: sw.map((w) => [w]), ...(d.posWeight ? { posWeight: d.posWeight } : {}), validate: false }),
          x,
        );
        loss.dispose();
        close(ours.value, ref.value);
        ours.grad.forEach((g, i) => close(g, ref.grad[i]!));
      }),
      { numRuns: 80 },
    );
  });

  it('WeightedBinaryFocalCrossentropy (both normalisations, with and without α)', () => {
    fc.assert(
      fc.property(data, fc.constantFrom(0, 0.5, 2), fc.constantFrom(-1, 0.25), fc.constantFrom('classes' as const, 'positives' as const), (d, gamma, alpha, normalizeBy) => {
        const y = d.rows.map((r) => r[0]);
        const x = d.rows.map((r) => r[1]);
        const args = { classWeights: d.classWeights, combine: d.combine, emptyRowWeight: d.emptyRowWeight, labelSmoothing: d.labelSmoothing, gamma, alpha, normalizeBy };
        const loss = weightedBinaryFocalCrossentropy(d.posWeight === undefined ? args : { ...args, posWeight: d.posWeight });
        const sw = sampleWeights(y, d.classWeights, { combine: d.combine, emptyRowWeight: d.emptyRowWeight });
        const target = y.map((r) => r.map((v) => v * (1 - d.labelSmoothing) + d.labelSmoothing / 2));
        const positives = y.flat().reduce<number>((a, b) => a + b, 0);
        const ours = grad((t) => tf.mean(loss(tf.tensor2d(y), t)), x);
        const ref = grad((t) => {
          const pw = d.posWeight === undefined ? undefined : tf.tensor1d(d.posWeight);
          const el = tf.mul(elementwiseFocal(tf.tensor2d(target), t, 'logits', gamma, alpha, 1e-7, pw), tf.tensor2d(sw.map((w) => [w])));
          return normalizeBy === 'classes' ? tf.mean(el) : tf.div(tf.sum(el), Math.max(positives, 1));
        }, x);
        loss.dispose();
        close(ours.value, ref.value);
        ours.grad.forEach((g, i) => close(g, ref.grad[i]!));
      }),
      { numRuns: 80 },
    );
  });

  it('keeps values and gradients finite at |logit| = 100 and leaks nothing', () => {
    const loss = weightedBinaryFocalCrossentropy({ classWeights: [1, 2, 3], posWeight: [2, 2, 2], gamma: 2, alpha: 0.25 });
    const before = tf.memory().numTensors;
    const r = grad((t) => tf.mean(loss(tf.tensor2d([[1, 0, 1]]), t)), [[100, -100, -100]]);
    expect(Number.isFinite(r.value)).toBe(true);
    expect(r.grad.every(Number.isFinite)).toBe(true);
    expect(tf.memory().numTensors).toBe(before);
    loss.dispose();
  });
});
