import * as fc from 'fast-check';
import * as tf from '@tensorflow/tfjs-core';
import {
  ClassCounter,
  EmptyInputError,
  InvalidCountError,
  NonFiniteValueError,
  OutOfRangeError,
  ShapeMismatchError,
  countIndices,
  countMultiHot,
  countOneHot,
  countStream,
  mergeCounts,
} from '@tfjs-imbalance/weight-schemes';

const multiHot = (C: number) => fc.array(fc.array(fc.constantFrom(0, 1), { minLength: C, maxLength: C }), { minLength: 1, maxLength: 30 });

describe('countMultiHot', () => {
  it('counts positives per class, samples and empty rows', () => {
    expect(countMultiHot([[1, 0, 1], [0, 0, 1], [0, 0, 0]])).toEqual({ positives: [1, 0, 2], samples: 3, emptyRows: 1 });
  });

  it('reads typed-array rows, flat buffers and tensors alike', () => {
    const rows = [Float32Array.of(1, 0), Float32Array.of(1, 1)];
    const flat = { data: [1, 0, 1, 1], shape: [2, 2] as [number, number] };
    const t = tf.tensor2d([[1, 0], [1, 1]]);
    const expected = { positives: [2, 1], samples: 2, emptyRows: 0 };
    expect(countMultiHot(rows)).toEqual(expected);
    expect(countMultiHot(flat)).toEqual(expected);
    expect(countMultiHot(t)).toEqual(expected);
    t.dispose();
  });

  it('counts a label ≥ 0.5 as positive (smoothed labels)', () => {
    expect(countMultiHot([[0.95, 0.05]]).positives).toEqual([1, 0]);
  });

  it.each([
    ['empty', [], EmptyInputError, 'got 0 rows'],
    ['ragged', [[1, 0], [1]], ShapeMismatchError, 'row 1 has length 1 but row 0 has length 2'],
    ['NaN', [[1, Number.NaN]], NonFiniteValueError, 'row 0, column 1 is NaN'],
    ['out of range', [[2, 0]], OutOfRangeError, 'must lie in [0, 1]'],
    ['indices', [0, 1, 2], ShapeMismatchError, 'For class indices use the index-based function'],
  ])('rejects %s labels', (_, labels, Err, fragment) => {
    expect(() => countMultiHot(labels as number[][])).toThrow(Err);
    expect(() => countMultiHot(labels as number[][])).toThrow(fragment);
  });

  it('rejects a rank-1 tensor with its shape in the message', () => {
    const t = tf.tensor1d([0, 1]);
    expect(() => countMultiHot(t)).toThrow('got shape [2]');
    t.dispose();
  });
});

describe('countOneHot and countIndices', () => {
  it('agree on single-label data', () => {
    const idx = [0, 2, 2, 1, 2];
    const oneHot = idx.map((k) => [0, 1, 2, 3].map((j) => (j === k ? 1 : 0)));
    expect(countIndices(idx, 4)).toEqual({ positives: [1, 1, 3, 0], samples: 5, emptyRows: 0 });
    expect(countOneHot(oneHot)).toEqual(countIndices(idx, 4));
  });

  it('rejects a one-hot row with two positives', () => {
    expect(() => countOneHot([[1, 1]])).toThrow("row 0 has 2 positive labels but one-hot rows need exactly 1. For multi-label data use format 'multi-hot'.");
  });

  it.each([
    [[0, 5], 3, OutOfRangeError, 'index 1 is 5'],
    [[0, 1.5], 3, OutOfRangeError, 'whole numbers in [0, 3)'],
    [[Number.NaN], 3, NonFiniteValueError, 'index 0 is number NaN'],
    [[], 3, EmptyInputError, 'got 0 class indices'],
    [[0], 0, InvalidCountError, 'numClasses: must be a whole number ≥ 1, got number 0'],
  ])('rejects indices %j with C=%d', (idx, C, Err, fragment) => {
    expect(() => countIndices(idx, C)).toThrow(Err);
    expect(() => countIndices(idx, C)).toThrow(fragment);
  });
});

