import * as fc from 'fast-check';
import * as tf from '@tensorflow/tfjs-core';
import {
  AsymmetricLoss,
  DistributionBalancedLoss,
  WeightedBinaryCrossentropy,
  WeightedBinaryFocalCrossentropy,
  WeightedCategoricalCrossentropy,
  binaryCrossEntropy,
  logitAdjustedCrossEntropy,
  sigmoidAsymmetricLoss,
  sigmoidDistributionBalancedLoss,
  sigmoidFocalLoss,
  softmaxCrossEntropy,
  type WeightedLoss,
} from '@tfjs-imbalance/weighted-loss';
import { asymmetricElements, distributionBalancedElements, fusedAsymmetricRows, fusedDistributionBalancedRows, fusedFocalRows } from './tensor-route-ops';

// A valid input never gives NaN or Infinity, in the value or the gradient: logits up to ±1e30
// (beyond that a true loss of |x|·posWeight or a batch sum exceeds float32's 3.4e38, and
// Infinity is then the right float32 answer), labels at 0, 1 or anywhere between (soft),
// probabilities at exactly 0 and 1, and every parameter in its documented range.
const BIG = Math.fround(1e30);
const N = 4;
const C = 3;
const logit = fc.oneof(
  fc.float({ min: -BIG, max: BIG, noNaN: true }),
  fc.float({ min: -120, max: 120, noNaN: true }),
  fc.constantFrom(0, -0, 1e-30, -1e-30, 14, -14, 88, -88, 104, -104, 745, -745, BIG, -BIG),
);
const prob = fc.oneof(fc.float({ min: 0, max: 1, noNaN: true }), fc.constantFrom(0, 1, Math.fround(1e-30), 1 - 2 ** -24));
const hard = fc.constantFrom(0, 1);
const soft = fc.oneof(hard, fc.float({ min: 0, max: 1, noNaN: true }));
const matrix = <T>(arb: fc.Arbitrary<T>) => fc.array(fc.array(arb, { minLength: C, maxLength: C }), { minLength: N, maxLength: N });
const counts = fc.array(fc.integer({ min: 1, max: 10_000 }), { minLength: C, maxLength: C });

/** The value and d/dx of `f` at `x`, as plain numbers. */
function valueAndGrad(f: (x: tf.Tensor) => tf.Tensor, x: number[][]): number[] {
  return tf.tidy(() => {
    const { value, grad } = tf.valueAndGrad((t: tf.Tensor) => tf.sum(f(t)) as tf.Scalar)(tf.tensor2d(x));
    return [...value.dataSync(), ...grad.dataSync()];
  });
}

function expectFinite(values: number[], what: unknown): void {
  const bad = values.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0) throw new Error(`value ${bad} is ${values[bad]} for ${JSON.stringify(what)}`);
}

/** Runs the loss class on (y, x) and checks value and gradient, then disposes it. */
function checkClass(loss: WeightedLoss, y: number[][] | number[], x: number[][], what: unknown): void {
  try {
    const yt = Array.isArray(y[0]) ? tf.tensor2d(y as number[][]) : tf.tensor1d(y as number[]);
    try {
      expectFinite(valueAndGrad((t) => loss(yt, t), x), what);
    } finally {
      yt.dispose();
    }
  } finally {
    loss.dispose();
  }
}

const runs = { numRuns: 150 };

