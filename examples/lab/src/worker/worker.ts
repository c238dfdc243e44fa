/**
 * The search, off the page's thread: picks a backend, featurises the table,
 * runs `compareTreatments`, scores each run on the test rows, and hands back
 * the results, the selected classifier's test probabilities and the
 * classifier itself (`saveClassifier` into memory). The page cancels a
 * search by terminating this worker: the search has no abort flag.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { FBetaAccumulator } from '@tfjs-imbalance/fbeta-metric';
import { ImbalanceError, compareTreatments, formatComparison, saveClassifier, type SearchProgress, type TreatmentRun } from '@tfjs-imbalance/search';
import { prepare, type Prepared } from '../shared/features.js';
import type { LabResult, Predictions, RunRequest, RunSummary, WorkerMessage } from '../shared/protocol.js';
import { checkSettings, searchArgs, tensorsOf, type SplitTensors } from '../shared/search.js';
import { checkSpec } from '../shared/spec.js';
import { LabError, type Table } from '../shared/table.js';
import { pickBackend } from './backend.js';

const scope = self as unknown as { postMessage(m: WorkerMessage, transfer?: Transferable[]): void; onmessage: ((e: MessageEvent<RunRequest>) => void) | null };
const post = (m: WorkerMessage, transfer: Transferable[] = []) => scope.postMessage(m, transfer);

/** What the page shows for an error: the message of a check the lab or the library made; no stack. */
function messageOf(e: unknown): string {
  if (e instanceof LabError) return e.message;
  if (e instanceof ImbalanceError) return `The library refused the data: ${e.message}`;
  const text = e instanceof Error ? e.message : String(e);
  return `The search stopped: ${text.split('\n')[0]}`;
}

/** Batch events at most every 200 ms; the others as they come. */
function progressPoster(): (e: SearchProgress) => void {
  let last = 0;
  return (e) => {
    if (e.type === 'run-start') post({ type: 'run-start', name: e.name, index: e.index, total: e.total, batches: e.batchesPerEpoch });
    else if (e.type === 'epoch') post({ type: 'epoch', name: e.name, epoch: e.epoch, score: e.score });
    else if (e.type === 'batch' && performance.now() - last > 200) {
      last = performance.now();
      post({ type: 'batch', name: e.name, epoch: e.epoch, batch: e.batch, loss: e.loss });
    }
  };
}

/** A model's logits on the test rows, read without blocking. */
async function testLogits(model: LayersModel, t: SplitTensors): Promise<Float32Array> {
  const out = model.predict(t.test.x) as tf.Tensor;
  try {
    return (await out.data()) as Float32Array;
  } finally {
    out.dispose();
  }
}

function summary(run: TreatmentRun, data: Prepared, logits: Float32Array): RunSummary {
  const shape: [number, number] = [data.rows.test.length, data.classes.length];
  const s = new FBetaAccumulator({ beta: 0.5, from: 'logits', threshold: run.thresholds }).update({ data: data.y.test, shape }, { data: logits, shape }).result();
  return {
    name: run.name,
    epochs: run.epochs,
    bestEpoch: run.bestEpoch,
    stop: run.stop,
    validation: run.validation,
    gain: run.gain,
    eligible: run.eligible,
    seconds: run.seconds,
    thresholds: run.thresholds,
    test: { f: s.f, precision: s.precision, recall: s.recall, micro: s.micro.f, macro: s.macro.f },
  };
}

/** The selected model's probabilities on the test rows, with the rows as the file has them. */
async function predictions(req: RunRequest, data: Prepared, labels: readonly (readonly string[])[], model: LayersModel, t: SplitTensors, thresholds: readonly number[]): Promise<Predictions> {
  const p = tf.tidy(() => tf.sigmoid(model.predict(t.test.x) as tf.Tensor));
  const flat = (await p.data()) as Float32Array;
  p.dispose();
  const C = data.classes.length;
  const probabilities = data.rows.test.map((_, n) => Array.from(flat.subarray(n * C, (n + 1) * C)));
  return {
    header: req.header,
    records: data.rows.test.map((i) => req.rows[i]!),
    lines: data.rows.test.map((i) => req.lines[i]!),
    trueLabels: data.rows.test.map((i) => data.classes.filter((c) => labels[i]!.includes(c))),
    probabilities,
    predicted: probabilities.map((row) => data.classes.filter((_, c) => row[c]! > thresholds[c]!)),
  };
}

/** The classifier as `model.json` text and the weights' bytes, as tfjs' file handlers lay them out. */
async function savedClassifier(comparison: Parameters<typeof saveClassifier>[0], classes: readonly string[]): Promise<{ modelJson: string; weights: ArrayBuffer }> {
  let saved: tf.io.ModelArtifacts | undefined;
  await saveClassifier(
    comparison,
    tf.io.withSaveHandler(async (artifacts) => {
      saved = artifacts;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
    { labels: classes },
  );
  const { weightData, weightSpecs, ...rest } = saved!;
  const json = { ...rest, weightsManifest: [{ paths: ['weights.bin'], weights: weightSpecs ?? [] }] };
  return { modelJson: JSON.stringify(json), weights: tf.io.CompositeArrayBuffer.join(weightData) };
}

async function run(req: RunRequest): Promise<void> {
  const backend = await pickBackend(req.backend);
  post({ type: 'backend', name: backend.name, detail: backend.detail, skipped: backend.skipped });
  const t0 = performance.now();
  const table: Table = { header: req.header, rows: req.rows, lines: req.lines, delimiter: req.delimiter };
  const settings = checkSettings(req.settings);
  const labels = checkSpec(table, req.spec);
  const data = prepare(table, req.spec, labels, settings);
  post({ type: 'prepared', notes: data.notes, classes: data.classes.length, dim: data.state.dim });
  const t1 = performance.now();
  const t = tensorsOf(data);
  try {
    const runs: RunSummary[] = [];
    const comparison = await compareTreatments({
      ...searchArgs(data, settings, t),
      onProgress: progressPoster(),
      onRunEnd: async (r, model) => {
        const s = summary(r, data, await testLogits(model, t));
        runs.push(s);
        post({ type: 'run-end', run: s });
      },
    });
    try {
      const searchSeconds = (performance.now() - t1) / 1000;
      const testSupport = data.classes.map(() => 0);
      data.y.test.forEach((v, k) => (testSupport[k % data.classes.length]! += v));
      const result: LabResult = {
        backend: backend.detail,
        runs,
        selected: comparison.selected.name,
        front: comparison.front.map((r) => r.name),
        verdict: comparison.verdict,
        formatted: formatComparison(comparison),
        seed: comparison.seed,
        settings: comparison.settings,
        costRatio: comparison.costRatio,
        classes: data.classes,
        trainSupport: comparison.counts.positives,
        testSupport,
        notes: data.notes,
        predictions: await predictions(req, data, labels, comparison.model, t, comparison.selected.thresholds),
        features: data.state,
        seconds: { prepare: (t1 - t0) / 1000, search: searchSeconds },
      };
      const { modelJson, weights } = await savedClassifier(comparison, data.classes);
      post({ type: 'done', result, modelJson, weights }, [weights]);
    } finally {
      comparison.dispose();
    }
  } finally {
    for (const s of Object.values(t)) tf.dispose([s.x, s.y]);
  }
}

scope.onmessage = (e) => {
  run(e.data).catch((err: unknown) => post({ type: 'error', message: messageOf(err) }));
};
