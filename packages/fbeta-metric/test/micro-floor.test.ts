import fc from 'fast-check';
import { sortedColumns, tuneOnRows } from '@tfjs-imbalance/fbeta-metric/internal';

// Every class tunable and no other guard, so the floor alone decides what moves.
const settings = { beta: 0.5, from: 'logits' as const, initial: 0.5, objective: 'per-class' as const, fbr: 0, minPositives: 0, maxMicroDrop: 1, bootstrap: 0 };
const f05 = (tp: number, fp: number, fn: number) => (tp === 0 ? 0 : (1.25 * tp) / (1.25 * tp + 0.25 * fn + fp));

/** A small [N, C] problem with some signal and ties, small enough to try every combination of cuts. */
const problem = fc.record({ N: fc.integer({ min: 4, max: 9 }), C: fc.integer({ min: 1, max: 3 }), seed: fc.integer({ min: 1, max: 2 ** 30 }) }).map(({ N, C, seed }) => {
  let s = seed;
  const rand = () => ((s = (s * 16807) % 2147483647) / 2147483647);
  const y = new Float32Array(N * C);
  const logits = new Float32Array(N * C);
  for (let i = 0; i < N * C; i++) {
    y[i] = rand() < 0.3 ? 1 : 0;
    logits[i] = Math.round(((y[i]! - 0.5) * 2 + (rand() - 0.5) * 5) * 2) / 2;
  }
  return { N, C, y: { data: y, shape: [N, C] as [number, number] }, logits: { data: logits, shape: [N, C] as [number, number] } };
});

type Problem = typeof problem extends fc.Arbitrary<infer T> ? T : never;

/** Each class's reachable (tp, fp): at 0.5, and predicting every score ≥ each distinct score. */
function options({ N, C, y, logits }: Problem, c: number): [number, number][] {
  const col = Array.from({ length: N }, (_, i) => ({ s: logits.data[i * C + c]!, p: y.data[i * C + c]! }));
  const at = (pred: (s: number) => boolean) => [col.filter((r) => pred(r.s) && r.p).length, col.filter((r) => pred(r.s) && !r.p).length] as [number, number];
  return [at((s) => s > 0), ...[...new Set(col.map((r) => r.s))].map((v) => at((s) => s >= v))];
}

/** (tp, fp) per class at probability thresholds, compared as the accumulator does. */
function countsAt({ N, C, y, logits }: Problem, thresholds: readonly number[]): [number, number][] {
  return Array.from({ length: C }, (_, c) => {
    const cut = Math.fround(Math.log(thresholds[c]! / (1 - thresholds[c]!)));
    let tp = 0;
    let fp = 0;
    for (let i = 0; i < N; i++) if (logits.data[i * C + c]! > cut) y.data[i * C + c] ? tp++ : fp++;
    return [tp, fp];
  });
}

const positivesOf = ({ N, C, y }: Problem) => Array.from({ length: C }, (_, c) => Array.from({ length: N }, (_, i) => y.data[i * C + c]!).reduce((a, v) => a + v, 0));
const macroOf = (k: [number, number][], P: number[]) => k.reduce((a, [tp, fp], c) => a + f05(tp, fp, P[c]! - tp), 0) / k.length;
const microOf = (k: [number, number][], P: number[]) => {
  const tp = k.reduce((a, v) => a + v[0], 0);
  return f05(tp, k.reduce((a, v) => a + v[1], 0), P.reduce((a, v) => a + v, 0) - tp);
};

/** Every combination of one option per class. */
function* combos(opts: [number, number][][], k = 0, acc: [number, number][] = []): Generator<[number, number][]> {
  if (k === opts.length) yield acc;
  else for (const o of opts[k]!) yield* combos(opts, k + 1, [...acc, o]);
}

