import * as fc from 'fast-check';
import * as tf from '@tensorflow/tfjs-core';
import { InvalidOptionError, NonFiniteValueError, OutOfRangeError, ShapeMismatchError } from '@tfjs-imbalance/weight-schemes';
import { binaryCrossEntropy, sigmoidFocalLoss, softmaxCrossEntropy, softmaxFocalLoss } from '@tfjs-imbalance/weighted-loss';

/** Nested arrays of zeros of a shape (arrays, so a rejected call leaves no tensor behind). */
const zeros = (shape: number[]): number[] => (shape.length === 1 ? new Array<number>(shape[0]!).fill(0) : (Array.from({ length: shape[0]! }, () => zeros(shape.slice(1))) as unknown as number[]));

const C = 4;
const row = (g: fc.Arbitrary<number>) => fc.array(g, { minLength: C, maxLength: C });
const batch = fc.array(
  fc.tuple(row(fc.constantFrom(0, 1)), row(fc.double({ min: -1e4, max: 1e4, noNaN: true }))),
  { minLength: 1, maxLength: 6 },
);
const read = (f: () => tf.Tensor) => tf.tidy(() => Array.from(f().dataSync()));

describe('binaryCrossEntropy and sigmoidFocalLoss (properties)', () => {
  it('are ≥ 0 and finite for any finite logits up to ±1e4, with finite gradients', () => {
    fc.assert(
      fc.property(batch, fc.constantFrom(0, 0.5, 2), (rows, gamma) => {
        const y = rows.map((r) => r[0]);
        const x = rows.map((r) => r[1]);
        for (const f of [
          (t: tf.Tensor) => binaryCrossEntropy(y, t, { posWeight: [1, 2, 3, 0.5], validate: false }),
          (t: tf.Tensor) => sigmoidFocalLoss(y, t, { gamma, alpha: 0.25, validate: false }),
        ]) {
          const [value, grad] = tf.tidy(() => {
            const { value, grad } = tf.valueAndGrad((t: tf.Tensor) => f(t) as tf.Scalar)(tf.tensor2d(x));
            return [value.dataSync()[0]!, Array.from(grad.dataSync())];
          });
          expect(Number.isFinite(value)).toBe(true);
          expect(value).toBeGreaterThanOrEqual(0);
          expect(grad.every(Number.isFinite)).toBe(true);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('weight 0 gives loss 0, and the per-sample mean is the element-wise mean over classes', () => {
    fc.assert(
      fc.property(batch, (rows) => {
        const y = rows.map((r) => r[0]);
        const x = rows.map((r) => r[1].map((v) => v / 100));
        expect(read(() => binaryCrossEntropy(y, x, { weights: 0, reduction: 'sum' }))[0]).toBe(0);
        const el = read(() => binaryCrossEntropy(y, x, { reduction: 'none' }));
        const perSample = read(() => binaryCrossEntropy(y, x, { reduction: 'per-sample' }));
        perSample.forEach((v, i) => expect(v).toBeCloseTo(el.slice(i * C, (i + 1) * C).reduce((a, b) => a + b, 0) / C, 4));
      }),
      { numRuns: 40 },
    );
  });

  it('stays exact at |logit| = 100 in float32 (no NaN or Infinity in values or gradients)', () => {
    const x = [[100, -100, 100, -100]];
    const y = [[1, 0, 0, 1]];
    const value = read(() => binaryCrossEntropy(y, x, { reduction: 'none' }));
    expect(value[0]).toBeLessThan(1e-40); // softplus(-100) ≈ 3.7e-44, as in PyTorch
    // Both correctly classified elements keep PyTorch's tiny log1p(exp(−100)), no longer cancelled to 0.
    expect(value[1]).toBeGreaterThan(0);
    expect(value[1]).toBeLessThan(1e-40);
    expect(value.slice(2)).toEqual([100, 100]);
    const grad = tf.tidy(() => Array.from(tf.grad((t: tf.Tensor) => binaryCrossEntropy(y, t, { reduction: 'sum' }))(tf.tensor2d(x)).dataSync()));
    grad.forEach((g, i) => expect(g).toBeCloseTo([0, 0, 1, -1][i]!, 12));
  });

  it('matches tf.losses.sigmoidCrossEntropy when unweighted', () => {
    const y = tf.tensor2d([[1, 0, 1], [0, 0, 1]]);
    const x = tf.tensor2d([[2, -1, 0.3], [5, -7, 1]]);
    const ours = read(() => binaryCrossEntropy(y, x));
    const theirs = read(() => tf.losses.sigmoidCrossEntropy(y, x));
    expect(ours[0]).toBeCloseTo(theirs[0]!, 6);
    tf.dispose([y, x]);
  });

  it('on probabilities, clips like tfjs-layers and agrees with the logits path', () => {
    const y = [[1, 0, 1]];
    const x = [[2, -1, 0.3]];
    const p = x.map((r) => r.map((v) => 1 / (1 + Math.exp(-v))));
    const a = read(() => binaryCrossEntropy(y, x, { posWeight: [2, 1, 3] }));
    const b = read(() => binaryCrossEntropy(y, p, { from: 'probabilities', posWeight: [2, 1, 3] }));
    expect(b[0]).toBeCloseTo(a[0]!, 5);
    expect(read(() => binaryCrossEntropy([[1]], [[0]], { from: 'probabilities' }))[0]).toBeCloseTo(-Math.log(1e-7), 3);
  });

  it('leaks no tensors', () => {
    const before = tf.memory().numTensors;
    tf.dispose([
      binaryCrossEntropy([[1, 0]], [[0.2, 0.1]], { weights: [[2], ], posWeight: [1, 2] } as never),
      sigmoidFocalLoss([[1, 0]], [[0.2, 0.1]]),
      softmaxCrossEntropy([1], [[0.2, 0.1]], { classWeights: [1, 2] }),
    ]);
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('bad input to the functional losses', () => {
  it('rejects an empty batch before any math', () => {
    const z = tf.zeros([0, 2]);
    const before = tf.memory().numTensors;
    expect(() => binaryCrossEntropy(z, z)).toThrow('yPred: is an empty batch (shape [0, 2]); pass at least one row.');
    expect(tf.memory().numTensors).toBe(before);
    z.dispose();
  });

  it.each([
    ['shape mismatch', () => binaryCrossEntropy([[1, 0]], [[0.1, 0.2, 0.3]]), ShapeMismatchError, 'yTrue: has shape [1, 2] but yPred has shape [1, 3]'],
    ['weights that do not broadcast', () => binaryCrossEntropy([[1, 0]], [[0.1, 0.2]], { weights: [1, 2, 3] }), ShapeMismatchError, 'weights: has shape [3], which does not broadcast to the predictions\' shape [1, 2]'],
    ['posWeight of the wrong length', () => binaryCrossEntropy([[1, 0]], [[0.1, 0.2]], { posWeight: [1, 2, 3] }), ShapeMismatchError, "posWeight: has shape [3], which does not broadcast to the predictions' shape [1, 2]"],
    ['posWeight of another batch size', () => binaryCrossEntropy([[1, 0]], [[0.1, 0.2]], { posWeight: [[1, 2], [3, 4]] }), ShapeMismatchError, "posWeight: has shape [2, 2], which does not broadcast to the predictions' shape [1, 2]"],
    ['per-position labels of another shape', () => binaryCrossEntropy(zeros([2, 3, 4]), zeros([2, 4, 4])), ShapeMismatchError, 'yTrue: has shape [2, 3, 4] but yPred has shape [2, 4, 4]'],
    ['per-position class indices of another shape', () => softmaxCrossEntropy(zeros([2, 4]), zeros([2, 3, 4])), ShapeMismatchError, 'yTrue: has shape [2, 4] but yPred has shape [2, 3, 4]; pass class indices [2, 3]'],
    ['ignoreIndex with one-hot rows', () => softmaxCrossEntropy([[0, 1]], [[0.1, 0.2]], { ignoreIndex: -1 }), ShapeMismatchError, 'ignoreIndex applies to class indices'],
    ['a fractional ignoreIndex', () => softmaxCrossEntropy([1], [[0.1, 0.2]], { ignoreIndex: 0.5 }), InvalidOptionError, 'args.ignoreIndex: must be a whole class index'],
    ['an α per class of the wrong length', () => softmaxFocalLoss([1], [[0.1, 0.2]], { alpha: [1, 2, 3] }), InvalidOptionError, 'args.alpha: has 3 values but yPred has 2 classes'],
    ['NaN logits', () => binaryCrossEntropy([[1, 0]], [[Number.NaN, 0.2]]), NonFiniteValueError, 'yPred: holds NaN at flat index 0'],
    ['labels outside [0, 1]', () => binaryCrossEntropy([[2, 0]], [[0.1, 0.2]]), OutOfRangeError, 'yTrue: holds 2 at flat index 0'],
    ['probabilities above 1', () => binaryCrossEntropy([[1, 0]], [[3, 0.2]], { from: 'probabilities' }), OutOfRangeError, "If these are logits, pass from: 'logits'"],
    ['negative weights', () => binaryCrossEntropy([[1, 0]], [[0.1, 0.2]], { weights: [-1, 1] }), OutOfRangeError, 'weights: holds -1'],
    ['an unknown reduction', () => binaryCrossEntropy([[1]], [[0.1]], { reduction: 'avg' as never }), InvalidOptionError, "args.reduction: must be one of 'none', 'mean', 'sum', 'per-sample'"],
    ['a misspelt option', () => binaryCrossEntropy([[1]], [[0.1]], { posweight: [1] } as never), InvalidOptionError, 'unknown option "posweight"'],
    ['γ < 0', () => sigmoidFocalLoss([[1]], [[0.1]], { gamma: -1 }), OutOfRangeError, 'args.gamma'],
    ['α > 1', () => sigmoidFocalLoss([[1]], [[0.1]], { alpha: 1.5 }), OutOfRangeError, 'args.alpha'],
    ['a class index out of range', () => softmaxCrossEntropy([3], [[0.1, 0.2]]), OutOfRangeError, 'class index 0 is 3; indices must be whole numbers in [0, 2)'],
    ['class weights of the wrong length', () => softmaxCrossEntropy([1], [[0.1, 0.2]], { classWeights: [1] }), ShapeMismatchError, 'classWeights: has shape [1] but needs one weight per class, [2]'],
  ])('rejects %s', (_, run, Err, fragment) => {
    const before = tf.memory().numTensors;
    expect(run).toThrow(Err);
    expect(run).toThrow(fragment);
    expect(tf.memory().numTensors).toBe(before);
  });
});
