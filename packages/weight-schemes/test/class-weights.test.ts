import * as fc from 'fast-check';
import {
  EmptyClassError,
  InvalidCountError,
  InvalidOptionError,
  NonFiniteValueError,
  OutOfRangeError,
  classWeights,
  effectiveNumber,
  emptyRowClassWeight,
  priorBias,
  type SchemeConfig,
} from '@tfjs-imbalance/weight-schemes';
import { parseScheme } from '@tfjs-imbalance/weight-schemes/internal';

const counts = fc.array(fc.integer({ min: 1, max: 100000 }), { minLength: 1, maxLength: 40 });
const schemes: SchemeConfig[] = [
  { name: 'ins' },
  { name: 'isns' },
  { name: 'inverse-power', power: 0.75 },
  { name: 'ens', beta: 0.99 },
  { name: 'balanced' },
  { name: 'none' },
];
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

describe('classWeights', () => {
  it('matches the closed forms on a small count', () => {
    const c = [10, 5, 1];
    const norm = (w: number[]) => w.map((x) => (x * 3) / sum(w));
    expect(classWeights(c, 'ins')).toEqual(norm([0.1, 0.2, 1]).map((x) => expect.closeTo(x, 12)));
    expect(classWeights(c, 'isns')).toEqual(norm(c.map((n) => 1 / Math.sqrt(n))).map((x) => expect.closeTo(x, 12)));
    const ens = c.map((n) => (1 - 0.9) / (1 - 0.9 ** n));
    expect(classWeights(c, { name: 'ens', beta: 0.9 })).toEqual(norm(ens).map((x) => expect.closeTo(x, 12)));
    expect(classWeights(c, { name: 'balanced', normalize: false })).toEqual(c.map((n) => expect.closeTo(16 / (3 * n), 12)));
  });

  it('weights are positive, finite, mean 1 and non-increasing in the count (property)', () => {
    fc.assert(
      fc.property(counts, fc.constantFrom(...schemes), (c, scheme) => {
        const w = classWeights(c, scheme);
        expect(w.every((x) => x > 0 && Number.isFinite(x))).toBe(true);
        expect(sum(w) / w.length).toBeCloseTo(1, 9);
        const order = c.map((_, i) => i).sort((a, b) => c[a]! - c[b]!);
        for (let k = 1; k < order.length; k++) expect(w[order[k]!]!).toBeLessThanOrEqual(w[order[k - 1]!]! * (1 + 1e-12));
      }),
    );
  });

  it('is invariant to a permutation of the classes (property)', () => {
    fc.assert(
      fc.property(counts, fc.constantFrom(...schemes), (c, scheme) => {
        const perm = c.map((_, i) => i).reverse();
        const w = classWeights(c, scheme);
        const wp = classWeights(perm.map((i) => c[i]!), scheme);
        perm.forEach((i, k) => expect(wp[k]).toBeCloseTo(w[i]!, 9));
      }),
    );
  });

  it('ENS is uniform at β = 0 and tends to INS as β → 1', () => {
    const c = [5000, 300, 20, 1];
    expect(classWeights(c, { name: 'ens', beta: 0 })).toEqual([1, 1, 1, 1]);
    const ins = classWeights(c, 'ins');
    const ens = classWeights(c, { name: 'ens', beta: 1 - 1e-9 });
    ens.forEach((w, i) => expect(w).toBeCloseTo(ins[i]!, 4));
  });

  it('ENS is uniform at β = 0 and tends to INS as β → 1 for any counts (property)', () => {
    fc.assert(
      fc.property(counts, (c) => {
        expect(classWeights(c, { name: 'ens', beta: 0 })).toEqual(c.map(() => 1));
        const ins = classWeights(c, 'ins');
        classWeights(c, { name: 'ens', beta: 1 - 1e-12 }).forEach((w, i) => expect(Math.abs(w - ins[i]!)).toBeLessThanOrEqual(1e-3 * ins[i]!));
      }),
    );
  });

  it('computes the effective number without cancellation near β = 1', () => {
    expect(effectiveNumber(3, 0.9999)).toBeCloseTo(2.9997000099990, 9);
    expect(effectiveNumber(1e7, 0.9999)).toBeCloseTo(10000, 6);
    expect(effectiveNumber(0, 0.9)).toBe(0);
  });

  it('accepts ClassCounts and uses their sample count for balanced', () => {
    const w = classWeights({ positives: [3, 1], samples: 4, emptyRows: 1 }, { name: 'balanced', normalize: false });
    expect(w).toEqual([4 / 6, 2]);
  });

  describe('empty classes', () => {
    it('throws EmptyClassError naming the classes by default', () => {
      expect(() => classWeights([10, 0, 3, 0], 'ins')).toThrow('classes 1, 3 have a count of 0');
      try {
        classWeights([10, 0], { name: 'ens', beta: 0.99 });
      } catch (e) {
        expect(e).toBeInstanceOf(EmptyClassError);
        expect((e as EmptyClassError).classes).toEqual([1]);
        expect((e as EmptyClassError).argument).toBe('counts');
      }
    });

    it("'max' copies the largest weight, { value } sets a raw weight", () => {
      expect(classWeights([10, 0], { name: 'ins', emptyClass: 'max', normalize: false })).toEqual([0.1, 0.1]);
      expect(classWeights([10, 0], { name: 'ins', emptyClass: { value: 0 } })).toEqual([2, 0]);
      expect(() => classWeights([0, 0], { name: 'ins', emptyClass: 'max' })).toThrow('every class has a count of 0');
      expect(() => classWeights([0, 0], { name: 'ins', emptyClass: { value: 0 } })).toThrow('cannot be normalised');
    });

    it("'none' needs no policy", () => {
      expect(classWeights([0, 4], 'none')).toEqual([1, 1]);
    });
  });

  it.each([
    [[10, -1], 'ins', InvalidCountError, 'counts[1]: counts must be whole numbers ≥ 0, got -1'],
    [[10, 1.5], 'ins', InvalidCountError, 'got 1.5'],
    [[10, Number.NaN], 'ins', NonFiniteValueError, 'counts[1]: expected a finite count, got NaN'],
    [[], 'ins', Error, 'got 0 classes'],
    [[1, 2], { name: 'ens', beta: 1 }, OutOfRangeError, 'scheme.beta: must lie in [0, 1), got 1'],
    [[1, 2], { name: 'ens', beta: -0.1 }, OutOfRangeError, 'must lie in [0, 1)'],
    [[1, 2], { name: 'ens' }, InvalidOptionError, "scheme.beta: is required: ENS needs β, as in { name: 'ens', beta: 0.999 }"],
    [[1, 2], { name: 'ens', betta: 0.9 }, InvalidOptionError, 'unknown option "betta"'],
    [[1, 2], { name: 'inverse' }, InvalidOptionError, 'unknown scheme "inverse"'],
    [[1, 2], { name: 'inverse-power', power: -1 }, OutOfRangeError, 'scheme.power'],
    [[1, 2], { name: 'ins', normalize: 'yes' }, InvalidOptionError, 'scheme.normalize'],
    [[1, 2], { name: 'ins', emptyClass: 'min' }, InvalidOptionError, 'scheme.emptyClass'],
  ])('rejects counts %j with scheme %j', (c, scheme, Err, fragment) => {
    const run = () => classWeights(c, scheme as SchemeConfig);
    expect(run).toThrow(Err);
    expect(run).toThrow(fragment);
  });

  it('round-trips a scheme through JSON', () => {
    const s: SchemeConfig = { name: 'ens', beta: 0.999, normalize: false, emptyClass: { value: 1 } };
    expect(parseScheme(JSON.parse(JSON.stringify(s)))).toEqual(s);
    expect(classWeights([5, 1], JSON.parse(JSON.stringify(s)))).toEqual(classWeights([5, 1], s));
  });
});

