/**
 * The parallel search: candidates after plain training train at the same
 * time in worker threads, and give the answer the sequential search gives
 * with the same seed. Each worker starts from the same initial weights and
 * random streams. A candidate is judged at a rung only once every earlier
 * candidate (in the list's order) has passed that epoch or ended, against
 * exactly the curves the sequential search would show it. A candidate that
 * needs the runs before it (`scheme: 'best'`) starts once they are scored.
 * Each worker scores the run it trained against plain training's scores (the
 * bootstrap's streams are seeded by the run's name, so the figures are the
 * sequential search's); the parent selects the runs in order. @internal
 */
import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { InvalidOptionError } from '@tfjs-imbalance/weight-schemes';
import { checkOptionNames, describe, optionNames, checkConstraint } from '@tfjs-imbalance/weight-schemes/internal';
import { startPool } from './pool.js';
import type { CurveView, PruneContext } from './pruner.js';
import type { PlainScores } from './score-run.js';
import type { Settings } from './settings.js';
import { release, type SearchPlan, type TrainedCandidate } from './train-candidate.js';
import type { CompareTreatmentsArgs, TreatmentRun, WorkersOption } from './types.js';
import { trainingSetup, type Treatment } from './treatments.js';
import type { JudgeReply, SharedTensor, WorkerData } from './worker-protocol.js';
import type { WorkerPool } from './pool.js';

/** A tensor copied once into shared memory, for every worker. */
async function shared(t: tf.Tensor): Promise<SharedTensor> {
  const dtype = t.dtype === 'int32' ? 'int32' : 'float32';
  const values = await t.data();
  const buffer = new SharedArrayBuffer(values.length * 4);
  (dtype === 'int32' ? new Int32Array(buffer) : new Float32Array(buffer)).set(values as ArrayLike<number>);
  return { buffer, shape: [...t.shape], dtype };
}

/** What the workers need once: the data in shared memory, the initial weights, the settings, the user's module and plain training's scores. */
export async function workerData(plan: SearchPlan, module: string, plain: PlainScores): Promise<WorkerData> {
  const { pruner: _pruner, ...settings } = plan.settings;
  return {
    module,
    backend: tf.getBackend(),
    settings,
    train: { x: await shared(plan.train.x!), y: await shared(plan.train.y!) },
    validation: { x: await shared(plan.validation.x!), y: await shared(plan.validation.y!) },
    initial: await Promise.all(plan.initial.map(async (w) => ({ values: (await w.data()) as Float32Array, shape: [...w.shape] }))),
    counts: plan.counts,
    bottomThird: plan.bottomThird,
    plain,
  };
}

/** A candidate a worker trained and scored: its model rebuilt here, and its run. */
export type ScoredInWorker = TrainedCandidate & { readonly run: TreatmentRun };

/** Plain training's part in the pruning and the scoring: its curve and length, its micro reference for the floor, its scored run and out-of-fold predictions. */
export interface PlainView extends PlainScores {
  readonly name: string;
  readonly curve: readonly number[];
  readonly epochs: number;
}

