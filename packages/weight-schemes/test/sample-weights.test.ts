import * as fc from 'fast-check';
import {
  InvalidOptionError,
  OutOfRangeError,
  ShapeMismatchError,
  posWeight,
  sampleWeightMatrix,
  sampleWeights,
} from '@tfjs-imbalance/weight-schemes';

const labels = [
  [1, 0, 1],
  [0, 0, 0],
  [0, 1, 0],
];
const w = [0.5, 1, 1.5];

describe('sampleWeights', () => {
  it('sums the class weights of positive labels (reference rule); empty rows get 1', () => {
    expect(sampleWeights(labels, w)).toEqual([2, 1, 1]);
  });

  it('reproduces the reference exactly with emptyRowWeight 0', () => {
    expect(sampleWeights(labels, w, { emptyRowWeight: 0 })).toEqual([2, 0, 1]);
  });

  it('supports mean and max combine rules', () => {
    expect(sampleWeights(labels, w, { combine: 'mean' })).toEqual([1, 1, 1]);
    expect(sampleWeights(labels, w, { combine: 'max' })).toEqual([1.5, 1, 1]);
  });

  it('mean ≤ max ≤ sum for every row (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.constantFrom(0, 1), { minLength: 4, maxLength: 4 }), { minLength: 1, maxLength: 20 }),
        fc.array(fc.double({ min: 0.01, max: 10, noNaN: true }), { minLength: 4, maxLength: 4 }),
        (y, cw) => {
          const s = sampleWeights(y, cw);
          const m = sampleWeights(y, cw, { combine: 'mean' });
          const x = sampleWeights(y, cw, { combine: 'max' });
          s.forEach((_, i) => {
            expect(m[i]!).toBeLessThanOrEqual(x[i]! + 1e-12);
            expect(x[i]!).toBeLessThanOrEqual(s[i]! + 1e-12);
          });
        },
      ),
    );
  });

  it('broadcasts to all columns in sampleWeightMatrix', () => {
    expect(sampleWeightMatrix(labels, w)).toEqual([[2, 2, 2], [1, 1, 1], [1, 1, 1]]);
  });

  it.each([
    [labels, [1, 2], {}, ShapeMismatchError, 'has 2 weights (shape [2]) but the labels have 3 classes (shape [N, 3])'],
    [labels, [1, -2, 1], {}, OutOfRangeError, 'classWeights[1]: must lie in [0, ∞), got -2'],
    [labels, [1, Number.POSITIVE_INFINITY, 1], {}, Error, 'classWeights[1]: expected a finite number'],
    [labels, w, { combine: 'median' }, InvalidOptionError, "options.combine: must be 'sum', 'mean' or 'max'"],
    [labels, w, { emptyRowWeight: -1 }, OutOfRangeError, 'options.emptyRowWeight'],
    [labels, w, { emptyRow: 0 }, InvalidOptionError, 'unknown option "emptyRow"'],
    [[[1, 0, 3]], w, {}, OutOfRangeError, 'label at row 0, column 2 is 3'],
  ])('rejects bad input %#', (y, cw, options, Err, fragment) => {
    const run = () => sampleWeights(y, cw, options as never);
    expect(run).toThrow(Err);
    expect(run).toThrow(fragment);
  });
});

describe('posWeight', () => {
  it('is negatives over positives per class', () => {
    expect(posWeight({ positives: [10, 90], samples: 100, emptyRows: 0 })).toEqual([9, 10 / 90]);
  });

  it('refuses an empty class unless a policy is given', () => {
    const c = { positives: [10, 0], samples: 100, emptyRows: 0 };
    expect(() => posWeight(c)).toThrow('class 1 has a count of 0');
    expect(posWeight(c, { emptyClass: 'max' })).toEqual([9, 9]);
  });
});
