// The browser page, on the backend named by ?backend= (cpu, webgl or webgpu): compares every loss's value and
// gradient with the cpu backend's, trains a tiny multi-label model with the weighted loss, the sample-weight
// callback, the F-beta callback and metric (every synchronous read made to throw, as WebGPU does), and, where
// the backend allows, saves to IndexedDB and resumes. It publishes what happened on window.__result.
// With ?example=segmentation it runs the segmentation example's core instead (segmentation.ts).
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu';
import { classWeights, countMultiHot } from '@tfjs-imbalance/weight-schemes';
import {
  asymmetricLoss,
  binaryCrossEntropy,
  distributionBalancedLoss,
  logitAdjustedCrossEntropy,
  resumable,
  resumeTraining,
  saveForResume,
  sigmoidAsymmetricLoss,
  sigmoidDistributionBalancedLoss,
  sigmoidFocalLoss,
  softmaxCrossEntropy,
  weightedBinaryCrossentropy,
  weightedBinaryFocalCrossentropy,
  weightedCategoricalCrossentropy,
  type WeightedLoss,
} from '@tfjs-imbalance/weighted-loss';
import { sampleWeightCallback } from '@tfjs-imbalance/sample-weight-callback';
import { averagePrecision, fbetaCallback, fbetaMetric, averagePrecisionCallback } from '@tfjs-imbalance/fbeta-metric';
import { DEFAULT_TREATMENTS, compareTreatments, loadClassifier, saveClassifier } from '@tfjs-imbalance/search';
import { countBlockingReads } from '@tfjs-imbalance/backend/blocking-reads';
import { segmentation } from './segmentation.js';

declare global {
  interface Window {
    __result?: unknown;
  }
}

/** Each loss's batch-mean value and gradient on fixed logits, read asynchronously. */
async function lossValues(): Promise<Record<string, number[]>> {
  const N = 6;
  const C = 4;
  const x = tf.tensor2d(Array.from({ length: N * C }, (_, i) => Math.sin(i * 1.7) * 6), [N, C]);
  const y = tf.tensor2d(Array.from({ length: N * C }, (_, i) => (Math.cos(i * 2.3) > 0.3 ? 1 : 0)), [N, C]);
  const oneHot = tf.oneHot(tf.tensor1d([0, 1, 2, 3, 1, 0], 'int32'), C).toFloat();
  const counts = { positives: [40, 12, 5, 2], samples: 60, emptyRows: 3 };
  const losses: [string, WeightedLoss, tf.Tensor][] = [
    ['weighted BCE (ISNS, pos_weight)', weightedBinaryCrossentropy({ scheme: 'isns', counts, posWeight: [1, 2, 3, 4] }), y],
    ['focal', weightedBinaryFocalCrossentropy({ numClasses: C, gamma: 2, alpha: 0.25 }), y],
    ['Distribution-Balanced', distributionBalancedLoss({ counts: counts }), y],
    ['Asymmetric', asymmetricLoss({ numClasses: C }), y],
    ['categorical, logit-adjusted', weightedCategoricalCrossentropy({ numClasses: C, logitAdjustment: { counts: counts.positives } }), oneHot],
  ];
  const out: Record<string, number[]> = {};
  for (const [name, loss, labels] of losses) {
    const { value, grad } = tf.valueAndGrad((t: tf.Tensor) => tf.mean(loss(labels, t)) as tf.Scalar)(x);
    out[name] = [...(await value.data()), ...(await grad.data())];
    tf.dispose([value, grad]);
    loss.dispose();
  }
  const ap = averagePrecision(await y.array(), await x.array());
  out['average precision (macro)'] = [ap.macro];
  tf.dispose([x, y, oneHot]);
  return out;
}

/** WebGL with forced 16-bit float textures (a GPU without float32 render targets): the losses must refuse, by name. */
async function f16(): Promise<void> {
  tf.env().set('WEBGL_FORCE_F16_TEXTURES', true);
  await tf.setBackend('webgl');
  const loss = weightedBinaryCrossentropy({ numClasses: 2 });
  const errors: string[] = [];
  for (const run of [
    () => tf.tidy(() => loss(tf.tensor2d([[1, 0]]), tf.tensor2d([[2, -1]]))),
    () => tf.tidy(() => fbetaMetric()(tf.tensor2d([[1, 0]]), tf.tensor2d([[0.9, 0.1]]))),
  ]) {
    try {
      run();
      errors.push('no error');
    } catch (e) {
      errors.push(e instanceof Error ? e.message : String(e));
    }
  }
  loss.dispose();
  window.__result = { backend: tf.getBackend(), f16Errors: errors };
}

/**
 * The float64 audit's reproductions (issue 19): [name, what the backend gives, the float64 value]. Each must be
 * within 1e-4 relative. (The binary family's element losses below 6e-8 are not among them: on wasm and WebGL
 * they round to 0, as the README says.)
 */