/** Starts the candidates after plain training (indices 1 …) on the pool, `count` at a time, in order. */
export function schedule(
  plan: SearchPlan,
  pool: WorkerPool,
  count: number,
  candidates: readonly Treatment[],
  plain: PlainView,
  treatmentFor: (index: number) => Promise<Treatment>,
  batchEvents: boolean,
): { trained(index: number): Promise<ScoredInWorker> } {
  const s: Settings = plan.settings;
  const live: number[][] = candidates.map(() => []);
  const done: boolean[] = candidates.map(() => false);
  const pending: { index: number; epoch: number; curve: readonly number[]; reply: (r: JudgeReply) => void; id: number }[] = [];
  const objectiveEpochs = Array.from({ length: s.epochs }, (_, e) => e + 1).filter((e) => s.pruner?.needsObjective(e, plain.epochs, s.epochs) ?? false);

  const decide = () => {
    for (let i = pending.length - 1; i >= 0; i--) {
      const p = pending[i]!;
      const earlier = live.slice(1, p.index);
      if (!earlier.every((curve, j) => done[j + 1] || curve.length >= p.epoch)) continue;
      pending.splice(i, 1);
      const others: CurveView[] = earlier.map((curve, j) => ({ name: candidates[j + 1]!.name, curve }));
      const context: PruneContext = { epoch: p.epoch, run: { name: candidates[p.index]!.name, curve: p.curve }, plain: { name: plain.name, curve: plain.curve, epochs: plain.epochs }, others, maxEpochs: s.epochs };
      p.reply({ id: p.id, reason: s.pruner?.judge(context)?.reason });
    }
  };

  let free = count;
  const waiters: (() => void)[] = [];
  const slot = async () => {
    while (free === 0) await new Promise<void>((r) => waiters.push(r));
    free--;
  };
  const release = () => {
    free++;
    waiters.shift()?.();
  };

  const results: Promise<ScoredInWorker>[] = [];
  let chain = Promise.resolve();
  for (let index = 1; index < candidates.length; index++) {
    const start = chain.then(slot);
    chain = start;
    results[index] = start.then(async () => {
      try {
        const treatment = await treatmentFor(index);
        const result = await pool.train({ index, total: candidates.length, treatment, reference: plain.reference, objectiveEpochs, batchEvents }, (m, reply) => {
          if (m.type === 'progress') {
            if (m.event.type === 'epoch') {
              live[index]!.push(m.event.objective);
              decide();
            }
            plan.progress(m.event);
          } else {
            pending.push({ index, epoch: m.epoch, curve: m.curve, reply, id: m.id });
            decide();
          }
        });
        const { run } = result;
        return { ...rebuild(plan, treatment, result.weights, { curve: run.curve, epochs: run.epochs, bestEpoch: run.bestEpoch, stop: run.stop, seconds: run.seconds }), run };
      } finally {
        done[index] = true;
        decide();
        release();
      }
    });
    // A failure surfaces where the search awaits that candidate.
    results[index]!.catch(() => undefined);
  }
  return { trained: (index) => results[index]! };
}

/** The trained candidate in the parent: a fresh model with the worker's best weights, compiled with its loss. */
function rebuild(plan: SearchPlan, treatment: Treatment, weights: readonly { values: Float32Array; shape: number[] }[], rest: Omit<TrainedCandidate, 'treatment' | 'model' | 'setup'>): TrainedCandidate {
  const model = plan.factory();
  const setup = trainingSetup(treatment, plan.counts);
  setup.prepare(model);
  const tensors = weights.map((w) => tf.tensor(w.values, w.shape));
  model.setWeights(tensors);
  tf.dispose(tensors);
  model.compile({ optimizer: plan.optimizer(), loss: setup.loss as never });
  return { treatment, model, setup, ...rest };
}

/** The search's `workers`, checked, with the model and optimizer factories its module exports. */
export interface Workers {
  readonly count: number;
  /** The module's URL (`file://…`). */
  readonly module: string;
  readonly model: () => LayersModel;
  readonly optimizer: (() => tf.Optimizer) | undefined;
}

const nodeImport = <T>(specifier: string) => import(/* webpackIgnore: true */ /* @vite-ignore */ specifier) as Promise<T>;

