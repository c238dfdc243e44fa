/**
 * The parallel search against itself: the wall time of `compareTreatments`
 * with 2 worker threads ÷ with 1, on the same problem and seed, and whether
 * the two give the same runs and selection.
 */
import * as tf from '@tensorflow/tfjs-core';
import { compareTreatments, type TreatmentComparison } from '@tfjs-imbalance/search';
import { CLASSES, FEATURES, model, optimizer } from './search-model.js';

/** A seeded long-tailed multi-label problem: class c is positive where a noisy linear score passes a rising bar. */
function problem(rows: number, seed: number): { x: tf.Tensor2D; y: tf.Tensor2D } {
  let s = seed;
  const rand = () => ((s = (s * 16807) % 2147483647) / 2147483647);
  const W = Array.from({ length: FEATURES * CLASSES }, () => rand() * 2 - 1);
  const x = new Float32Array(rows * FEATURES).map(() => rand() * 2 - 1);
  const y = new Float32Array(rows * CLASSES);
  for (let i = 0; i < rows; i++) {
    for (let c = 0; c < CLASSES; c++) {
      let z = 0;
      for (let d = 0; d < FEATURES; d++) z += x[i * FEATURES + d]! * W[d * CLASSES + c]!;
      y[i * CLASSES + c] = z + (rand() - 0.5) * 4 > 1 + c * 0.12 ? 1 : 0;
    }
  }
  return { x: tf.tensor2d(x, [rows, FEATURES]), y: tf.tensor2d(y, [rows, CLASSES]) };
}

const figures = (c: TreatmentComparison) => JSON.stringify(c.runs.map(({ seconds: _s, ...r }) => r));

export async function searchWorkersCase(module: string): Promise<{ inProcess: number; oneWorker: number; twoWorkers: number; ratio: number; identical: boolean; selected: string }> {
  const train = problem(16_000, 3);
  const validation = problem(4_000, 5);
  // count 0: in the main thread, one candidate after another.
  const run = async (count: number) => {
    const t0 = performance.now();
    const common = { train, validation, epochs: 8, batchSize: 64, seed: 1, verbose: 0 as const };
    const c = await compareTreatments(count === 0 ? { ...common, model, optimizer } : { ...common, workers: { module, count } });
    return { c, seconds: (performance.now() - t0) / 1000 };
  };
  const zero = await run(0);
  const one = await run(1);
  const two = await run(2);
  const out = {
    inProcess: zero.seconds,
    oneWorker: one.seconds,
    twoWorkers: two.seconds,
    ratio: two.seconds / one.seconds,
    identical: figures(one.c) === figures(two.c) && figures(zero.c) === figures(two.c),
    selected: two.c.selected.name,
  };
  [zero, one, two].forEach((r) => r.c.dispose());
  tf.dispose([train.x, train.y, validation.x, validation.y]);
  return out;
}