async function reproductions(): Promise<[string, number, number][]> {
  const read = async (t: tf.Tensor) => {
    const v = (await t.data())[0]!;
    t.dispose();
    return v;
  };
  const grad = (f: (t: tf.Tensor) => tf.Tensor, x: number) => tf.grad((t: tf.Tensor) => tf.sum(f(t)) as tf.Scalar)(tf.tensor2d([[x]]));
  const sigmoid = (v: number) => 1 / (1 + Math.exp(-v));
  const aslExact = [-17, -14, -10].reduce((a, x) => a + Math.log1p(Math.exp(-x)) * sigmoid(-x), 0);
  return [
    ['softmax CE of [[1e4, 1e4]]', await read(softmaxCrossEntropy([0], [[1e4, 1e4]])), Math.LN2],
    ['softmax CE, class 1 of [[-100, -88, -100]]', await read(softmaxCrossEntropy([1], [[-100, -88, -100]])), Math.log1p(2 * Math.exp(-12))],
    ['logit-adjusted CE of [[-1e4, -1e4]], counts [1, 4510]', await read(logitAdjustedCrossEntropy([1], [[-1e4, -1e4]], { counts: [1, 4510] })), Math.log1p(1 / 4510)],
    ['ASL of [[1, 1, 1]] at [[-17, -14, -10]]', await read(sigmoidAsymmetricLoss([[1, 1, 1]], [[-17, -14, -10]])), aslExact],
    ['BCE gradient at x = 17, y = 1', await read(grad((t) => binaryCrossEntropy([[1]], t, { reduction: 'sum' }), 17)), -sigmoid(-17)],
    ['BCE gradient at x = 17, y = 1, pos_weight 8', await read(grad((t) => binaryCrossEntropy([[1]], t, { posWeight: [8], reduction: 'sum' }), 17)), -8 * sigmoid(-17)],
  ];
}

/** The functional losses with their default options, every synchronous read made to throw on the GPU backends: their values and how many blocking reads they made. */
async function functionalDefaults(gpu: boolean): Promise<{ reads: number; values: number[] }> {
  const y = tf.tensor2d([[1, 0, 1], [0, 1, 0]]);
  const x = tf.tensor2d([[2, -1, 0.5], [-3, 1, 0]]);
  const { result, reads } = await countBlockingReads(async () => {
    const outs = [
      binaryCrossEntropy(y, x),
      sigmoidFocalLoss(y, x),
      sigmoidDistributionBalancedLoss(y, x, { counts: { positives: [5, 3, 1], samples: 8, emptyRows: 0 } }),
      sigmoidAsymmetricLoss(y, x),
      softmaxCrossEntropy([0, 1], x),
      logitAdjustedCrossEntropy([0, 1], x, { counts: [5, 3, 1] }),
    ];
    const values = await Promise.all(outs.map(async (t) => (await t.data())[0]!));
    tf.dispose(outs);
    return values;
  }, gpu);
  tf.dispose([y, x]);
  return { reads, values: result };
}

/** The rows the deploy check predicts on, the same in the saving page and the loading one. */
const deployRows = () => tf.tensor2d(Array.from({ length: 32 }, (_, i) => [Math.sin(i), Math.cos(i * 1.3), Math.sin(i * 0.7) * 2, (i % 3) - 1]));
const DEPLOYED = 'indexeddb://tfjs-imbalance-classifier';

/** A fresh page (its own renderer) loads the classifier another page saved, and predicts labels. */
async function loadDeployed(backend: string): Promise<void> {
  if (!(await tf.setBackend(backend))) throw new Error(`tf.setBackend('${backend}') failed`);
  const c = await loadClassifier(DEPLOYED);
  const x = deployRows();
  const { result: labels, reads } = await countBlockingReads(() => c.predict(x), backend !== 'cpu');
  const probabilities = await c.probabilities(x);
  x.dispose();
  c.dispose();
  window.__result = { backend: tf.getBackend(), labels, probabilities, blockingReads: reads, thresholds: c.thresholds };
}

