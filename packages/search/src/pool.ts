/**
 * The worker threads of a parallel search (Node only): a piscina pool over
 * `worker.js`, each worker sharing the data the parent put in shared
 * memory. Loaded by a dynamic import, so that a browser bundle of the search
 * never sees piscina or Node's modules. @internal
 * @packageDocumentation
 */
import type { JudgeReply, WorkerData, WorkerMessage, WorkerResult, WorkerTask } from './worker-protocol.js';

const nodeImport = <T>(specifier: string) => import(/* webpackIgnore: true */ /* @vite-ignore */ specifier) as Promise<T>;

interface PiscinaLike {
  run(task: unknown, options: { transferList: unknown[] }): Promise<unknown>;
  destroy(): Promise<void>;
}

/** A running pool: trains one candidate per call, on the next free worker. */
export interface WorkerPool {
  train(task: Omit<WorkerTask, 'port'>, onMessage: (m: WorkerMessage, reply: (r: JudgeReply) => void) => void): Promise<WorkerResult>;
  close(): Promise<void>;
}

/** Where the built worker script is: next to the search package the user's module resolves. */
async function workerScript(module: string): Promise<string> {
  const { createRequire } = await nodeImport<{ createRequire(from: string): { resolve(id: string): string } }>('node:module');
  const { dirname, join } = await nodeImport<{ dirname(p: string): string; join(...p: string[]): string }>('node:path');
  const pkg = createRequire(module).resolve('@tfjs-imbalance/search/package.json');
  return join(dirname(pkg), 'dist', 'esm', 'worker.js');
}

/** Starts `count` workers over `data`. */
export async function startPool(count: number, data: WorkerData): Promise<WorkerPool> {
  const { Piscina } = await nodeImport<{ Piscina: new (o: Record<string, unknown>) => PiscinaLike }>('piscina');
  const pool = new Piscina({ filename: await workerScript(data.module), minThreads: count, maxThreads: count, workerData: data, idleTimeout: 60_000 });
  return {
    async train(task, onMessage) {
      const { port1, port2 } = new MessageChannel();
      port1.onmessage = (e: MessageEvent<WorkerMessage>) => onMessage(e.data, (r) => port1.postMessage(r));
      try {
        return (await pool.run({ ...task, port: port2 }, { transferList: [port2] })) as WorkerResult;
      } finally {
        port1.close();
      }
    },
    close: () => pool.destroy(),
  };
}
