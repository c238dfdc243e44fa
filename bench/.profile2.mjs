import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { FBetaAccumulator } from '@tfjs-imbalance/fbeta-metric';
await import('@tensorflow/tfjs-backend-wasm'); await import('@tensorflow/tfjs-backend-cpu');
for (const b of ['wasm', 'cpu']) {
  await tf.setBackend(b); tf.env().set('PROD', true);
  const [N, C] = [4096, 1000];
  const y = tf.cast(tf.less(tf.randomUniform([N, C], 0, 1, 'float32', 1), 0.1), 'float32');
  const p = tf.randomUniform([N, C]);
  const acc = new FBetaAccumulator();
  for (let i = 0; i < 3; i++) { acc.update(y, p); tf.tidy(() => tfl.metrics.precision(y, p).dataSync()); }
  const prof = async (name, f) => { const r = await tf.profile(f); const ks = await Promise.all(r.kernels.map(async (k) => [k.name, (await k.kernelTimeMs)])); console.log(b, name, ks.map(([n, t]) => `${n}:${typeof t === 'number' ? t.toFixed(1) : t}`).join(' ')); };
  await prof('fbeta', () => acc.update(y, p));
  await prof('precision', () => tf.tidy(() => tfl.metrics.precision(y, p).dataSync()));
}
