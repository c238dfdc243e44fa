// The float64 audit's reproductions (issue 19), each against its float64 value within 1e-4 relative, on cpu and
// on wasm, whose log1p kernel is log(1 + x) (WebGL's too).
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import {
  asymmetricLoss,
  binaryCrossEntropy,
  logitAdjustedCrossEntropy,
  softmaxCrossEntropy,
  weightedBinaryCrossentropy,
  weightedBinaryFocalCrossentropy,
  weightedCategoricalCrossentropy,
  type WeightedLoss,
} from '@tfjs-imbalance/weighted-loss';

const near = (got: number, want: number) => expect(Math.abs(got - want)).toBeLessThanOrEqual(1e-4 * Math.abs(want));
const scalar = (f: () => tf.Tensor) => tf.tidy(() => f().dataSync()[0]!);
const sigmoid = (v: number) => 1 / (1 + Math.exp(-v));
const gradAt = (f: (t: tf.Tensor) => tf.Tensor, x: number) => tf.tidy(() => tf.grad((t: tf.Tensor) => tf.sum(f(t)) as tf.Scalar)(tf.tensor2d([[x]])).dataSync()[0]!);

describe.each(['cpu', 'wasm'])('on %s', (backend) => {
  beforeAll(async () => {
    expect(await tf.setBackend(backend)).toBe(true);
  });
  afterAll(async () => {
    await tf.setBackend('cpu');
  });

  describe('the softmax family in its stable form, (x − max) − log Σ exp(x − max)', () => {
    it('ln 2 for two equal large logits (was 0.693359)', () => {
      near(scalar(() => softmaxCrossEntropy([0], [[1e4, 1e4]])), Math.LN2);
    });

    it('a confident right answer keeps its small loss (was 24% off)', () => {
      near(scalar(() => softmaxCrossEntropy([1], [[-100, -88, -100]])), Math.log1p(2 * Math.exp(-12)));
      const loss = weightedCategoricalCrossentropy({ numClasses: 3 });
      near(scalar(() => loss(tf.tensor2d([[0, 1, 0]]), tf.tensor2d([[-100, -88, -100]]))), Math.log1p(2 * Math.exp(-12)));
      loss.dispose();
    });

    it('the logit adjustment survives next to large logits (was 0 for 2.2e-4)', () => {
      const want = Math.log1p(1 / 4510);
      near(scalar(() => logitAdjustedCrossEntropy([1], [[-1e4, -1e4]], { counts: [1, 4510] })), want);
      const loss = weightedCategoricalCrossentropy({ numClasses: 2, logitAdjustment: { counts: [1, 4510] } });
      near(scalar(() => loss(tf.tensor2d([[0, 1]]), tf.tensor2d([[-1e4, -1e4]]))), want);
      loss.dispose();
    });
  });

  describe('the BCE gradient in its stable form, (1 − y)·σ(x) − p·y·σ(−x)', () => {
    it('a confident right positive keeps its small gradient, with and without pos_weight (was 0, and −4.77e-7 for −3.31e-7)', () => {
      for (const pw of [1, 8]) {
        const want = -pw * sigmoid(-17);
        near(gradAt((t) => binaryCrossEntropy([[1]], t, { posWeight: [pw], reduction: 'sum' }), 17), want);
        const loss = weightedBinaryCrossentropy({ classWeights: [1], posWeight: [pw] });
        near(gradAt((t) => loss(tf.tensor2d([[1]]), t), 17), want);
        loss.dispose();
      }
    });

    it('and a confident right negative', () => {
      near(gradAt((t) => binaryCrossEntropy([[0]], t, { reduction: 'sum' }), -17), sigmoid(-17));
    });
  });

  it('int32 labels and predictions are accepted by the loss classes, as by the functional forms (wasm threw "must be float32")', () => {
    const multiHot = [[1, 0, 1]];
    const oneHot = [[0, 0, 1]];
    const x = [[2, -1, 0]];
    const cases: [WeightedLoss, number[][]][] = [
      [weightedBinaryCrossentropy({ numClasses: 3 }), multiHot],
      [weightedBinaryFocalCrossentropy({ numClasses: 3 }), multiHot],
      [asymmetricLoss({ numClasses: 3 }), multiHot],
      [weightedCategoricalCrossentropy({ numClasses: 3 }), oneHot],
    ];
    for (const [loss, labels] of cases) {
      const f = scalar(() => loss(tf.tensor2d(labels), tf.tensor2d(x)));
      const i = scalar(() => loss(tf.tensor2d(labels, undefined, 'int32'), tf.tensor2d(x, undefined, 'int32')));
      expect(i).toBeCloseTo(f, 6);
      loss.dispose();
    }
  });
});
