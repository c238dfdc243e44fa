// The segmentation example's core (examples/segmentation, --quick setting, one seed) in the page: per-pixel
// outputs [N, H, W, C], every treatment trained with model.fit, scored and selected, on the backend asked for.
import * as tf from '@tensorflow/tfjs';
import { countBlockingReads } from '@tfjs-imbalance/backend/blocking-reads';
import { QUICK_SETTINGS, runSeed, seedData } from '../../../examples/segmentation/src/index.js';

/** Runs one seed of the example and returns its figures, the blocking reads it made and the tensors it left. */
export async function segmentation(backend: string) {
  if (!(await tf.setBackend(backend))) throw new Error(`tf.setBackend('${backend}') failed`);
  await tf.ready();
  const before = tf.memory().numTensors;
  const t0 = performance.now();
  const { result, reads } = await countBlockingReads(() => runSeed(seedData(1, QUICK_SETTINGS), QUICK_SETTINGS));
  return {
    backend: tf.getBackend(),
    seconds: (performance.now() - t0) / 1000,
    blockingReads: reads,
    weightedRuns: QUICK_SETTINGS.treatments.filter((t) => t.scheme !== undefined).length,
    tensorsLeft: tf.memory().numTensors - before,
    selected: result.selected,
    runs: result.runs.map((r) => ({
      name: r.name,
      loss: r.loss,
      validation: [r.validation.at05.micro, r.validation.at05.macro, r.validation.tuned.micro, r.validation.tuned.macro],
      test: [r.test.at05.micro.f, r.test.at05.macro.f, r.test.tuned.micro.f, r.test.tuned.macro.f, r.test.macroAP, ...r.test.at05.f, ...r.test.tuned.f],
      thresholds: r.thresholds,
    })),
  };
}