describe('mergeCounts', () => {
  it('shards counted separately sum to counting everything at once (property)', () => {
    fc.assert(
      fc.property(multiHot(4), multiHot(4), (a, b) => {
        expect(mergeCounts(countMultiHot(a), countMultiHot(b))).toEqual(countMultiHot([...a, ...b]));
      }),
    );
  });

  it('rejects counts over different classes', () => {
    expect(() => mergeCounts(countMultiHot([[1, 0]]), countMultiHot([[1, 0, 0]]))).toThrow(
      'has 3 classes but this counter has 2',
    );
  });

  it('rejects impossible counts', () => {
    expect(() => mergeCounts({ positives: [3], samples: 2, emptyRows: 0 })).toThrow('is 3 but there are only 2 samples');
    expect(() => mergeCounts({ positives: [-1], samples: 2, emptyRows: 0 })).toThrow(InvalidCountError);
    expect(() => mergeCounts()).toThrow(EmptyInputError);
  });
});

describe('countStream', () => {
  const batches = [[[1, 0], [0, 0]], [[1, 1]]];
  const expected = { positives: [2, 1], samples: 3, emptyRows: 1 };

  it('reads arrays, generators and async generators without holding the data', async () => {
    function* gen() {
      yield* batches;
    }
    async function* agen() {
      yield* batches;
    }
    expect(await countStream(batches)).toEqual(expected);
    expect(await countStream(gen())).toEqual(expected);
    expect(await countStream(agen())).toEqual(expected);
  });

  it('reads a tf.data-style dataset of {xs, ys} and disposes its batches', async () => {
    const before = tf.memory().numTensors;
    let i = 0;
    const dataset = {
      iterator: async () => ({
        next: async () =>
          i < batches.length
            ? { done: false as const, value: { xs: tf.ones([batches[i]!.length, 3]), ys: tf.tensor2d(batches[i++]!) } }
            : { done: true as const, value: undefined },
      }),
    };
    expect(await countStream(dataset)).toEqual(expected);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('reads a dataset of [xs, ys] batches (what tf.data.zip and fitDataset take) and disposes them; a batch of two label rows stays labels', async () => {
    const before = tf.memory().numTensors;
    let i = 0;
    const dataset = {
      iterator: async () => ({
        next: async () =>
          i < batches.length ? { done: false as const, value: [tf.ones([batches[i]!.length, 3]), tf.tensor2d(batches[i++]!)] } : { done: true as const, value: undefined },
      }),
    };
    expect(await countStream(dataset)).toEqual(expected);
    expect(tf.memory().numTensors).toBe(before);
    // Two plain rows of labels are not an [xs, ys] pair.
    expect(await countStream([[[1, 0], [0, 1]]])).toEqual({ positives: [1, 1], samples: 2, emptyRows: 0 });
  });

  it('equals countMultiHot over the concatenated batches (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(multiHot(3), { minLength: 1, maxLength: 5 }), async (bs) => {
        expect(await countStream(bs)).toEqual(countMultiHot(bs.flat()));
      }),
    );
  });

  it('counts class indices with numClasses', async () => {
    expect(await countStream([[0, 1], [1]], { format: 'indices', numClasses: 3 })).toEqual({
      positives: [1, 2, 0],
      samples: 3,
      emptyRows: 0,
    });
    await expect(countStream([[0, 1]], { format: 'indices' })).rejects.toThrow('is required with format');
  });

  it('rejects an empty stream, an unknown option and a non-iterable', async () => {
    await expect(countStream([])).rejects.toThrow(EmptyInputError);
    await expect(countStream(batches, { numClases: 2 } as never)).rejects.toThrow('unknown option "numClases"');
    await expect(countStream(42 as never)).rejects.toThrow('expected an iterable');
  });

  it('the ClassCounter holds only C + 2 numbers', () => {
    const c = new ClassCounter(2).update([[1, 0]]).update([[1, 1]]);
    expect(c.result()).toEqual({ positives: [2, 1], samples: 2, emptyRows: 0 });
  });
});
