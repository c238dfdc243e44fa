import * as fc from 'fast-check';
import * as tf from '@tensorflow/tfjs-core';
import { sampleWeights } from '@tfjs-imbalance/weight-schemes';
import { binaryCrossEntropy, sigmoidFocalLoss, weightedBinaryCrossentropy, weightedBinaryFocalCrossentropy } from '@tfjs-imbalance/weighted-loss';
import { fusedFocalRows } from './tensor-route-ops';

/** torchvision's sigmoid_focal_loss, transcribed op by op for tfjs' autodiff: ce·(1 − p_t)^γ·α_t with p_t = p·y + (1 − p)(1 − y). */
function torchvisionFocal(y: tf.Tensor, x: tf.Tensor, gamma: number, alpha: number, posWeight?: number[]): tf.Tensor {
  const ce = binaryCrossEntropy(y, x, { reduction: 'none', validate: false, ...(posWeight ? { posWeight } : {}) });
  const oneMinusPt = tf.add(tf.mul(tf.sigmoid(x), tf.sub(1, y)), tf.mul(tf.sigmoid(tf.neg(x)), y));
  const el = gamma === 0 ? ce : tf.mul(ce, tf.pow(oneMinusPt, gamma));
  return alpha < 0 ? el : tf.mul(el, tf.add(tf.mul(alpha, y), tf.mul(1 - alpha, tf.sub(1, y))));
}

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
          const el = tf.mul(torchvisionFocal(tf.tensor2d(target), t, gamma, alpha, d.posWeight), tf.tensor2d(sw.map((w) => [w])));
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

  it('computes soft-target focal as torchvision does, (1 − p_t)^γ, on every route', () => {
    // y = 0.3, x = 0.5, γ = 2: torchvision 0.2484; Cui et al.'s exp(−γ·(y·x + softplus(−x))), used before, gives 0.2365.
    const [y, x, gamma] = [0.3, 0.5, 2];
    const p = 1 / (1 + Math.exp(-x));
    const ce = -(y * Math.log(p) + (1 - y) * Math.log(1 - p));
    const expected = ce * (p * (1 - y) + (1 - p) * y) ** gamma;
    expect(expected).toBeCloseTo(0.2484, 4);
    expect(ce * Math.exp(-gamma * (y * x + Math.log1p(Math.exp(-x))))).toBeCloseTo(0.2365, 4);
    const functional = tf.tidy(() => sigmoidFocalLoss([[y]], [[x]], { gamma, reduction: 'none' }).dataSync()[0]!);
    const loss = weightedBinaryFocalCrossentropy({ numClasses: 1, gamma });
    const jsRoute = tf.tidy(() => loss(tf.tensor2d([[y]]), tf.tensor2d([[x]])).dataSync()[0]!);
    const scale = tf.ones([1, 1]);
    const tfRoute = tf.tidy(() => fusedFocalRows(tf.tensor2d([[x]]), () => ({ y: tf.tensor2d([[y]]), scale }), gamma, -1).dataSync()[0]!);
    scale.dispose();
    loss.dispose();
    for (const v of [functional, jsRoute, tfRoute]) expect(v).toBeCloseTo(expected, 6);
  });

  it('the tf route of the loss class (wasm, WebGL) has the same closed-form gradient as autodiff of torchvision’s formula', () => {
    fc.assert(
      fc.property(data, fc.constantFrom(0, 0.5, 2), fc.constantFrom(-1, 0.25), (d, gamma, alpha) => {
        const y = d.rows.map((r) => r[0].map((v) => v * (1 - d.labelSmoothing) + d.labelSmoothing / 2));
        const x = d.rows.map((r) => r[1]);
        const w = d.classWeights.slice(0, 1);
        const ours = grad((t) => {
          const pw = d.posWeight === undefined ? undefined : tf.tensor1d(d.posWeight);
          return tf.sum(fusedFocalRows(t, () => ({ y: tf.tensor2d(y), scale: tf.fill([y.length, 1], w[0]!) }), gamma, alpha, pw));
        }, x);
        const ref = grad((t) => tf.mul(tf.sum(torchvisionFocal(tf.tensor2d(y), t, gamma, alpha, d.posWeight)), w[0]!), x);
        close(ours.value, ref.value);
        ours.grad.forEach((g, i) => close(g, ref.grad[i]!));
      }),
      { numRuns: 60 },
    );
  });
});
