import * as tf from '@tensorflow/tfjs-core';
import { generate, prevalences } from '../src/generate';
import { PROBLEMS, problemNamed } from '../src/problems';
import { runProblem } from '../src/run';

describe('the panel of user-like problems', () => {
  it('generates the same data from the same seed, with the long tail it declares', () => {
    const spec = { ...problemNamed('zipf-mlp').data, rows: { train: 4000, validation: 100, test: 100 } };
    const a = generate(spec, 1);
    expect(generate(spec, 1).train.x).toEqual(a.train.x);
    expect(generate(spec, 2).train.x).not.toEqual(a.train.x);
    const p = prevalences(150, 0.24, 11 / 12000);
    expect(p[0]).toBeCloseTo(0.24, 12);
    expect(p[149]).toBeCloseTo(11 / 12000, 12);
    // The most frequent class is drawn at its prevalence (within 4 standard errors).
    const first = Array.from({ length: 4000 }, (_, i) => a.train.y[i * 150]!).reduce((s, v) => s + v, 0) / 4000;
    expect(Math.abs(first - 0.24)).toBeLessThan(4 * Math.sqrt((0.24 * 0.76) / 4000));
    expect(PROBLEMS.length).toBeGreaterThanOrEqual(4);
  });

  it('runs the search on a problem, scaled down, and repeats it exactly with the same seed', async () => {
    const before = tf.memory().numTensors;
    const problem = { ...problemNamed('small-data'), epochs: 4 };
    const run = () => runProblem(problem, { dataSeed: 1, seed: 3, scale: 0.5 });
    const [a, b] = [await run(), await run()];
    expect(a.runs.map((r) => r.name)).toEqual(b.runs.map((r) => r.name));
    expect(b.runs).toEqual(a.runs.map((r) => ({ ...r, seconds: b.runs.find((x) => x.name === r.name)!.seconds })));
    expect(b.selected).toBe(a.selected);
    expect(a.table).toContain(a.verdict);
    expect(tf.memory().numTensors).toBe(before);
  });
});
