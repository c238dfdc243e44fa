import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { OutOfRangeError } from '@tfjs-imbalance/weight-schemes';
import { countMultiHot } from '@tfjs-imbalance/weight-schemes';
import { asymmetricLoss, binaryCrossEntropy, distributionBalancedLoss, softmaxCrossEntropy, weightedBinaryCrossentropy, weightedCategoricalCrossentropy, type WeightedLoss } from '@tfjs-imbalance/weighted-loss';
import { overrideRoutes } from '../src/internal';

/** Fits 1 epoch with the loss and no callback; returns the error, if any, and the tensors left over. */
async function fitWith(loss: WeightedLoss, y: number[][] | number[], units: number): Promise<{ error: unknown; leaked: number }> {
  const before = tf.memory().numTensors;
  const model = tfl.sequential({ layers: [tfl.layers.dense({ units, inputShape: [2] })] });
  const optimizer = tf.train.sgd(0.1);
  model.compile({ optimizer, loss });
  const x = tf.ones([y.length, 2]);
  const yt = Array.isArray(y[0]) ? tf.tensor2d(y as number[][]) : tf.tensor1d(y as number[]);
  let error: unknown;
  try {
    await model.fit(x, yt, { epochs: 1, batchSize: 2, verbose: 0 });
  } catch (e) {
    error = e;
  }
  model.dispose();
  optimizer.dispose();
  tf.dispose([x, yt]);
  return { error, leaked: tf.memory().numTensors - before };
}

describe('the loss classes check label values in fit, with no callback attached', () => {
  it.each([
    ['a label of 2', [[0, 1], [2, 0]]],
    ['a label of −1', [[0, 1], [1, 0], [-1, 0]]],
    ['a NaN label', [[Number.NaN, 1]]],
  ])('multi-hot: %s stops fit with an error naming yTrue', async (_what, y) => {
    const loss = weightedBinaryCrossentropy({ numClasses: 2 });
    const { error, leaked } = await fitWith(loss, y, 2);
    expect(error).toBeInstanceOf(OutOfRangeError);
    expect((error as Error).message).toMatch(/^yTrue: the labels of the batch in call \d+ of this loss \(shape \[\d, 2\]\) hold NaN or values outside the label range \(\[0, 1\] for multi-hot labels\)/);
    // tfjs' fit itself leaves its batch tensors behind when a loss throws; the loss leaks nothing of its own.
    expect(leaked).toBeLessThan(20);
    loss.dispose();
  });

  it('categorical: a one-hot value of 2 stops fit', async () => {
    const loss = weightedCategoricalCrossentropy({ numClasses: 3 });
    const { error } = await fitWith(loss, [[0, 0, 1], [2, 0, 0]], 3);
    expect(error).toBeInstanceOf(OutOfRangeError);
    expect((error as Error).message).toContain('whole class indices in [0, 2], or one-hot or soft rows of values in [0, 1] that sum to 1');
    loss.dispose();
  });

  it('categorical: a label row that does not sum to 1 stops fit (it would scale its loss); soft rows train', async () => {
    const loss = weightedCategoricalCrossentropy({ numClasses: 3 });
    const { error } = await fitWith(loss, [[0, 0, 1], [0.5, 0.6, 0]], 3);
    expect(error).toBeInstanceOf(OutOfRangeError);
    expect((error as Error).message).toContain('that sum to 1');
    const soft = await fitWith(loss, [[0, 0, 1], [0.3, 0.7, 0]], 3);
    expect(soft.error).toBeUndefined();
    loss.dispose();
  });

  it.each([
    ['an index out of range', [0, 3]],
    ['a fractional index', [0, 1.5]],
    ['a negative index', [-1, 0]],
  ])('categorical, class indices: %s is rejected (it used to give a loss of 0, or truncate)', (_what, y) => {
    const loss = weightedCategoricalCrossentropy({ numClasses: 3 });
    const before = tf.memory().numTensors;
    const [yt, x] = [tf.tensor1d(y), tf.zeros([2, 3])];
    expect(() => loss(yt, x)).toThrow(OutOfRangeError);
    tf.dispose([yt, x]);
    expect(tf.memory().numTensors).toBe(before);
    loss.dispose();
  });

  it('valid labels train as before; validateLabels: false skips the check', async () => {
    const ok = weightedBinaryCrossentropy({ numClasses: 2 });
    expect((await fitWith(ok, [[0, 1], [1, 0]], 2)).error).toBeUndefined();
    ok.dispose();
    const unchecked = weightedBinaryCrossentropy({ numClasses: 2, validateLabels: false });
    expect((await fitWith(unchecked, [[0, 1], [2, 0]], 2)).error).toBeUndefined();
    unchecked.dispose();
    expect(() => weightedBinaryCrossentropy({ numClasses: 2, validateLabels: 'yes' as never })).toThrow('args.validateLabels: must be true or false');
  });
});

