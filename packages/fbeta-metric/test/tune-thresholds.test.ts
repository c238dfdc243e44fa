import * as fc from 'fast-check';
import { FBetaAccumulator, tuneThresholds } from '@tfjs-imbalance/fbeta-metric';

/** The best F-beta of one class over every threshold of a fine grid plus every score and midpoint, by brute force. */
function bruteForce(y: number[], p: number[], beta: number): number {
  const candidates = new Set<number>([0, 1, ...p]);
  for (let i = 0; i <= 1000; i++) candidates.add(i / 1000);
  const sorted = [...new Set(p)].sort((a, b) => a - b);
  for (let i = 1; i < sorted.length; i++) candidates.add((sorted[i - 1]! + sorted[i]!) / 2);
  const b2 = beta * beta;
  let best = 0;
  for (const t of candidates) {
    let tp = 0;
    let fp = 0;
    let fn = 0;
    p.forEach((v, i) => {
      if (v > t && y[i]) tp++;
      else if (v > t) fp++;
      else if (y[i]) fn++;
    });
    const den = (1 + b2) * tp + b2 * fn + fp;
    best = Math.max(best, den === 0 ? 0 : ((1 + b2) * tp) / den);
  }
  return best;
}

describe('tuneThresholds', () => {
  it('finds the best per-class F-beta that a brute-force search finds (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom(0, 1), fc.integer({ min: 0, max: 20 }).map((k) => k / 20)), { minLength: 1, maxLength: 25 }),
        fc.constantFrom(0.5, 1, 2),
        (rows, beta) => {
          const y = rows.map((r) => r[0]);
          const p = rows.map((r) => r[1]);
          const tuned = tuneThresholds(y.map((v) => [v]), p.map((v) => [v]), { beta });
          const expected = bruteForce(y, p, beta);
          expect(tuned.f[0]).toBeCloseTo(expected, 6);
          // Applying the returned threshold reproduces the reported F-beta.
          const applied = new FBetaAccumulator({ beta, threshold: tuned.thresholds }).update(y.map((v) => [v]), p.map((v) => [v])).result();
          expect(applied.f[0]).toBeCloseTo(tuned.f[0]!, 6);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('works on logits and returns probability thresholds', () => {
    const y = [[1, 0], [0, 1], [1, 1], [0, 0]];
    const p = [[0.9, 0.6], [0.3, 0.65], [0.7, 0.7], [0.2, 0.62]];
    const logits = p.map((r) => r.map((v) => Math.log(v / (1 - v))));
    const a = tuneThresholds(y, p);
    const b = tuneThresholds(y, logits, { from: 'logits' });
    b.thresholds.forEach((t, i) => expect(t).toBeCloseTo(a.thresholds[i]!, 9));
    expect(a.f[1]).toBeGreaterThan(a.fInitial[1]!);
  });

  it('keeps the initial threshold when nothing is strictly better (no positives)', () => {
    expect(tuneThresholds([[0], [0]], [[0.2], [0.7]]).thresholds).toEqual([0.5]);
  });

  it('rejects mismatched shapes and bad options', () => {
    expect(() => tuneThresholds([[1, 0]], [[0.5]])).toThrow('scores: has shape [1, 1] but yTrue has shape [1, 2]');
    expect(() => tuneThresholds([[1]], [[0.5]], { beta: 0 })).toThrow('options.beta');
    expect(() => tuneThresholds([[1]], [[1.5]])).toThrow("scores: probability at row 0, column 0 is 1.5; probabilities must lie in [0, 1]. If these are logits, pass from: 'logits'.");
    expect(() => tuneThresholds([[1]], [[0.5]], { initial: 2 })).toThrow('options.threshold');
  });
});