async function main(): Promise<void> {
  const params = new URLSearchParams(location.search);
  const backend = params.get('backend') ?? 'cpu';
  if (backend === 'webgl-f16') return f16();
  if (params.get('load') === 'classifier') return loadDeployed(backend);
  if (params.get('example') === 'segmentation') return void (window.__result = await segmentation(backend));
  // The reference: the same values on the cpu backend.
  await tf.setBackend('cpu');
  const cpuValues = await lossValues();
  if (!(await tf.setBackend(backend))) throw new Error(`tf.setBackend('${backend}') failed`);
  await tf.ready();
  const values = await lossValues();
  const float64 = await reproductions();

  const rows = Array.from({ length: 96 }, (_, i) => [i % 2, i % 5 === 0 ? 1 : 0, i % 12 === 0 ? 1 : 0]);
  const x = tf.tensor2d(rows.map((r, i) => [...r.map((v) => v * 2 - 1), Math.sin(i)]));
  const y = tf.tensor2d(rows);
  const counts = countMultiHot(rows);
  const model = tf.sequential({ layers: [tf.layers.dense({ units: 3, inputShape: [4] })] });
  const loss = weightedBinaryCrossentropy({ numClasses: 3 });
  const optimizer = tf.train.adam(0.05);
  model.compile({ optimizer, loss, metrics: [fbetaMetric({ from: 'logits' })] });
  const before = tf.memory().numTensors;
  const { result: history, reads: blockingReads } = await countBlockingReads(() =>
    model.fit(x, y, {
      epochs: 8,
      batchSize: 16,
      verbose: 0,
      callbacks: [
        sampleWeightCallback({ losses: loss, scheme: { name: 'ens', beta: 0.99 }, counts, logWeights: true }),
        fbetaCallback({ validationData: [x, y], from: 'logits' }),
        averagePrecisionCallback({ validationData: [x, y] }),
      ],
    }),
    backend !== 'cpu',
  );
  const tensorsAdded = tf.memory().numTensors - before;
  const result: Record<string, unknown> = {
    backend: tf.getBackend(),
    values,
    cpuValues,
    float64,
    history: history.history,
    blockingReads,
    classWeights: await loss.getClassWeightsAsync(),
    expectedWeights: classWeights(counts, { name: 'ens', beta: 0.99 }),
    tensorsAdded,
  };
  result['resume'] = await resume(model, x, y);
  result['functional'] = await functionalDefaults(backend !== 'cpu');
  result['search'] = await search(x, y, backend !== 'cpu');
  window.__result = result;
}

/** The search with its default candidates on a tiny problem, every synchronous read throwing on the GPU backends. */
async function search(x: tf.Tensor, y: tf.Tensor, strict: boolean) {
  const before = tf.memory().numTensors;
  const [xt, yt, xv, yv] = [x.slice(0, 64), y.slice(0, 64), x.slice(64), y.slice(64)];
  const { result: c, reads: blockingReads } = await countBlockingReads(
    () =>
      compareTreatments({
        model: () => tf.sequential({ layers: [tf.layers.dense({ units: 3, inputShape: [4], kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }) })] }),
        train: { x: xt, y: yt },
        validation: { x: xv, y: yv },
        epochs: 3,
        batchSize: 16,
        shuffle: false,
        optimizer: () => tf.train.adam(0.05),
      }),
    strict,
  );
  // The deployable artifact: saved to IndexedDB, then loaded by a fresh page (run.mjs), which must predict these labels.
  await saveClassifier(c, DEPLOYED, { labels: ['even', 'fifth', 'twelfth'] });
  const rows = deployRows();
  const probabilities = tf.tidy(() => tf.sigmoid(c.model.predict(rows) as tf.Tensor));
  const p = (await probabilities.array()) as number[][];
  tf.dispose([rows, probabilities]);
  const deployed = { probabilities: p, labels: p.map((r) => ['even', 'fifth', 'twelfth'].filter((_, k) => r[k]! > c.selected.thresholds[k]!)), thresholds: c.selected.thresholds };
  const out = { runs: c.runs.map((r) => r.name), selected: c.selected.name, blockingReads, deployed, verdict: c.verdict };
  c.dispose();
  tf.dispose([xt, yt, xv, yv]);
  return { ...out, expectedRuns: DEFAULT_TREATMENTS.map((t) => t.name), tensorsLeft: tf.memory().numTensors - before };
}

/** Save to IndexedDB, load, resume for 2 epochs: the loss, the metric and Adam's step count continue. */
async function resume(model: tf.LayersModel, x: tf.Tensor, y: tf.Tensor) {
  const step = async (m: tf.LayersModel) => {
    const w = await m.optimizer.getWeights();
    const n = (await w[0]!.tensor.data())[0]!;
    w[0]!.tensor.dispose();
    return n;
  };
  const warnings: string[] = [];
  const warn = console.warn;
  console.warn = (...a: unknown[]) => void warnings.push(a.map(String).join(' '));
  await saveForResume(model, 'indexeddb://tfjs-imbalance-test');
  const again = await tf.loadLayersModel(resumable('indexeddb://tfjs-imbalance-test'));
  const { losses } = resumeTraining(again, { metricFactories: { fbetaMetric } });
  const stepAfterLoad = await step(again);
  const resumed = await again.fit(x, y, { epochs: 2, batchSize: 16, verbose: 0 });
  console.warn = warn;
  const out = {
    stepBeforeSave: await step(model),
    stepAfterLoad,
    stepAfterResume: await step(again),
    resumedClassWeights: await losses[0]!.getClassWeightsAsync(),
    history: resumed.history,
    warnings,
  };
  again.dispose();
  losses.forEach((l) => l.dispose());
  return out;
}

main().catch((e: unknown) => {
  window.__result = { error: e instanceof Error ? `${e.name}: ${e.message}` : String(e) };
});
