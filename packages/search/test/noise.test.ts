import { fbetaScores, confusionCounts } from '@tfjs-imbalance/fbeta-metric';
import { macroAveragePrecision, sortedColumns } from '@tfjs-imbalance/fbeta-metric/internal';
import { pairedBootstrap, type ResampledRun } from '../src/noise';
import type { Matrix } from '../src/scores';

/**
 * A seeded problem: labels, and three runs' logits: `b` better than `a` by `edge` on the positives with the
 * same noise (paired), `c` as good as `a` with noise of its own.
 */
function problem(N: number, C: number, edge: number, seed = 1) {
  let s = seed;
  const rand = () => ((s = (s * 16807) % 2147483647) / 2147483647);
  const y = new Float32Array(N * C);
  const [a, b, c] = [0, 1, 2].map(() => new Float32Array(N * C)) as [Float32Array, Float32Array, Float32Array];
  for (let k = 0; k < N * C; k++) {
    y[k] = rand() < 0.2 ? 1 : 0;
    const noise = 2 * (rand() * 2 - 1);
    a[k] = noise - 0.5 + (y[k] ? 1.2 : 0);
    b[k] = noise - 0.5 + (y[k] ? 1.2 + edge : 0);
    c[k] = 2 * (rand() * 2 - 1) - 0.5 + (y[k] ? 1.2 : 0);
  }
  const Y: Matrix = { data: y, shape: [N, C] };
  const run = (scores: Float32Array): ResampledRun => ({ predicted: Uint8Array.from(scores, (v) => (v > 0 ? 1 : 0)), sorted: sortedColumns(Y, { data: scores, shape: [N, C] }, 'logits') });
  return { Y, a: run(a), b: run(b), c: run(c), scores: { a, b } };
}

const settings = (seed: number) => {
  let s = seed;
  return { resamples: 400, level: 0.95, rand: () => ((s = (s * 16807) % 2147483647) / 2147483647) };
};

describe('pairedBootstrap', () => {
  it("estimates the difference of the two runs' scores on the rows as they are", () => {
    const { Y, a, b, scores } = problem(300, 5, 0.3);
    const macro = (v: Float32Array) => fbetaScores(confusionCounts(Y, { data: v, shape: Y.shape }, { beta: 0.5, threshold: 0.5, from: 'logits' }), { beta: 0.5 });
    const g = pairedBootstrap(Y, b, a, { kind: 'f', beta: 0.5, classes: 'all' }, settings(1));
    expect(g.estimate).toBeCloseTo(macro(scores.b).macro.f - macro(scores.a).macro.f, 10);
    const micro = pairedBootstrap(Y, b, a, { kind: 'f', beta: 0.5, classes: 'all', micro: true }, settings(1));
    expect(micro.estimate).toBeCloseTo(macro(scores.b).micro.f - macro(scores.a).micro.f, 10);
    const some = pairedBootstrap(Y, b, a, { kind: 'f', beta: 0.5, classes: [1, 3] }, settings(1));
    expect(some.estimate).toBeCloseTo((macro(scores.b).f[1]! + macro(scores.b).f[3]! - macro(scores.a).f[1]! - macro(scores.a).f[3]!) / 2, 10);
    const ap = pairedBootstrap(Y, b, a, { kind: 'ap' }, settings(1));
    expect(ap.estimate).toBeCloseTo(macroAveragePrecision(b.sorted) - macroAveragePrecision(a.sorted), 10);
  });

  it('gives [0, 0] for two identical runs, an interval above 0 for a clearly better one, and one around 0 for no difference', () => {
    const { Y, a, b, c } = problem(400, 4, 0.8);
    expect(pairedBootstrap(Y, a, a, { kind: 'f', beta: 0.5, classes: 'all' }, settings(2))).toEqual({ estimate: 0, low: 0, high: 0 });
    expect(pairedBootstrap(Y, b, a, { kind: 'f', beta: 0.5, classes: 'all' }, settings(2)).low).toBeGreaterThan(0);
    // Two runs as good as each other, with noise of their own, differ only by chance.
    const g = pairedBootstrap(Y, c, a, { kind: 'f', beta: 0.5, classes: 'all' }, settings(2));
    expect(g.low).toBeLessThan(0);
    expect(g.high).toBeGreaterThan(0);
  });

  it('widens as the validation rows shrink', () => {
    const width = (N: number) => {
      const { Y, a, b } = problem(N, 4, 0.3);
      const g = pairedBootstrap(Y, b, a, { kind: 'f', beta: 0.5, classes: 'all' }, settings(3));
      return g.high - g.low;
    };
    expect(width(100)).toBeGreaterThan(1.5 * width(1600));
  });

  it('weights rows in the average precision exactly as repeating them would', () => {
    const { Y, a } = problem(60, 3, 0);
    const w = Array.from({ length: 60 }, (_, i) => i % 3);
    // Repeat row i w[i] times, then sort: the same AP as weighting.
    const rows = w.flatMap((k, i) => Array.from({ length: k }, () => i));
    const C = 3;
    const y = Float32Array.from(rows.flatMap((i) => Array.from(Y.data.subarray(i * C, (i + 1) * C))));
    const s = Float32Array.from(rows.flatMap((i) => Array.from({ length: C }, (_, c) => a.sorted.columns[c]!.scores[i]!)));
    const repeated = sortedColumns({ data: y, shape: [rows.length, C] }, { data: s, shape: [rows.length, C] }, 'logits');
    expect(macroAveragePrecision(a.sorted, w)).toBeCloseTo(macroAveragePrecision(repeated), 12);
  });
});
