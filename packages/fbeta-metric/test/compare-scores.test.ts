import { compareScores, fbetaScores } from '@tfjs-imbalance/fbeta-metric';

describe('compareScores', () => {
  const baseline = fbetaScores({ tp: [8, 1, 0], fp: [2, 1, 1], fn: [2, 3, 2], samples: 20 });
  const candidate = fbetaScores({ tp: [7, 3, 1], fp: [3, 2, 1], fn: [3, 1, 1], samples: 20 });

  it('gives per-class changes of F-beta, precision and recall, the most frequent class first', () => {
    const cmp = compareScores(baseline, candidate, { labels: ['web', 'games', 'science'] });
    expect(cmp.order).toEqual(['web', 'games', 'science']); // support 10, 4, 2
    const games = cmp.classes[1]!;
    expect(games.baseline.precision).toBeCloseTo(0.5, 12);
    expect(games.candidate.recall).toBeCloseTo(0.75, 12);
    expect(games.delta.recall).toBeCloseTo(0.75 - 0.25, 12);
    expect(games.percent.recall).toBeCloseTo(200, 10);
    const science = cmp.classes[2]!;
    expect(science.baseline.f).toBe(0);
    expect(science.percent.f).toBeNull(); // 0 → more has no finite % change
    expect(cmp.values).toHaveLength(9);
    expect(cmp.values.filter((v) => v.metric === 'f').map((v) => v.label)).toEqual(cmp.order);
    expect(cmp.summary.recall).toEqual({ better: 2, worse: 1 });
    expect(JSON.parse(JSON.stringify(cmp))).toEqual(cmp); // plain data, ready for a vega-lite spec
  });

  it('rejects scores over other classes, and labels that do not fit', () => {
    const two = fbetaScores({ tp: [1, 1], fp: [0, 0], fn: [0, 0], samples: 2 });
    expect(() => compareScores(baseline, two)).toThrow('candidate: has 2 classes but baseline has 3');
    expect(() => compareScores(baseline, candidate, { labels: ['a'] })).toThrow('options.labels: must be one string per class (3)');
    expect(() => compareScores({} as never, candidate)).toThrow('baseline: must be per-class scores { f, precision, recall, support }');
  });
});
