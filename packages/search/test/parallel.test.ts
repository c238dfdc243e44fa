import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import * as tfd from '@tensorflow/tfjs-data';
import { compareTreatments, halvingPruner, type TreatmentComparison } from '@tfjs-imbalance/search';
import { useProblem } from './problem';

// The model module the worker threads load (the built dist/esm/worker.js runs there: npm test builds first).
const MODULE = join(__dirname, 'fixtures', 'worker-model.cjs');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { model, optimizer } = require(MODULE) as { model: () => never; optimizer: () => tf.Optimizer };

/** Everything a run reports but its seconds. */
const figures = (c: TreatmentComparison) => c.runs.map(({ seconds: _s, ...r }) => r);

describe('compareTreatments with workers (Node worker threads)', () => {
  const data = useProblem();

  it.each([
    ['the default budget', undefined],
    ['a budget that prunes (the rung waits for the runs before it)', halvingPruner({ keep: 0.34, keepAbovePlain: false })],
  ])('with %s, gives exactly the sequential search’s runs, figures and selection (shuffled rows, dropout), and leaks nothing', async (_name, budget) => {
    const common = { train: data.train, validation: data.validation, epochs: 6, batchSize: 64, seed: 7, ...(budget === undefined ? {} : { budget }) };
    const random = Math.random;
    const before = tf.memory().numTensors;
    const sequential = await compareTreatments({ ...common, model, optimizer });
    const parallel = await compareTreatments({ ...common, workers: { module: MODULE, count: 2 } });
    expect(figures(parallel)).toEqual(figures(sequential));
    expect(parallel.selected.name).toBe(sequential.selected.name);
    expect(parallel.verdict).toBe(sequential.verdict);
    if (budget !== undefined) expect(parallel.runs.some((r) => r.stop.kind === 'pruned')).toBe(true);
    const [a, b] = [sequential.model.predict(data.validation.x) as tf.Tensor, parallel.model.predict(data.validation.x) as tf.Tensor];
    expect(Array.from(await b.data())).toEqual(Array.from(await a.data()));
    tf.dispose([a, b]);
    sequential.dispose();
    parallel.dispose();
    expect(tf.memory().numTensors).toBe(before);
    expect(Math.random).toBe(random);
  });

  it('refuses what worker threads cannot take, naming the argument and the fix', async () => {
    const base = { train: data.train, validation: data.validation, epochs: 1 };
    await expect(compareTreatments({ ...base, model, workers: { module: MODULE } })).rejects.toThrow('args.model: is given with workers, but each worker thread builds its own from args.workers.module');
    await expect(compareTreatments({ ...base, workers: { module: './model.js' } })).rejects.toThrow('args.workers.module: must be the URL or absolute path of a module that exports the model factory');
    await expect(compareTreatments({ ...base, workers: { module: join(__dirname, 'fixtures', 'missing.cjs') } })).rejects.toThrow('args.workers.module: could not be imported');
    await expect(compareTreatments({ ...base, workers: { module: MODULE, count: 0 } })).rejects.toThrow('args.workers.count: must be a whole number ≥ 1, got number 0');
    await expect(compareTreatments({ ...base, workers: { module: MODULE, threads: 2 } as never })).rejects.toThrow('args.workers: unknown option "threads"');
    const ds = tfd.array([{ xs: tf.zeros([1, 8]), ys: tf.zeros([1, 6]) }]);
    await expect(compareTreatments({ ...base, train: ds as never, workers: { module: MODULE } })).rejects.toThrow('args.train: must be { x, y } tensors with workers');
  });
});
