import fc from 'fast-check';
import { averagePrecision, tuneThresholds } from '@tfjs-imbalance/fbeta-metric';
import { macroAveragePrecision, sortedColumns, tuneOnRows } from '@tfjs-imbalance/fbeta-metric/internal';
import { bestCuts, tuneCore } from '../src/threshold-cuts';

const settings = { beta: 0.5, from: 'logits' as const, initial: 0.5, objective: 'per-class' as const, fbr: 0.2, minPositives: 2, maxMicroDrop: 0.02 };

/** A [N, C] problem whose logits carry some signal, with ties (rounded logits) and classes without positives. */
const problem = fc.record({ N: fc.integer({ min: 8, max: 60 }), C: fc.integer({ min: 1, max: 5 }), seed: fc.integer({ min: 1, max: 2 ** 30 }), round: fc.boolean() }).map(({ N, C, seed, round }) => {
  let s = seed;
  const rand = () => ((s = (s * 16807) % 2147483647) / 2147483647);
  const y = new Float32Array(N * C);
  const logits = new Float32Array(N * C);
  for (let i = 0; i < N * C; i++) {
    y[i] = rand() < 0.1 + 0.15 * (i % C) ? 1 : 0;
    const v = (y[i]! - 0.5) * 2 + (rand() - 0.5) * 4;
    logits[i] = round ? Math.round(v * 2) / 2 : v;
  }
  return { y: { data: y, shape: [N, C] as [number, number] }, logits: { data: logits, shape: [N, C] as [number, number] } };
});

const rowsOf = (m: { data: Float32Array; shape: [number, number] }, rows: Int32Array) => {
  const C = m.shape[1];
  const out = new Float32Array(rows.length * C);
  rows.forEach((i, k) => out.set(m.data.subarray(i * C, (i + 1) * C), k * C));
  return { data: out, shape: [rows.length, C] as [number, number] };
};

describe('scores sorted once (the search scores each run many ways)', () => {
  it('tuneOnRows equals tuneThresholds on a matrix of just those rows (property)', () => {
    fc.assert(
      fc.property(problem, fc.integer({ min: 0, max: 2 }), fc.boolean(), fc.constantFrom(0, 4), ({ y, logits }, keepMod, crossFit, bootstrap) => {
        const N = y.shape[0];
        const rows = Int32Array.from({ length: N }, (_, i) => i).filter((i) => keepMod === 0 || i % (keepMod + 1) === 0);
        const sorted = sortedColumns(y, logits, 'logits');
        const fromSorted = tuneOnRows(sorted, rows, { ...settings, bootstrap }, crossFit);
        const direct = tuneThresholds(rowsOf(y, rows), rowsOf(logits, rows), { ...settings, crossFit, bootstrap });
        expect(fromSorted).toEqual(direct);
      }),
      { numRuns: 200 },
    );
  });

  it('bestCuts (the bagging pass) picks what tuneCore picks, on rows counted any number of times (property)', () => {
    fc.assert(
      fc.property(problem, fc.integer({ min: 1, max: 2 ** 30 }), fc.constantFrom(0, 0.2), ({ y, logits }, seed, fbr) => {
        const N = y.shape[0];
        let s = seed;
        const rand = () => ((s = (s * 16807) % 2147483647) / 2147483647);
        const rows = Int32Array.from({ length: N }, () => Math.floor(rand() * N)); // a bootstrap resample: repeats
        const member = new Uint16Array(N);
        for (const i of rows) member[i]++;
        const sorted = sortedColumns(y, logits, 'logits');
        const o = { ...settings, fbr, maxMicroDrop: 1, bootstrap: 0 };
        const allowed = sorted.columns.map((_, c) => c !== 1);
        expect(bestCuts(sorted.columns, member, o, allowed)).toEqual(tuneCore(sorted.columns, rows, o, allowed).thresholds);
      }),
      { numRuns: 200 },
    );
  });

  it('macroAveragePrecision equals averagePrecision(...).macro on float32 scores (property)', () => {
    fc.assert(
      fc.property(problem, ({ y, logits }) => {
        expect(macroAveragePrecision(sortedColumns(y, logits, 'logits'))).toBeCloseTo(averagePrecision(y, logits).macro, 12);
      }),
      { numRuns: 200 },
    );
  });
});
