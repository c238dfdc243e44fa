import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { countBlockingReads, useGpuRoutes } from '@tfjs-imbalance/backend';
import { FBetaAccumulator, fbetaCallback, fbetaMetric } from '@tfjs-imbalance/fbeta-metric';
import { sampleWeightCallback } from '@tfjs-imbalance/sample-weight-callback';
import { countMultiHot, countStream, posWeight } from '@tfjs-imbalance/weight-schemes';
import {
  asymmetricLoss,
  distributionBalancedLoss,
  weightedBinaryCrossentropy,
  weightedBinaryFocalCrossentropy,
  type WeightedLoss,
} from '@tfjs-imbalance/weighted-loss';
import { compare, type Measurement } from './timing.js';

/** Imbalanced multi-hot labels [N, C]: class c is positive with probability 0.5·(c+1)^−1.2 (at least 1%). */
export function imbalancedLabels(N: number, C: number, seed: number): tf.Tensor2D {
  return tf.tidy(() => {
    const freq = tf.tensor1d(Array.from({ length: C }, (_, c) => Math.max(0.01, 0.5 * (c + 1) ** -1.2)));
    return tf.cast(tf.less(tf.randomUniform([N, C], 0, 1, 'float32', seed), freq), 'float32') as tf.Tensor2D;
  });
}

/**
 * A loss class on logits, forward + backward, vs tf.losses.sigmoidCrossEntropy: weighted BCE or focal (class weights from
 * labels + posWeight), or the Distribution-Balanced loss (DB-focal, the official defaults) or the Asymmetric Loss.
 * `positions` gives per-position outputs [N, ...positions, C] (a segmentation batch), whose positions count as rows.
 */
export async function lossCase(kind: 'bce' | 'focal' | 'db' | 'asl', N: number, C: number, goal: number, backend: string, runs: number, positions: number[] = []): Promise<Measurement> {
  const shape = [N, ...positions, C];
  const rows = shape.slice(0, -1).reduce((a, b) => a * b, 1);
  const y = tf.tidy(() => tf.reshape(imbalancedLabels(rows, C, 1), shape));
  const x = tf.variable(tf.randomNormal(shape, 0, 2, 'float32', 2), true);
  const counts = countMultiHot(y);
  const common = {
    scheme: { name: 'ens', beta: 0.999, emptyClass: 'max' } as const,
    counts,
    posWeight: posWeight(counts, { emptyClass: 'max' }),
  };
  const loss: WeightedLoss =
    kind === 'bce'
      ? weightedBinaryCrossentropy(common)
      : kind === 'focal'
        ? weightedBinaryFocalCrossentropy({ ...common, gamma: 2 })
        : kind === 'db'
          ? distributionBalancedLoss({ counts: counts })
          : asymmetricLoss({ numClasses: C });
  const step = (f: () => tf.Scalar) => () =>
    tf.tidy(() => {
      const { value, grads } = tf.variableGrads(f, [x]);
      value.dataSync();
      grads[x.name]!.dataSync();
    });
  const m = await compare(
    `${kind}_fwd_bwd_${shape.join('x')}`,
    backend,
    goal,
    step(() => tf.mean(loss(y, x)) as tf.Scalar),
    step(() => tf.losses.sigmoidCrossEntropy(y, x as tf.Tensor) as tf.Scalar),
    { runs, repeat: rows * C < 100_000 ? 20 : 1 },
  );
  loss.dispose();
  tf.dispose([x, y]);
  return m;
}

function denseModel(D: number, C: number, out: 'linear' | 'sigmoid'): tfl.LayersModel {
  return tfl.sequential({
    layers: [
      tfl.layers.dense({ units: 64, inputShape: [D], activation: 'relu', kernelInitializer: tfl.initializers.glorotUniform({ seed: 1 }) }),
      tfl.layers.dense({ units: C, activation: out, kernelInitializer: tfl.initializers.glorotUniform({ seed: 2 }) }),
    ],
  });
}

/** One fit epoch with our loss + the per-batch online callback + the exact F-beta epoch callback, vs binaryCrossentropy with no callbacks. */
export async function fitCase(goal: number, backend: string, runs: number): Promise<Measurement> {
  const [N, D, C, V] = [4096, 256, 29, 410];
  const x = tf.randomNormal([N, D], 0, 1, 'float32', 3) as tf.Tensor2D;
  const y = imbalancedLabels(N, C, 4);
  const xv = tf.randomNormal([V, D], 0, 1, 'float32', 5) as tf.Tensor2D;
  const yv = imbalancedLabels(V, C, 6);
  const ours = denseModel(D, C, 'linear');
  const loss = weightedBinaryCrossentropy({ numClasses: C });
  const oursOpt = tf.train.adam(0.001);
  ours.compile({ optimizer: oursOpt, loss });
  const theirs = denseModel(D, C, 'sigmoid');
  const theirsOpt = tf.train.adam(0.001);
  theirs.compile({ optimizer: theirsOpt, loss: 'binaryCrossentropy' });
  const args = { epochs: 1, batchSize: 128, shuffle: false, verbose: 0 as const, yieldEvery: 'never' as const };
  const m = await compare(
    'fit_epoch_weighted',
    backend,
    goal,
    () =>
      ours.fit(x, y, {
        ...args,
        callbacks: [
          sampleWeightCallback({ losses: loss, scheme: 'isns', online: true, schedule: 'batch' }),
          fbetaCallback({ validationData: [xv, yv], from: 'logits' }),
        ],
      }),
    () => theirs.fit(x, y, args),
    { runs: Math.max(5, Math.floor(runs / 2)) },
  );
  [ours, theirs].forEach((mdl) => mdl.dispose());
  [oursOpt, theirsOpt].forEach((o) => o.dispose());
  loss.dispose();
  tf.dispose([x, y, xv, yv]);
  return m;
}

