import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { DEFAULT_TREATMENTS, trainingSetup, type Treatment } from '@tfjs-imbalance/search';
import { countMultiHot, priorBias } from '@tfjs-imbalance/weight-schemes';

describe('logit-adjusted binary cross-entropy (why it is not a default candidate)', () => {
  it('trains as prior-bias initialisation: the logits differ by the prior log-odds alone', async () => {
    let s = 3;
    const rand = () => ((s = (s * 16807) % 2147483647) / 2147483647);
    const X = Array.from({ length: 300 }, () => Array.from({ length: 8 }, () => rand() * 2 - 1));
    const Y = X.map((x) => [0, -0.5, -1, -1.5].map((b, c) => (x[c]! + x[c + 4]! + b + rand() > 0 ? 1 : 0)));
    const [x, y] = [tf.tensor2d(X), tf.tensor2d(Y)];
    const counts = countMultiHot(Y);
    const kernel = tf.randomUniform([8, 4], -0.5, 0.5, 'float32', 7);
    const logits = async (t: Treatment) => {
      const model = tfl.sequential({ layers: [tfl.layers.dense({ units: 4, inputShape: [8] })] });
      model.layers[0]!.setWeights([kernel, tf.zeros([4])]);
      const setup = trainingSetup(t, counts);
      setup.prepare(model);
      model.compile({ optimizer: tf.train.adam(0.05), loss: setup.loss as never });
      await model.fit(x, y, { epochs: 5, batchSize: 32, shuffle: false, verbose: 0 });
      const out = model.predict(x) as tf.Tensor;
      const values = (await out.array()) as number[][];
      out.dispose();
      model.optimizer.dispose();
      model.dispose();
      setup.dispose();
      return values;
    };
    const adjusted = await logits({ name: 'logit-adjusted', loss: 'logit-adjusted' });
    const prior = await logits({ name: 'prior-bias', priorBias: true });
    const plain = await logits({ name: 'plain' });
    const shift = priorBias(counts);
    let worst = 0;
    let apart = 0;
    adjusted.forEach((row, i) =>
      row.forEach((v, c) => {
        worst = Math.max(worst, Math.abs(v + shift[c]! - prior[i]![c]!));
        apart = Math.max(apart, Math.abs(plain[i]![c]! - prior[i]![c]!));
      }),
    );
    expect(worst).toBeLessThan(1e-4);
    expect(apart).toBeGreaterThan(0.1); // the comparison can tell different trainings apart
    expect(DEFAULT_TREATMENTS.some((t) => t.loss === 'logit-adjusted')).toBe(false);
    tf.dispose([x, y, kernel]);
  });
});

describe('DEFAULT_TREATMENTS', () => {
  it('is frozen all the way down, so no caller changes the defaults by accident', () => {
    for (const t of DEFAULT_TREATMENTS) expect(Object.isFrozen(t)).toBe(true);
    const ens = DEFAULT_TREATMENTS.find((t) => t.name === 'ens-0.99')!;
    expect(Object.isFrozen(ens.scheme)).toBe(true);
    expect(() => {
      (ens as { priorBias?: boolean }).priorBias = true;
    }).toThrow(TypeError);
  });
});
