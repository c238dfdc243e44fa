import fc from 'fast-check';
import { descendingOrder } from '../src/descending-order';

const comparatorSort = (scores: ArrayLike<number>, idx: ArrayLike<number>) => Array.from(idx).sort((a, b) => scores[b]! - scores[a]!);

describe('descendingOrder', () => {
  it('equals the stable comparator sort on float32 scores, ties, ±0, subnormals and extremes included (property)', () => {
    const special = fc.constantFrom(0, -0, 1e-45, -1e-45, 3.4e38, -3.4e38, 0.5, -0.5);
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.float({ noNaN: true, noDefaultInfinity: true }), special), { maxLength: 300 }), fc.boolean(), (values, subset) => {
        const scores = Float32Array.from(values);
        const idx = Int32Array.from({ length: scores.length }, (_, i) => i).filter((i) => !subset || i % 3 !== 1);
        expect(Array.from(descendingOrder(scores, idx))).toEqual(comparatorSort(scores, idx));
      }),
      { numRuns: 300 },
    );
  });

  it('takes the comparator sort for float64 scores, which float32 keys would round', () => {
    const scores = [1 + 2 ** -40, 1, 1 + 2 ** -41];
    expect(Array.from(descendingOrder(scores, [0, 1, 2]))).toEqual([0, 2, 1]);
  });
});