/** Checks `args.workers` and loads its module; `undefined` without it. */
export async function workersOf(args: CompareTreatmentsArgs): Promise<Workers | undefined> {
  const w = args.workers;
  if (w === undefined) return undefined;
  if (w === null || typeof w !== 'object') throw new InvalidOptionError('args.workers', `must be { module, count } such as { module: new URL('./model.js', import.meta.url), count: 2 }, got ${describe(w)}.`);
  checkOptionNames('args.workers', w, optionNames<WorkersOption>()('module', 'count'));
  if ((globalThis as { process?: { versions?: { node?: string } } }).process?.versions?.node === undefined) {
    throw new InvalidOptionError('args.workers', 'needs Node (worker threads); in a browser the search trains one candidate after another: leave workers out.');
  }
  const count = w.count ?? Math.max(1, (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator?.hardwareConcurrency ?? 2);
  checkConstraint('args.workers.count', count, { whole: { min: 1 } });
  for (const k of ['model', 'optimizer'] as const) {
    if (args[k] !== undefined) throw new InvalidOptionError(`args.${k}`, `is given with workers, but each worker thread builds its own from args.workers.module: export ${k} from that module (export const ${k} = () => …) and leave args.${k} out.`);
  }
  for (const k of ['train', 'validation'] as const) {
    if (!(args[k] as { x?: unknown } | undefined)?.x) throw new InvalidOptionError(`args.${k}`, 'must be { x, y } tensors with workers (the threads share them in memory); a tf.data dataset trains in one thread: leave workers out.');
  }
  const spec = w.module instanceof URL ? w.module.href : w.module;
  if (typeof spec !== 'string' || !(spec.startsWith('file://') || spec.startsWith('/'))) {
    throw new InvalidOptionError('args.workers.module', `must be the URL or absolute path of a module that exports the model factory, such as new URL('./model.js', import.meta.url), got ${describe(w.module)}.`);
  }
  const url = await nodeImport<{ pathToFileURL(p: string): URL; fileURLToPath(u: string): string }>('node:url');
  const href = spec.startsWith('file://') ? spec : url.pathToFileURL(spec).href;
  let mod: Record<string, unknown>;
  try {
    // By path here: this build may be CommonJS, whose import() is require(), which takes no file URL.
    mod = await nodeImport<Record<string, unknown>>(url.fileURLToPath(href));
  } catch (e) {
    throw new InvalidOptionError('args.workers.module', `could not be imported (${(e as Error).message}).`);
  }
  if (typeof mod['model'] !== 'function') throw new InvalidOptionError('args.workers.module', `exports no model factory: add export const model = () => tf.sequential({ … }) to ${href}.`);
  if (mod['optimizer'] !== undefined && typeof mod['optimizer'] !== 'function') throw new InvalidOptionError('args.workers.module', `exports optimizer, but not as a factory: export const optimizer = () => tf.train.adam(0.001).`);
  return { count, module: href, model: mod['model'] as Workers['model'], optimizer: mod['optimizer'] as Workers['optimizer'] };
}

/** How far the search has scored, for the candidates that wait on the runs before them. */
export class Progression {
  private reachedCount = 0;
  private readonly waiting: { n: number; resolve: () => void }[] = [];
  /** Resolves once `n` runs are scored. */
  reached(n: number): Promise<void> {
    if (this.reachedCount >= n) return Promise.resolve();
    return new Promise((resolve) => this.waiting.push({ n, resolve }));
  }
  /** `n` runs are scored now. */
  advance(n: number): void {
    this.reachedCount = n;
    for (const w of this.waiting.filter((x) => x.n <= n)) w.resolve();
  }
}

/** The parallel part of a search: the trained candidates in order, and the pool to close. */
export interface Parallel {
  trained(index: number): Promise<ScoredInWorker>;
  /** After a failure: frees the candidates trained but not yet taken (from index `from`). */
  abandon(from: number): Promise<void>;
  close(): Promise<void>;
}

/** Starts the pool and schedules the candidates after plain training. */
export async function startParallel(plan: SearchPlan, workers: Workers, candidates: readonly Treatment[], plain: PlainView, treatmentFor: (index: number) => Promise<Treatment>, batchEvents: boolean): Promise<Parallel> {
  const pool = await startPool(workers.count, await workerData(plan, workers.module, plain));
  const scheduled = schedule(plan, pool, workers.count, candidates, plain, treatmentFor, batchEvents);
  return {
    trained: scheduled.trained,
    async abandon(from) {
      for (let k = Math.max(1, from); k < candidates.length; k++) {
        const t = await scheduled.trained(k).catch(() => undefined);
        if (t !== undefined) release(t.model, t.setup);
      }
    },
    close: () => pool.close(),
  };
}
