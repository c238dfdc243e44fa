import * as tf from '@tensorflow/tfjs-core';
await import('@tensorflow/tfjs-backend-wasm'); await import('@tensorflow/tfjs-backend-cpu');
for (const b of ['cpu', 'wasm']) {
  await tf.setBackend(b); tf.env().set('PROD', true);
  const y = tf.cast(tf.less(tf.randomUniform([4096, 1000], 0, 1, 'float32', 1), 0.1), 'float32');
  const time = (name, f) => { for (let i = 0; i < 2; i++) tf.tidy(() => tf.sum(f()).dataSync()); const t = performance.now(); for (let i = 0; i < 5; i++) tf.tidy(() => tf.sum(f()).dataSync()); console.log(b, name.padEnd(28), ((performance.now() - t) / 5).toFixed(1), 'ms'); };
  time('cast(greaterEqual(y,.5))', () => tf.cast(tf.greaterEqual(y, 0.5), 'float32'));
  time('1-step(0.5-y)', () => tf.sub(1, tf.step(tf.sub(0.5, y))));
  time('cast(greater(y,t))', () => tf.cast(tf.greater(y, 0.3), 'float32'));
  time('step(y-t)', () => tf.step(tf.sub(y, 0.3)));
  time('sum(y,0)', () => tf.sum(y, 0));
  time('matMul(ones,y)', () => tf.matMul(tf.ones([1, 4096]), y));
  time('min+max', () => tf.stack([tf.min(y), tf.max(y)]));
  time('mul(y,y)', () => tf.mul(y, y));
}