/**
 * Blocking reads (Tensor.dataSync, arraySync, bufferSync) per training batch in a fit with the defaults: the
 * weighted BCE, the callback with online counts per batch, fbetaCallback, fbetaMetric and fit's validationData.
 * Counted on the current backend's routes and on the WebGL/WebGPU routes (the cpu kernels under another name).
 */
export async function blockingReadsPerBatch(): Promise<{ here: number; gpuRoutes: number }> {
  const [N, D, C, batchSize, epochs] = [512, 16, 29, 64, 2];
  const perBatch = async () => {
    const x = tf.randomNormal([N, D], 0, 1, 'float32', 3) as tf.Tensor2D;
    const y = imbalancedLabels(N, C, 4);
    const val: [tf.Tensor, tf.Tensor] = [tf.randomNormal([128, D], 0, 1, 'float32', 5), imbalancedLabels(128, C, 6)];
    const model = denseModel(D, C, 'linear');
    const loss = weightedBinaryCrossentropy({ numClasses: C });
    const optimizer = tf.train.adam(0.001);
    model.compile({ optimizer, loss, metrics: [fbetaMetric({ from: 'logits' })] });
    const callbacks = [sampleWeightCallback({ losses: loss, scheme: 'isns', online: true }), fbetaCallback({ validationData: val, from: 'logits' })];
    const { reads } = await countBlockingReads(() => model.fit(x, y, { epochs, batchSize, shuffle: false, verbose: 0, validationData: val, callbacks }));
    model.dispose();
    optimizer.dispose();
    loss.dispose();
    tf.dispose([x, y, ...val]);
    return reads / (epochs * Math.ceil(N / batchSize));
  };
  const backend = tf.getBackend();
  const here = await perBatch();
  await useGpuRoutes();
  const gpuRoutes = await perBatch();
  await tf.setBackend(backend);
  return { here, gpuRoutes };
}

/** Streaming F-beta update vs tfjs-layers metrics.precision on the same tensors. */
export async function fbetaCase(goal: number, backend: string, runs: number): Promise<Measurement> {
  const [N, C] = [4096, 1000];
  const y = imbalancedLabels(N, C, 7);
  const p = tf.randomUniform([N, C], 0, 1, 'float32', 8);
  const acc = new FBetaAccumulator({ beta: 0.5 });
  const m = await compare(
    `fbeta_update_${N}x${C}`,
    backend,
    goal,
    () => acc.update(y, p),
    () => tf.tidy(() => tfl.metrics.precision(y, p).dataSync()),
    { runs },
  );
  tf.dispose([y, p]);
  return m;
}

/** Rows per second of streaming class counting, and the growth of the resident set while counting. */
export async function countingRate(rows: number, C: number): Promise<{ rowsPerSecond: number; peakRssGrowthMB: number }> {
  const batchRows = 10_000;
  const data = new Float32Array(batchRows * C);
  for (let i = 0; i < data.length; i++) data[i] = (i * 2654435761) % 97 < 10 ? 1 : 0;
  const batch = { data, shape: [batchRows, C] as [number, number] };
  global.gc?.();
  const rss0 = process.memoryUsage().rss;
  let peak = rss0;
  function* batches() {
    for (let r = 0; r < rows; r += batchRows) {
      peak = Math.max(peak, process.memoryUsage().rss);
      yield batch;
    }
  }
  const t0 = performance.now();
  const counts = await countStream(batches());
  const seconds = (performance.now() - t0) / 1000;
  if (counts.samples !== rows) throw new Error(`counted ${counts.samples} rows, expected ${rows}`);
  return { rowsPerSecond: rows / seconds, peakRssGrowthMB: (peak - rss0) / 2 ** 20 };
}

/** The change in tf.memory().numTensors over 100 training steps with our loss and both callbacks (after a warm-up epoch). */
export async function tensorDrift(): Promise<number> {
  const [steps, batch, D, C] = [100, 32, 32, 29];
  const x = tf.randomNormal([steps * batch, D], 0, 1, 'float32', 9);
  const y = imbalancedLabels(steps * batch, C, 10);
  const model = denseModel(D, C, 'linear');
  const loss = weightedBinaryCrossentropy({ numClasses: C });
  const optimizer = tf.train.adam(0.001);
  model.compile({ optimizer, loss });
  const fit = () =>
    model.fit(x, y, {
      epochs: 1,
      batchSize: batch,
      verbose: 0,
      callbacks: [
        sampleWeightCallback({ losses: loss, scheme: 'ins', online: true }),
        fbetaCallback({ validationData: [x, y], from: 'logits' }),
      ],
    });
  await fit();
  const before = tf.memory().numTensors;
  await fit();
  const drift = tf.memory().numTensors - before;
  model.dispose();
  optimizer.dispose();
  loss.dispose();
  tf.dispose([x, y]);
  return drift;
}