describe('emptyRowClassWeight', () => {
  it('weighs "no label" as one more class, scaled like the real classes', () => {
    const c = { positives: [400, 100, 30], samples: 1000, emptyRows: 430 };
    const raw = [1 / 400, 1 / 100, 1 / 30];
    expect(emptyRowClassWeight(c, 'ins')).toBeCloseTo(((1 / 430) * 3) / sum(raw), 12);
    expect(emptyRowClassWeight(c, 'none')).toBe(1);
    const ens = (n: number) => (1 - 0.99) / (1 - 0.99 ** n);
    expect(emptyRowClassWeight(c, { name: 'ens', beta: 0.99 })).toBeCloseTo((ens(430) * 3) / sum(c.positives.map(ens)), 12);
    // balanced: samples / (C · n), with the real classes' C.
    const bal = (n: number) => 1000 / (3 * n);
    expect(emptyRowClassWeight(c, 'balanced')).toBeCloseTo((bal(430) * 3) / sum(c.positives.map(bal)), 12);
    expect(emptyRowClassWeight(c, { name: 'ins', normalize: false })).toBeCloseTo(1 / 430, 12);
  });

  it('with no empty row counted, gives the largest class weight', () => {
    const c = { positives: [10, 5, 1], samples: 16, emptyRows: 0 };
    expect(emptyRowClassWeight(c, 'ins')).toBeCloseTo(Math.max(...classWeights(c, 'ins')), 12);
  });

  it('rejects bad counts by name', () => {
    expect(() => emptyRowClassWeight({ positives: [1, -1], samples: 2, emptyRows: 0 }, 'ins')).toThrow('counts');
    expect(() => emptyRowClassWeight({ positives: [1, 2], samples: 3, emptyRows: 0 }, 'ins', { bad: 1 } as never)).toThrow('options');
  });
});

describe('priorBias', () => {
  it('is the log-odds of each class prior, and names the classes it cannot give', () => {
    const b = priorBias({ positives: [50, 10, 1], samples: 100, emptyRows: 0 });
    [Math.log(50 / 50), Math.log(10 / 90), Math.log(1 / 99)].forEach((v, i) => expect(b[i]).toBeCloseTo(v, 12));
    expect(() => priorBias({ positives: [0, 100], samples: 100, emptyRows: 0 })).toThrow('classes 0, 1 are positive in no row or in every row');
  });
});

describe('edge cases of the schemes', () => {
  it('inverse-power with power 0 gives 1 to every class, an empty one included (1/n⁰ = 1)', () => {
    expect(classWeights([0, 5], { name: 'inverse-power', power: 0 })).toEqual([1, 1]);
  });

  it('balanced does not overflow on counts near 1e308', () => {
    const w = classWeights([1e308, 5e307], 'balanced');
    expect(w[0]).toBeCloseTo(2 / 3, 12);
    expect(w[1]).toBeCloseTo(4 / 3, 12);
  });
});
