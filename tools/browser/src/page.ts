// The browser page: trains a tiny multi-label model with the weighted loss, the
// sample-weight callback and the F-beta callback, then publishes what happened
// on window.__result for the driver to check.
import * as tf from '@tensorflow/tfjs';
import { classWeights, countMultiHot } from '@tfjs-imbalance/weight-schemes';
import { resumable, resumeTraining, saveForResume, weightedBinaryCrossentropy } from '@tfjs-imbalance/weighted-loss';
import { sampleWeightCallback } from '@tfjs-imbalance/sample-weight-callback';
import { fbetaCallback, fbetaMetric } from '@tfjs-imbalance/fbeta-metric';

declare global {
  interface Window {
    __result?: unknown;
  }
}

async function main(): Promise<void> {
  await tf.setBackend('cpu');
  const rows = Array.from({ length: 96 }, (_, i) => [i % 2, i % 5 === 0 ? 1 : 0, i % 12 === 0 ? 1 : 0]);
  const x = tf.tensor2d(rows.map((r, i) => [...r.map((v) => v * 2 - 1), Math.sin(i)]));
  const y = tf.tensor2d(rows);
  const counts = countMultiHot(rows);
  const model = tf.sequential({ layers: [tf.layers.dense({ units: 3, inputShape: [4] })] });
  const loss = weightedBinaryCrossentropy({ numClasses: 3 });
  const optimizer = tf.train.adam(0.05);
  model.compile({ optimizer, loss, metrics: [fbetaMetric({ from: 'logits' })] });
  const before = tf.memory().numTensors;
  const history = await model.fit(x, y, {
    epochs: 8,
    batchSize: 16,
    verbose: 0,
    callbacks: [
      sampleWeightCallback({ losses: loss, scheme: { name: 'ens', beta: 0.99 }, counts, logWeights: true }),
      fbetaCallback({ validationData: [x, y], from: 'logits' }),
    ],
  });
  const tensorsAdded = tf.memory().numTensors - before;
  // Save to IndexedDB, load, resume for 2 epochs: the loss, the metric and Adam's step count continue.
  const step = async (m: tf.LayersModel) => {
    const w = await m.optimizer.getWeights();
    const n = w[0]!.tensor.dataSync()[0]!;
    w[0]!.tensor.dispose();
    return n;
  };
  const warnings: string[] = [];
  const warn = console.warn;
  console.warn = (...a: unknown[]) => void warnings.push(a.map(String).join(' '));
  await saveForResume(model, 'indexeddb://tfjs-imbalance-test');
  const again = await tf.loadLayersModel(resumable('indexeddb://tfjs-imbalance-test'));
  const { losses } = resumeTraining(again);
  const stepAfterLoad = await step(again);
  const resumed = await again.fit(x, y, { epochs: 2, batchSize: 16, verbose: 0 });
  console.warn = warn;
  window.__result = {
    backend: tf.getBackend(),
    history: history.history,
    classWeights: loss.getClassWeights(),
    expectedWeights: classWeights(counts, { name: 'ens', beta: 0.99 }),
    tensorsAdded,
    resume: {
      stepBeforeSave: await step(model),
      stepAfterLoad,
      stepAfterResume: await step(again),
      resumedClassWeights: losses[0]!.getClassWeights(),
      history: resumed.history,
      warnings,
    },
  };
  again.dispose();
  losses.forEach((l) => l.dispose());
}

main().catch((e: unknown) => {
  window.__result = { error: e instanceof Error ? `${e.name}: ${e.message}` : String(e) };
});