describe('a valid input never gives NaN (property)', () => {
  it('binary cross-entropy: functional and class, logits and probabilities, with posWeight', () => {
    fc.assert(
      fc.property(matrix(logit), matrix(prob), matrix(soft), counts, fc.constantFrom('sum' as const, 'mean' as const, 'max' as const), (x, p, y, n, combine) => {
        const what = { x, p, y, n, combine };
        const posWeight = n.map((v) => 10_000 / v);
        expectFinite(valueAndGrad((t) => binaryCrossEntropy(y, t, { posWeight }), x), what);
        expectFinite(valueAndGrad((t) => binaryCrossEntropy(y, t, { from: 'probabilities' }), p), what);
        const hardY = y.map((r) => r.map((v) => (v >= 0.5 ? 1 : 0)));
        checkClass(new WeightedBinaryCrossentropy({ counts: n, scheme: 'ins', combine, posWeight, labelSmoothing: 0.1 }), hardY, x, what);
        checkClass(new WeightedBinaryCrossentropy({ counts: n, scheme: 'isns', from: 'probabilities' }), hardY, p, what);
      }),
      runs,
    );
  });

  it('focal: functional, class (JS and tf routes), soft targets, every γ and α', () => {
    fc.assert(
      fc.property(matrix(logit), matrix(prob), matrix(soft), fc.constantFrom(0, 0.5, 2, 5), fc.constantFrom(-1, 0, 0.25, 1), (x, p, y, gamma, alpha) => {
        const what = { x, p, y, gamma, alpha };
        expectFinite(valueAndGrad((t) => sigmoidFocalLoss(y, t, { gamma, alpha }), x), what);
        expectFinite(valueAndGrad((t) => sigmoidFocalLoss(y, t, { gamma, alpha, from: 'probabilities' }), p), what);
        const scale = tf.ones([N, 1]);
        try {
          expectFinite(valueAndGrad((t) => fusedFocalRows(t, () => ({ y: tf.tensor2d(y), scale }), gamma, alpha), x), what);
        } finally {
          scale.dispose();
        }
        const hardY = y.map((r) => r.map((v) => (v >= 0.5 ? 1 : 0)));
        checkClass(new WeightedBinaryFocalCrossentropy({ numClasses: C, gamma, alpha, labelSmoothing: 0.2, normalizeBy: 'positives' }), hardY, x, what);
      }),
      runs,
    );
  });

  it('Distribution-Balanced and asymmetric losses: functional and class', () => {
    fc.assert(
      fc.property(matrix(logit), matrix(hard), counts, fc.boolean(), fc.constantFrom(0, 0.05, 0.2), fc.boolean(), (x, y, n, focal, clip, detachFocusing) => {
        const what = { x, y, n, focal, clip, detachFocusing };
        const trainNum = Math.max(...n) + 1 + n.reduce((a, b) => a + b, 0);
        expectFinite(valueAndGrad((t) => sigmoidDistributionBalancedLoss(y, t, { counts: n, trainNum, focal }), x), what);
        expectFinite(valueAndGrad((t) => sigmoidAsymmetricLoss(y, t, { clip, detachFocusing }), x), what);
        // The tensor route (wasm, WebGL), with and without a margin.
        const params = { gammaNeg: 4, gammaPos: 1, clip, epsilon: 1e-8, detachFocusing };
        const scale = tf.ones([N, 1]);
        try {
          expectFinite(valueAndGrad((t) => fusedAsymmetricRows(t, () => ({ y: tf.tensor2d(y), scale }), params), x), what);
          expectFinite(valueAndGrad((t) => fusedAsymmetricRows(t, () => ({ y: tf.tensor2d(y), scale }), params, true), x), what);
          expectFinite(valueAndGrad((t) => asymmetricElements(tf.tensor2d(y), t, params), x), what);
          const db = { alpha: 0.1, beta: 10, mu: 0.2, lambda: 2, gamma: 2, balance: 2, focal };
          const inverse = n.map((v) => 1 / v);
          const bias = n.map((v) => -0.05 * Math.log(trainNum / v - 1));
          for (const binary of [true, false]) {
            expectFinite(valueAndGrad((t) => fusedDistributionBalancedRows(t, () => ({ y: tf.tensor2d(y), scale }), db, { inverse: tf.tensor1d(inverse), bias: tf.tensor1d(bias) }, binary), x), what);
          }
          expectFinite(valueAndGrad((t) => distributionBalancedElements(tf.tensor2d(y), t, db, { inverse: tf.tensor1d(inverse), bias: tf.tensor1d(bias) }), x), what);
        } finally {
          scale.dispose();
        }
        checkClass(new DistributionBalancedLoss({ focal, counts: { positives: n, samples: trainNum, emptyRows: 0 } }), y, x, what);
        checkClass(new AsymmetricLoss({ numClasses: C, clip }), y, x, what);
      }),
      runs,
    );
  });

  it('softmax cross-entropy and logit adjustment: indices, soft rows, probabilities with zeros', () => {
    fc.assert(
      fc.property(matrix(logit), matrix(prob), fc.array(fc.integer({ min: 0, max: C - 1 }), { minLength: N, maxLength: N }), counts, fc.constantFrom(0, 1, 2), (x, p, labels, n, tau) => {
        const what = { x, p, labels, n, tau };
        const rows = p.map((r) => (r.some((v) => v > 0) ? r : [1, ...r.slice(1)]));
        const softRows = rows.map((r) => {
          const s = r.reduce((a, b) => a + b, 0);
          return r.map((v) => v / s);
        });
        expectFinite(valueAndGrad((t) => softmaxCrossEntropy(labels, t, { classWeights: n.map((v) => 1 / v) }), x), what);
        expectFinite(valueAndGrad((t) => softmaxCrossEntropy(labels, t, { from: 'probabilities' }), p), what);
        expectFinite(valueAndGrad((t) => logitAdjustedCrossEntropy(labels, t, { counts: n, tau }), x), what);
        checkClass(new WeightedCategoricalCrossentropy({ counts: n, scheme: 'ins', logitAdjustment: { counts: n, tau } }), labels, x, what);
        checkClass(new WeightedCategoricalCrossentropy({ numClasses: C, from: 'probabilities' }), softRows, p, what);
      }),
      runs,
    );
  });
});
