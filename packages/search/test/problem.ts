import * as tf from '@tensorflow/tfjs-core';

/** A seeded long-tailed multi-label problem: 8 features, 6 classes from ~45% down to ~3% positive. */
export function problem(rows: number, seed: number) {
  let s = seed;
  const rand = () => ((s = (s * 16807) % 2147483647) / 2147483647);
  const W = Array.from({ length: 8 }, () => Array.from({ length: 6 }, () => rand() * 2 - 1));
  const bias = [0, -0.8, -1.4, -1.9, -2.3, -2.6];
  const x: number[][] = [];
  const y: number[][] = [];
  for (let i = 0; i < rows; i++) {
    const xi = Array.from({ length: 8 }, () => rand() * 2 - 1);
    x.push(xi);
    y.push(bias.map((b, c) => (xi.reduce((a, v, d) => a + v * W[d]![c]!, b) * 2 + (rand() - 0.5) > 0 ? 1 : 0)));
  }
  return { x: tf.tensor2d(x), y: tf.tensor2d(y) };
}

/** The tests' training (600 rows) and validation (300 rows) problem, made before and freed after the enclosing describe. */
export function useProblem(): { train: ReturnType<typeof problem>; validation: ReturnType<typeof problem> } {
  const data = {} as { train: ReturnType<typeof problem>; validation: ReturnType<typeof problem> };
  beforeAll(() => {
    data.train = problem(600, 3);
    data.validation = problem(300, 5);
  });
  afterAll(() => tf.dispose([data.train.x, data.train.y, data.validation.x, data.validation.y]));
  return data;
}