describe('tiny losses keep their relative precision in float32 (PyTorch’s stable form)', () => {
  it.each([
    ['y = 0, x = −16', 0, -16],
    ['y = 1, x = 16', 1, 16],
    ['y = 0, x = −30', 0, -30],
  ])('%s', (_what, y, x) => {
    const expected = Math.log1p(Math.exp(-Math.abs(x)));
    const fn = tf.tidy(() => binaryCrossEntropy([[y]], [[x]], { reduction: 'none' }).dataSync()[0]!);
    const loss = weightedBinaryCrossentropy({ numClasses: 1 });
    const cls = tf.tidy(() => loss(tf.tensor2d([[y]]), tf.tensor2d([[x]])).dataSync()[0]!);
    const withPw = tf.tidy(() => binaryCrossEntropy([[y]], [[x]], { posWeight: [3], reduction: 'none' }).dataSync()[0]!);
    loss.dispose();
    expect(Math.abs(fn - expected) / expected).toBeLessThan(1e-5);
    expect(Math.abs(cls - expected) / expected).toBeLessThan(1e-5);
    expect(Math.abs(withPw - (y === 1 ? 3 : 1) * expected) / expected).toBeLessThan(1e-5);
  });

  it('rejects epsilon 0 and computes integer logits in float32', () => {
    expect(() => binaryCrossEntropy([[1]], [[0.5]], { from: 'probabilities', epsilon: 0 })).toThrow('args.epsilon: must lie in (0, 0.5), got 0');
    const asInt = tf.tidy(() => binaryCrossEntropy([[1, 0]], tf.tensor2d([[1, 2]], [1, 2], 'int32')).dataSync()[0]!);
    const asFloat = tf.tidy(() => binaryCrossEntropy([[1, 0]], [[1, 2]]).dataSync()[0]!);
    expect(asInt).toBeCloseTo(asFloat, 6);
  });
});

describe('softmaxCrossEntropy with [N, C] labels', () => {
  it('accepts soft labels, rejects values outside [0, 1] and rows that do not sum to 1', () => {
    const soft = tf.tidy(() => softmaxCrossEntropy([[0.3, 0.7]], [[1, 2]]).dataSync()[0]!);
    const lse = Math.log(Math.exp(1) + Math.exp(2));
    expect(soft).toBeCloseTo(-(0.3 * (1 - lse) + 0.7 * (2 - lse)), 5);
    expect(() => softmaxCrossEntropy([[2, 0, 0]], [[1, 2, 3]])).toThrow('yTrue: value at row 0, column 0 of shape [1, 3] is 2');
    expect(() => softmaxCrossEntropy([[0, 0, 0]], [[1, 2, 3]])).toThrow('yTrue: row 0 of shape [1, 3] sums to 0');
  });

  it("gives no NaN: 'weighted-mean' with zero weights is an error, a zero row of probabilities is clipped", () => {
    expect(() => softmaxCrossEntropy([0], [[1, 2]], { classWeights: [0, 1], reduction: 'weighted-mean' })).toThrow('classWeights: give every sample of this batch a weight of 0');
    const v = tf.tidy(() => softmaxCrossEntropy([0], [[0, 0]], { from: 'probabilities' }).dataSync()[0]!);
    expect(Number.isFinite(v)).toBe(true);
  });
});

describe('the label checks of large batches on wasm and tfjs-node run on the device (one read of two numbers)', () => {
  // overrideRoutes('wasm') takes wasm's route (cheap reads, not cpu) while the kernels run on cpu here.
  const big = 4096 * 20; // ≥ 65,536 labels: the device route
  const rows = (v: number, at: number) => {
    const d = new Float32Array(big).map((_, i) => (i % 7 === 0 ? 1 : 0));
    d[at] = v;
    return tf.tensor2d(d, [4096, 20]);
  };
  beforeAll(() => overrideRoutes('wasm'));
  afterAll(() => overrideRoutes(undefined));

  it.each([
    ['a label of 2', 2],
    ['a label of −0.5', -0.5],
    ['a NaN label', Number.NaN],
  ])('%s throws the same error as the JS check, at once', (_, v) => {
    const loss = weightedBinaryCrossentropy({ numClasses: 20 });
    const y = rows(v, 12345);
    const x = tf.zeros([4096, 20]);
    expect(() => tf.tidy(() => loss(y, x))).toThrow(/^yTrue: the labels of the batch in call 1 of this loss \(shape \[4096, 20\]\) hold NaN or values outside the label range/);
    tf.dispose([y, x]);
    loss.dispose();
  });

  it('ASL and DB tell 0/1 labels from soft ones there too: the same values as the cpu route, for both', () => {
    for (const soft of [false, true]) {
      const y = rows(soft ? 0.3 : 1, 5);
      const x = tf.randomNormal([4096, 20], 0, 2, 'float32', 3);
      for (const make of [() => asymmetricLoss({ numClasses: 20 }), () => distributionBalancedLoss({ counts: countMultiHot(y) })]) {
        const loss = make();
        const onDevice = tf.tidy(() => tf.mean(loss(y, x)).dataSync()[0]!);
        overrideRoutes(undefined);
        const inJs = tf.tidy(() => tf.mean(loss(y, x)).dataSync()[0]!);
        overrideRoutes('wasm');
        expect(Math.abs(onDevice - inJs)).toBeLessThan(1e-5 * Math.abs(inJs));
        loss.dispose();
      }
      tf.dispose([y, x]);
    }
  });
});
