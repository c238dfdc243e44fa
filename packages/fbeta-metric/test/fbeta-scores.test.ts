import * as fc from 'fast-check';
import { InvalidOptionError, OutOfRangeError } from '@tfjs-imbalance/weight-schemes';
import { addConfusionCounts, fbetaScores, type ConfusionCounts } from '@tfjs-imbalance/fbeta-metric';

const classCounts = fc.array(
  fc.record({ tp: fc.nat(50), fp: fc.nat(50), fn: fc.nat(50) }),
  { minLength: 1, maxLength: 12 },
);
const toCounts = (cs: { tp: number; fp: number; fn: number }[]): ConfusionCounts => ({
  tp: cs.map((c) => c.tp),
  fp: cs.map((c) => c.fp),
  fn: cs.map((c) => c.fn),
  samples: 100,
});
const closedForm = (tp: number, fp: number, fn: number, beta: number, zd: number) => {
  const b2 = beta * beta;
  const den = (1 + b2) * tp + b2 * fn + fp;
  return den === 0 ? zd : ((1 + b2) * tp) / den;
};

describe('fbetaScores', () => {
  it('every score lies in [0, 1] and per-class F equals the closed form (property)', () => {
    fc.assert(
      fc.property(classCounts, fc.double({ min: 0.1, max: 4, noNaN: true }), fc.constantFrom(0 as const, 1 as const), (cs, beta, zd) => {
        const s = fbetaScores(toCounts(cs), { beta, zeroDivision: zd });
        cs.forEach((c, i) => expect(s.f[i]).toBeCloseTo(closedForm(c.tp, c.fp, c.fn, beta, zd), 12));
        for (const v of [...s.f, ...s.precision, ...s.recall, s.micro.f, s.macro.f, s.weighted.f]) {
          expect(v).toBeGreaterThanOrEqual(0);
          expect(v).toBeLessThanOrEqual(1);
        }
      }),
    );
  });

  it('micro F-beta is the F-beta of the summed counts (property)', () => {
    fc.assert(
      fc.property(classCounts, (cs) => {
        const s = fbetaScores(toCounts(cs), { beta: 0.5 });
        const t = cs.reduce((a, c) => ({ tp: a.tp + c.tp, fp: a.fp + c.fp, fn: a.fn + c.fn }), { tp: 0, fp: 0, fn: 0 });
        expect(s.micro.f).toBeCloseTo(closedForm(t.tp, t.fp, t.fn, 0.5, 0), 12);
      }),
    );
  });

  it("zeroDivision 'nan' leaves undefined classes out of the macro average", () => {
    const counts = { tp: [4, 0], fp: [0, 0], fn: [0, 0], samples: 4 };
    expect(fbetaScores(counts, { zeroDivision: 0 }).macro.f).toBe(0.5);
    expect(fbetaScores(counts, { zeroDivision: 1 }).macro.f).toBe(1);
    const nan = fbetaScores(counts, { zeroDivision: 'nan' });
    expect(nan.f[1]).toBeNaN();
    expect(nan.macro.f).toBe(1);
  });

  it('defaults to β = 0.5 (precision counts twice as much)', () => {
    const c = { tp: [1], fp: [0], fn: [3], samples: 4 }; // precision 1, recall 0.25
    expect(fbetaScores(c).f[0]).toBeCloseTo(closedForm(1, 0, 3, 0.5, 0), 12);
    expect(fbetaScores(c).f[0]).toBeGreaterThan(fbetaScores(c, { beta: 1 }).f[0]!);
  });

  it('adds counts of shards', () => {
    const a = { tp: [1, 2], fp: [0, 1], fn: [1, 0], samples: 3, samplesFSum: 1.5, samplesUndefined: 1 };
    expect(addConfusionCounts(a, a)).toEqual({ tp: [2, 4], fp: [0, 2], fn: [2, 0], samples: 6, samplesFSum: 3, samplesUndefined: 2 });
  });

  it.each([
    [{ beta: 0 }, OutOfRangeError, 'options.beta: must lie in (0, ∞), got 0'],
    [{ beta: -1 }, OutOfRangeError, 'options.beta'],
    [{ beta: Number.NaN }, Error, 'options.beta: expected a finite number, got NaN'],
    [{ zeroDivision: 2 }, InvalidOptionError, "options.zeroDivision: must be 0, 1 or 'nan', got number 2"],
    [{ betaa: 1 }, InvalidOptionError, 'unknown option "betaa"'],
  ])('rejects options %j', (options, Err, fragment) => {
    const run = () => fbetaScores({ tp: [1], fp: [0], fn: [0], samples: 1 }, options as never);
    expect(run).toThrow(Err);
    expect(run).toThrow(fragment);
  });

  it('rejects counts of different lengths', () => {
    expect(() => fbetaScores({ tp: [1, 2], fp: [0], fn: [0, 0], samples: 2 })).toThrow('got lengths 2, 1 and 2');
  });
});
