/**
 * The search's worker thread (Node): trains the candidates the parent sends,
 * one at a time, on the data it shares, with the model factory of the
 * user's module, and returns each one's curve, best weights and validation
 * scores (the bootstrap of its gain included). The parent keeps the pruner
 * and the selection. @internal
 * @packageDocumentation
 */
import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { checkSplit } from './inputs.js';
import { Streams } from './random.js';
import { scoreRun } from './score-run.js';
import { release, trainCandidate, type SearchPlan } from './train-candidate.js';
import type { JudgeReply, SharedTensor, WorkerData, WorkerMessage, WorkerResult, WorkerTask } from './worker-protocol.js';

const nodeImport = (specifier: string) => import(/* webpackIgnore: true */ /* @vite-ignore */ specifier) as Promise<Record<string, unknown>>;

const BACKEND_MODULES: Record<string, string> = { cpu: '@tensorflow/tfjs-backend-cpu', wasm: '@tensorflow/tfjs-backend-wasm', tensorflow: '@tensorflow/tfjs-node' };

let planned: Promise<SearchPlan> | undefined;

const tensorOf = (t: SharedTensor) => tf.tensor(t.dtype === 'int32' ? new Int32Array(t.buffer) : new Float32Array(t.buffer), t.shape, t.dtype);

async function planOf(data: WorkerData): Promise<SearchPlan> {
  await nodeImport('@tensorflow/tfjs-layers'); // registers the gradients
  const backend = BACKEND_MODULES[data.backend];
  if (backend !== undefined) await nodeImport(backend);
  if (!(await tf.setBackend(data.backend))) throw new Error(`the worker could not set the tfjs backend "${data.backend}" that the search runs on`);
  const mod = await nodeImport(data.module);
  const factory = mod['model'] as () => LayersModel;
  const optimizer = (mod['optimizer'] as (() => tf.Optimizer) | undefined) ?? (() => tf.train.adam(0.001));
  const train = checkSplit('args.train', { x: tensorOf(data.train.x), y: tensorOf(data.train.y) });
  const validation = checkSplit('args.validation', { x: tensorOf(data.validation.x), y: tensorOf(data.validation.y) });
  const yVal = await validation.labels();
  return {
    settings: { ...data.settings, pruner: undefined },
    factory,
    optimizer,
    initial: data.initial.map((w) => tf.tensor(w.values, w.shape)),
    train,
    validation,
    yVal,
    counts: data.counts,
    bottomThird: data.bottomThird,
    streams: new Streams(data.settings.seed),
    progress: () => undefined,
  };
}

/** Trains one candidate (the task), reporting on its port. */
export default async function trainTask(task: WorkerTask): Promise<WorkerResult> {
  const { workerData } = (await nodeImport('piscina')) as { workerData: WorkerData };
  planned ??= planOf(workerData);
  const base = await planned;
  const port = task.port;
  const post = (m: WorkerMessage) => port.postMessage(m);
  const plan: SearchPlan = { ...base, progress: (event) => (event.type !== 'batch' || task.batchEvents) && post({ type: 'progress', event }) };
  let next = 0;
  const waiting = new Map<number, (reason: string | undefined) => void>();
  port.onmessage = (e: MessageEvent<JudgeReply>) => waiting.get(e.data.id)?.(e.data.reason);
  try {
    const trained = await trainCandidate(plan, task.treatment, {
      index: task.index,
      total: task.total,
      reference: task.reference,
      needsObjective: (epoch) => task.objectiveEpochs.includes(epoch),
      judge: (epoch, curve) =>
        new Promise((resolve) => {
          const id = next++;
          waiting.set(id, (reason) => resolve(reason === undefined ? undefined : { reason }));
          post({ type: 'judge', id, epoch, curve: [...curve] });
        }),
    });
    try {
      const weights = await Promise.all(trained.model.getWeights().map(async (w) => ({ values: (await w.data()) as Float32Array, shape: [...w.shape] })));
      const { run } = await scoreRun(plan, trained, workerData.plain);
      return { weights, run };
    } finally {
      release(trained.model, trained.setup);
    }
  } finally {
    port.close();
  }
}
