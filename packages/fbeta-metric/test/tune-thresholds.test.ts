import * as fc from 'fast-check';
import { FBetaAccumulator, applyThresholds, tuneThresholds } from '@tfjs-imbalance/fbeta-metric';

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
          const tuned = tuneThresholds(y.map((v) => [v]), p.map((v) => [v]), { beta, fbr: 0, minPositives: 0, crossFit: false, bootstrap: 0 });
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
    const a = tuneThresholds(y, p, { minPositives: 0, crossFit: false, bootstrap: 0 });
    const b = tuneThresholds(y, logits, { from: 'logits', minPositives: 0, crossFit: false, bootstrap: 0 });
    // Midpoints in logit space differ from those in probability space, but they split the rows alike.
    expect(applyThresholds(logits, b.thresholds, { from: 'logits' })).toEqual(applyThresholds(p, a.thresholds));
    expect(b.f).toEqual(a.f);
    expect(a.f[1]).toBeGreaterThan(a.fInitial[1]!);
  });

  it('keeps the initial threshold when nothing is strictly better (no positives)', () => {
    expect(tuneThresholds([[0], [0]], [[0.2], [0.7]]).thresholds).toEqual([0.5]);
  });

  it('rejects mismatched shapes and bad options', () => {
    expect(() => tuneThresholds([[1, 0]], [[0.5]])).toThrow('scores: has shape [1, 1] but yTrue has shape [1, 2]');
    expect(() => tuneThresholds([[1]], [[0.5]], { beta: 0 })).toThrow('options.beta');
    expect(() => tuneThresholds([[1]], [[1.5]])).toThrow("scores: probability at row 0, column 0 is 1.5; probabilities must lie in [0, 1]. If these are logits, pass from: 'logits'.");
    expect(() => tuneThresholds([[1]], [[0.5]], { initial: 2 })).toThrow('options.initial');
    expect(() => tuneThresholds([[1]], [[0.5]], { fbr: -1 })).toThrow('options.fbr');
    expect(() => tuneThresholds([[1]], [[0.5]], { minPositives: 1.5 })).toThrow('options.minPositives');
    expect(() => tuneThresholds([[1]], [[0.5]], { objective: 'macro' as never })).toThrow("options.objective: must be 'per-class' or 'micro'");
    expect(() => applyThresholds([[0.5, 0.2]], [0.5])).toThrow('thresholds: has 1 per-class thresholds but scores has shape [1, 2]');
    expect(() => applyThresholds([[0.5]], [1.5])).toThrow('thresholds[0]');
  });

  it('agrees with the accumulator on adjacent float32 scores (logits and probabilities)', () => {
    // Scores one float32 ulp apart: a float64 midpoint rounds onto one of them.
    const a = Math.fround(0.3);
    const ulp = Math.fround(a + 2 ** -25) - a;
    const b = a + ulp;
    for (const from of ['probabilities', 'logits'] as const) {
      const s = (v: number) => (from === 'logits' ? Math.fround(Math.log(v / (1 - v))) : v);
      const y = [[1], [0], [1], [0], [1], [1]];
      const scores = [[s(b)], [s(a)], [s(b)], [s(a)], [s(a)], [0.9]].map((r) => [from === 'logits' && r[0] === 0.9 ? 2 : r[0]!]);
      const tuned = tuneThresholds(y, scores, { from, fbr: 0, minPositives: 0, crossFit: false, bootstrap: 0 });
      const measured = new FBetaAccumulator({ from, threshold: tuned.thresholds }).update(y, scores).result();
      expect(measured.f[0]).toBe(tuned.f[0]);
    }
  });

  it('the tuned F equals what the accumulator measures (property, float32 logits)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom(0, 1), fc.constantFrom(0, 1), fc.integer({ min: -40, max: 40 }), fc.integer({ min: -3, max: 3 })), { minLength: 1, maxLength: 30 }),
        fc.constantFrom<'per-class' | 'micro'>('per-class', 'micro'),
        fc.constantFrom(0, 8),
        (rows, objective, bootstrap) => {
          // Logits clustered on a few values, some a float32 ulp apart.
          const logit = (k: number, d: number) => Math.fround(k / 8) + d * 2 ** -20;
          const y = rows.map((r) => [r[0], r[1]]);
          const x = rows.map((r) => [Math.fround(logit(r[2], r[3])), Math.fround(logit(-r[2], r[3]))]);
          const tuned = tuneThresholds(y, x, { from: 'logits', objective, fbr: 0, minPositives: 0, crossFit: false, bootstrap: objective === 'per-class' ? bootstrap : 0 });
          const m = new FBetaAccumulator({ from: 'logits', threshold: tuned.thresholds }).update(y, x).result();
          expect(m.f).toEqual(tuned.f);
          expect(m.micro.f).toBeCloseTo(tuned.micro.f, 12);
          if (objective === 'micro') expect(tuned.micro.f).toBeGreaterThanOrEqual(tuned.micro.fInitial - 1e-12);
          // One cut is the best on these rows; a bagged one is not (it is tuned on resamples), and f says what it scores here.
          else if (bootstrap === 0) tuned.f.forEach((f, c) => expect(f).toBeGreaterThanOrEqual(tuned.fInitial[c]!));
        },
      ),
      { numRuns: 80 },
    );
  });

  it('per-class tuning gives up at most maxMicroDrop micro F-beta (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.array(fc.constantFrom(0, 1), { minLength: 4, maxLength: 4 }), fc.array(fc.integer({ min: -30, max: 30 }), { minLength: 4, maxLength: 4 })), { minLength: 2, maxLength: 40 }),
        fc.constantFrom(0, 0.01, 0.05),
        fc.constantFrom(0, 8),
        (rows, maxMicroDrop, bootstrap) => {
          const y = rows.map((r) => r[0]);
          const x = rows.map((r) => r[1].map((k) => k / 8));
          const tuned = tuneThresholds(y, x, { from: 'logits', fbr: 0, minPositives: 0, crossFit: false, bootstrap, maxMicroDrop });
          expect(tuned.micro.f).toBeGreaterThanOrEqual(tuned.micro.fInitial - maxMicroDrop - 1e-12);
          const m = new FBetaAccumulator({ from: 'logits', threshold: tuned.thresholds }).update(y, x).result();
          expect(m.micro.f).toBeCloseTo(tuned.micro.f, 12);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('maxMicroDrop resets the classes whose tuning floods the pooled counts, and 1 turns it off', () => {
    // Class 0: 200 positives, separated, its cut already right. Classes 1–3: weak signals whose best own
    // F0.5 is a low cut with many false positives, which the pooled (micro) counts pay for.
    const rand = (() => { let s = 11; return () => ((s = (s * 16807) % 2147483647) / 2147483647); })();
    const y: number[][] = [];
    const p: number[][] = [];
    for (let i = 0; i < 400; i++) {
      const pos0 = i % 2;
      const weak = [i % 8 === 0, i % 9 === 0, i % 11 === 0].map(Number);
      y.push([pos0, ...weak]);
      p.push([pos0 ? 0.9 : 0.1, ...weak.map((v) => (v ? 0.3 + 0.15 * rand() : rand() < 0.25 ? 0.3 + 0.15 * rand() : 0.3 * rand()))]);
    }
    const off = tuneThresholds(y, p, { fbr: 0, crossFit: false, bootstrap: 0, maxMicroDrop: 1 });
    expect(off.tuned).toEqual([false, true, true, true]);
    expect(off.micro.fInitial - off.micro.f).toBeGreaterThan(0.2); // 0.883 → 0.670
    const some = tuneThresholds(y, p, { fbr: 0, crossFit: false, bootstrap: 0, maxMicroDrop: 0.15 });
    expect(some.micro.f).toBeGreaterThanOrEqual(some.micro.fInitial - 0.15);
    const kept = some.tuned.filter(Boolean).length;
    expect(kept).toBeGreaterThan(0);
    expect(kept).toBeLessThan(3);
    const held = tuneThresholds(y, p, { fbr: 0, crossFit: false, bootstrap: 0 });
    expect(held.micro.f).toBeGreaterThanOrEqual(held.micro.fInitial - 0.02);
    expect(() => tuneThresholds(y, p, { maxMicroDrop: -0.1 })).toThrow('options.maxMicroDrop');
  });

  it('with crossFit, maxMicroDrop also holds on held-out rows, where overfitted cuts show their cost', () => {
    // Class 0 is separated; classes 1–6 have no signal (positives score 0.03 higher on average). In-sample,
    // their best cuts catch a few lucky positives and even raise micro; on held-out rows they add false positives.
    const rand = (() => { let s = 5; return () => ((s = (s * 16807) % 2147483647) / 2147483647); })();
    const y: number[][] = [];
    const p: number[][] = [];
    for (let i = 0; i < 600; i++) {
      const pos0 = i % 2;
      const weak = [0, 1, 2, 3, 4, 5].map(() => (rand() < 0.05 ? 1 : 0));
      y.push([pos0, ...weak]);
      p.push([pos0 ? 0.8 + 0.1 * rand() : 0.1 * rand(), ...weak.map((v) => 0.45 * rand() + (v ? 0.03 : 0))]);
    }
    const unguarded = tuneThresholds(y, p, { fbr: 0, maxMicroDrop: 1, crossFit: true, bootstrap: 0 });
    expect(unguarded.tuned.filter(Boolean)).toHaveLength(6);
    expect(unguarded.micro.f).toBeGreaterThan(unguarded.micro.fInitial); // no in-sample cost at all
    expect(tuneThresholds(y, p, { fbr: 0, crossFit: false, bootstrap: 0, maxMicroDrop: 0.04 }).tuned.filter(Boolean)).toHaveLength(6);
    const guarded = tuneThresholds(y, p, { fbr: 0, maxMicroDrop: 0.04, crossFit: true, bootstrap: 0 });
    expect(guarded.tuned.filter(Boolean).length).toBeLessThan(6);
  });

  it('keeps the initial threshold for a class with no signal (fbr guard)', () => {
    // Class 0 is learnable; class 1's 20 positives score like its 380 negatives.
    const rand = (() => { let s = 7; return () => ((s = (s * 16807) % 2147483647) / 2147483647); })();
    const y: number[][] = [];
    const p: number[][] = [];
    for (let i = 0; i < 400; i++) {
      const pos0 = i % 4 === 0 ? 1 : 0;
      y.push([pos0, i % 20 === 0 ? 1 : 0]);
      p.push([pos0 ? 0.45 + 0.3 * rand() : 0.4 * rand(), 0.3 * rand()]);
    }
    const unguarded = tuneThresholds(y, p, { fbr: 0, crossFit: false, bootstrap: 0, maxMicroDrop: 1 });
    expect(unguarded.thresholds[1]).toBeLessThan(0.3); // a cut inside the noise: it floods test predictions
    expect(unguarded.f[1]).toBeLessThan(0.2);
    const guarded = tuneThresholds(y, p, { crossFit: false, bootstrap: 0 });
    expect(guarded.thresholds[1]).toBe(0.5);
    expect(guarded.tuned).toEqual([true, false]);
    expect(guarded.thresholds[0]).not.toBe(0.5);
  });

  it('keeps the initial threshold for a class with fewer than minPositives positives', () => {
    const y = [[1], [0], [1], [0], [0], [0]];
    const p = [[0.4], [0.1], [0.3], [0.2], [0.05], [0.15]];
    expect(tuneThresholds(y, p).thresholds).toEqual([0.5]); // 2 positives < 5
    expect(tuneThresholds(y, p, { minPositives: 2, crossFit: false, bootstrap: 0 }).thresholds[0]).toBeLessThan(0.3);
  });

  it('crossFit keeps the initial threshold where tuning does not carry over to the other half of the rows', () => {
    // Class 0: positives score above negatives throughout (tuning generalises). Class 1: the even rows favour a
    // low cut and the odd rows a high one, so a cut tuned on one half loses on the other.
    const y: number[][] = [];
    const p: number[][] = [];
    for (let i = 0; i < 200; i++) {
      const pos = i % 5 === 0 ? 1 : 0;
      const even = i % 2 === 0;
      y.push([pos, pos]);
      p.push([pos ? 0.35 + (i % 7) / 100 : 0.1 + (i % 11) / 100, pos ? (even ? 0.3 : 0.6) : even ? 0.2 + (i % 3) / 100 : 0.7]);
    }
    const plain = tuneThresholds(y, p, { crossFit: false, bootstrap: 0 });
    const checked = tuneThresholds(y, p, { crossFit: true, bootstrap: 0 });
    expect(plain.tuned).toEqual([true, true]);
    expect(checked.tuned).toEqual([true, false]);
    expect(checked.thresholds[0]).toBe(plain.thresholds[0]);
    expect(checked.thresholds[1]).toBe(0.5);
    expect(() => tuneThresholds([[1]], [[0.5]], { crossFit: 'yes' as never })).toThrow('options.crossFit: must be true or false');
  });

  describe('bagging (bootstrap, the default)', () => {
    /** 40 classes from 20% down to 1% positive, each with a signal of its own strength, on `rows` rows from `seed`. */
    const longTail = (rows: number, seed: number) => {
      let s = seed;
      const rand = () => ((s = (s * 16807) % 2147483647) / 2147483647);
      const gauss = () => Math.sqrt(-2 * Math.log(Math.max(rand(), 1e-12))) * Math.cos(2 * Math.PI * rand());
      const y: number[][] = [];
      const x: number[][] = [];
      for (let i = 0; i < rows; i++) {
        const yi = Array.from({ length: 40 }, (_, c) => (rand() < 0.2 * Math.pow(c + 1, -0.85) ? 1 : 0));
        y.push(yi);
        x.push(yi.map((v, c) => -2.5 + (v ? 1 + (c % 5) * 0.6 : 0) + gauss()));
      }
      return { y, x };
    };
    const macroAt = (y: number[][], x: number[][], t: number[]) => new FBetaAccumulator({ from: 'logits', threshold: t }).update(y, x).result().macro.f;

    it('gives the same thresholds for the same data', () => {
      const { y, x } = longTail(400, 3);
      expect(tuneThresholds(y, x, { from: 'logits' }).thresholds).toEqual(tuneThresholds(y, x, { from: 'logits' }).thresholds);
    });

    it('keeps more of the macro gain on held-out rows than one cut tuned on the rows as they are', () => {
      // Tuned on 600 rows, scored on 6,000 others: a cut fitted to a handful of positives does not carry over, the bagged one does better.
      const tune = longTail(600, 5);
      const test = longTail(6000, 9);
      const gains = [0, 32].map((bootstrap) => macroAt(test.y, test.x, tuneThresholds(tune.y, tune.x, { from: 'logits', bootstrap, maxMicroDrop: 1 }).thresholds) - macroAt(test.y, test.x, new Array(40).fill(0.5)));
      expect(gains[0]).toBeGreaterThan(0);
      expect(gains[1]).toBeGreaterThan(gains[0]! + 0.003); // 0.033 against 0.027 here
    });

    it("shrinks a cut that the data does not pin down toward initial, and counts a resample's repeated rows once for minPositives", () => {
      // 6 positives among 400 rows, scores barely above the negatives': one cut is low, the bagged one higher.
      const { y, x } = longTail(400, 13);
      const one = tuneThresholds(y, x, { from: 'logits', bootstrap: 0, maxMicroDrop: 1, fbr: 0 });
      const bag = tuneThresholds(y, x, { from: 'logits', maxMicroDrop: 1, fbr: 0 });
      const logit = (p: number) => Math.log(p / (1 - p));
      // Over the rare classes that one cut moved, the bagged cuts lie nearer 0.5 on average (on the logit scale).
      const moved = one.thresholds.map((_, c) => c).filter((c) => c >= 20 && one.thresholds[c] !== 0.5);
      expect(moved.length).toBeGreaterThan(3);
      const distance = (t: number[]) => moved.reduce((a, c) => a + Math.abs(logit(t[c]!)), 0) / moved.length;
      expect(distance(bag.thresholds)).toBeLessThan(distance(one.thresholds));
      // 2 positives: never tuned, however often a resample repeats them.
      expect(tuneThresholds([[1], [0], [1], [0], [0], [0]], [[0.4], [0.1], [0.3], [0.2], [0.05], [0.15]]).thresholds).toEqual([0.5]);
      expect(() => tuneThresholds([[1]], [[0.5]], { bootstrap: 1.5 })).toThrow('options.bootstrap: must be a whole number of resamples in [0, 10000]');
    });
  });

  it("objective 'micro' maximises micro F-beta (brute force over a grid of two classes)", () => {
    const y = [[1, 0], [1, 1], [0, 1], [0, 0], [1, 0], [0, 1], [1, 1], [0, 0]];
    const p = [[0.9, 0.2], [0.6, 0.55], [0.4, 0.7], [0.45, 0.35], [0.3, 0.1], [0.2, 0.4], [0.7, 0.8], [0.1, 0.65]];
    const tuned = tuneThresholds(y, p, { objective: 'micro', fbr: 0, minPositives: 0, crossFit: false, bootstrap: 0 });
    const grid = [0, 0.05, 0.15, 0.25, 0.325, 0.375, 0.425, 0.5, 0.575, 0.625, 0.675, 0.75, 0.85, 0.95];
    let best = 0;
    for (const a of grid) for (const b of grid) best = Math.max(best, new FBetaAccumulator({ threshold: [a, b] }).update(y, p).result().micro.f);
    expect(tuned.micro.f).toBeCloseTo(best, 12);
    const perClass = tuneThresholds(y, p, { fbr: 0, minPositives: 0, crossFit: false, bootstrap: 0 });
    expect(tuned.micro.f).toBeGreaterThanOrEqual(perClass.micro.f);
  });

  it('applyThresholds gives the labels the accumulator counts', () => {
    const logits = [[2, -1, 0.2], [-0.5, 0.3, 0.1], [0, 0, 0]];
    const labels = applyThresholds(logits, [0.5, 0.4, 0.55], { from: 'logits' });
    expect(labels).toEqual([[1, 0, 0], [0, 1, 0], [0, 1, 0]]);
    expect(applyThresholds([[0.5, 0.51]], 0.5)).toEqual([[0, 1]]);
  });
});