describe('thresholds under a micro F-beta floor (what the search tunes each run with)', () => {
  const tune = (p: Problem, micro?: number, weights?: number[], maxObjectiveDrop?: number) =>
    tuneOnRows(sortedColumns(p.y, p.logits, 'logits'), Int32Array.from({ length: p.N }, (_, i) => i), settings, false, micro === undefined ? undefined : { micro, weights, maxObjectiveDrop });

  it('a floor the per-class thresholds already keep changes nothing', () => {
    fc.assert(
      fc.property(problem, fc.double({ min: 0, max: 1, noNaN: true }), (p, f) => {
        const free = tune(p);
        expect(tune(p, free.micro.f * f)).toEqual(free);
      }),
      { numRuns: 200 },
    );
  });

  it('keeps a reachable floor, and no thresholds keep as much micro with more of the objective (property, every combination tried)', () => {
    // The objective: macro F-beta, or a weighted one such as a macro over the rarest classes (some weights 0).
    const weighting = fc.option(fc.array(fc.constantFrom<number>(0, 1, 2, 5), { minLength: 3, maxLength: 3 }), { nil: undefined });
    fc.assert(
      fc.property(problem, fc.double({ min: 0, max: 1, noNaN: true }), weighting, (p, f, raw) => {
        const total = raw?.slice(0, p.C).reduce((a, v) => a + v, 0) ?? 0;
        const weights = raw && total > 0 ? raw.slice(0, p.C).map((v) => v / total) : undefined;
        const objectiveOf = (k: [number, number][], P: number[]) => (weights ? k.reduce((a, [tp, fp], c) => a + weights[c]! * f05(tp, fp, P[c]! - tp), 0) : macroOf(k, P));
        const P = positivesOf(p);
        const opts = Array.from({ length: p.C }, (_, c) => options(p, c));
        const all = [...combos(opts)];
        const best = Math.max(...all.map((k) => microOf(k, P)));
        const free = tune(p);
        fc.pre(best > free.micro.f + 1e-9);
        const floor = free.micro.f + f * (best - free.micro.f - 1e-9);
        const got = countsAt(p, tune(p, floor, weights).thresholds);
        const micro = microOf(got, P);
        const objective = objectiveOf(got, P);
        expect(micro).toBeGreaterThanOrEqual(floor - 1e-12);
        // The Lagrangian optimum (Everett): among thresholds with at least its micro F-beta, none has more of the objective.
        for (const k of all) if (microOf(k, P) >= micro - 1e-12) expect(objectiveOf(k, P)).toBeLessThanOrEqual(objective + 1e-9);
      }),
      { numRuns: 300 },
    );
  });

  it('with maxObjectiveDrop, never takes macro F-beta further below its value at 0.5, and keeps the most micro it can within that (property)', () => {
    fc.assert(
      fc.property(problem, fc.double({ min: 0, max: 1, noNaN: true }), fc.constantFrom(0, 0.05), (p, f, drop) => {
        const P = positivesOf(p);
        const all = [...combos(Array.from({ length: p.C }, (_, c) => options(p, c)))];
        const free = tune(p);
        const best = Math.max(...all.map((k) => microOf(k, P)));
        fc.pre(best > free.micro.f + 1e-9);
        const floor = free.micro.f + f * (best - free.micro.f - 1e-9);
        const at05 = macroOf(countsAt(p, new Array(p.C).fill(0.5)), P);
        const unlimited = countsAt(p, tune(p, floor).thresholds);
        const got = countsAt(p, tune(p, floor, undefined, drop).thresholds);
        if (macroOf(unlimited, P) >= at05 - drop - 1e-12) expect(got).toEqual(unlimited); // within the allowance: the floor as before
        else if (macroOf(free.f.length ? countsAt(p, free.thresholds) : [], P) >= at05 - drop - 1e-12) {
          expect(macroOf(got, P)).toBeGreaterThanOrEqual(at05 - drop - 1e-9);
          expect(microOf(got, P)).toBeGreaterThanOrEqual(free.micro.f - 1e-12); // it still raised micro as far as the allowance let it
        }
      }),
      { numRuns: 300 },
    );
  });

  it('an unreachable floor leaves the per-class thresholds', () => {
    fc.assert(
      fc.property(problem, (p) => {
        const P = positivesOf(p);
        const best = Math.max(...[...combos(Array.from({ length: p.C }, (_, c) => options(p, c)))].map((k) => microOf(k, P)));
        fc.pre(best < 1);
        expect(tune(p, best + 1e-6)).toEqual(tune(p));
      }),
      { numRuns: 100 },
    );
  });

  it('gives up no more macro than the floor needs (an example where the best under the floor is below the micro optimum)', () => {
    // Class 0 is separable; class 1's own best cut costs micro F-beta.
    const y = [1, 0, 1, 0, 1, 1, 1, 1, 0, 0, 0, 0, 1, 0, 0, 1];
    const l = [1.5, 1, 2.5, -0.5, 1.5, 0, 2.5, 0, -2, -2.5, -2, 0, 2.5, 0, -2.5, -1];
    const p = { N: 8, C: 2, y: { data: Float32Array.from(y), shape: [8, 2] as [number, number] }, logits: { data: Float32Array.from(l), shape: [8, 2] as [number, number] } };
    const P = positivesOf(p);
    const all = [...combos([options(p, 0), options(p, 1)])];
    const floor = tune(p).micro.f + 0.01;
    const feasible = all.filter((k) => microOf(k, P) >= floor);
    const got = countsAt(p, tune(p, floor).thresholds);
    // The best macro any thresholds reach under the floor, and less micro F-beta than the micro-optimal thresholds.
    expect(macroOf(got, P)).toBe(Math.max(...feasible.map((k) => macroOf(k, P))));
    expect(microOf(got, P)).toBeLessThan(Math.max(...all.map((k) => microOf(k, P))));
  });

  it('with weights, gives up the least of the weighted objective (an example where it differs from macro F-beta)', () => {
    const y = [0, 0, 1, 1, 0, 0, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1, 1, 1, 0, 0, 1, 0, 0];
    const l = [-2, 1.5, 0, 1.5, -1.5, 1.5, 3, -2.5, -0.5, 2, -1.5, -1, -3.5, 1, 0, 1, 2.5, -1, 0, -2.5, -1, 0.5, -3, 0.5];
    const p = { N: 8, C: 3, y: { data: Float32Array.from(y), shape: [8, 3] as [number, number] }, logits: { data: Float32Array.from(l), shape: [8, 3] as [number, number] } };
    const P = positivesOf(p);
    const first = (k: [number, number][]) => f05(k[0]![0], k[0]![1], P[0]! - k[0]![0]);
    const all = [...combos([0, 1, 2].map((c) => options(p, c)))];
    const floor = (tune(p).micro.f + Math.max(...all.map((k) => microOf(k, P)))) / 2;
    const weighted = countsAt(p, tune(p, floor, [1, 0, 0]).thresholds);
    const macro = countsAt(p, tune(p, floor).thresholds);
    // Only class 0 counts: the best class-0 F-beta any thresholds reach under the floor, which the macro-best thresholds give up.
    expect(microOf(weighted, P)).toBeGreaterThanOrEqual(floor);
    expect(first(weighted)).toBe(Math.max(...all.filter((k) => microOf(k, P) >= floor).map(first)));
    expect(first(weighted)).toBeGreaterThan(first(macro));
  });
});
