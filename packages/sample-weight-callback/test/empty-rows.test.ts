import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { countMultiHot, emptyRowClassWeight, type SchemeConfig, type SchemeName } from '@tfjs-imbalance/weight-schemes';
import { weightedBinaryCrossentropy } from '@tfjs-imbalance/weighted-loss';
import { fbetaCallback } from '@tfjs-imbalance/fbeta-metric';
import { sampleWeightCallback } from '@tfjs-imbalance/sample-weight-callback';

/**
 * Synthetic multi-label data where about half the rows have no label and one
 * class is very rare: the case where a fixed empty-row weight of 1 dwarfs
 * the normalised weights of the frequent classes (ENS β = 0.999 gives them
 * about 0.02), so early training predicts nothing.
 */
function make(n: number, seed: number): { x: number[][]; y: number[][] } {
  let s = seed;
  const rand = () => (s = (s * 16807) % 2147483647) / 2147483647;
  const gauss = () => Math.sqrt(-2 * Math.log(rand() + 1e-12)) * Math.cos(2 * Math.PI * rand());
  const freq = [0.3, 0.2, 0.1, 0.002];
  const x: number[][] = [];
  const y: number[][] = [];
  for (let i = 0; i < n; i++) {
    const row = freq.map((f) => (rand() < f ? 1 : 0));
    y.push(row);
    x.push(Array.from({ length: 8 }, (_, d) => (d < 4 ? row[d]! * 3 : 0) + gauss()));
  }
  return { x, y };
}

const train = make(8000, 3);
const val = make(2000, 11);

async function bestValF(scheme: SchemeConfig | SchemeName, emptyRowWeight?: number): Promise<{ f: number; leaked: number }> {
  const before = tf.memory().numTensors;
  const [x, y, xv, yv] = [tf.tensor2d(train.x), tf.tensor2d(train.y), tf.tensor2d(val.x), tf.tensor2d(val.y)];
  const model = tfl.sequential({
    layers: [
      tfl.layers.dense({ units: 16, inputShape: [8], activation: 'relu', kernelInitializer: tfl.initializers.glorotUniform({ seed: 1 }) }),
      tfl.layers.dense({ units: 4, kernelInitializer: tfl.initializers.glorotUniform({ seed: 2 }) }),
    ],
  });
  const loss = weightedBinaryCrossentropy({ numClasses: 4, ...(emptyRowWeight === undefined ? {} : { emptyRowWeight }) });
  const optimizer = tf.train.adam(0.01);
  model.compile({ optimizer, loss });
  const h = await model.fit(x, y, {
    epochs: 2,
    batchSize: 128,
    shuffle: false,
    verbose: 0,
    callbacks: [sampleWeightCallback({ losses: loss, scheme, data: y }), fbetaCallback({ validationData: [xv, yv], from: 'logits' })],
  });
  model.dispose();
  optimizer.dispose();
  loss.dispose();
  tf.dispose([x, y, xv, yv]);
  return { f: Math.max(...(h.history['val_fbeta'] as number[])), leaked: tf.memory().numTensors - before };
}

describe("empty rows by a rule: emptyRowWeight 'as-class' (the default)", () => {
  it('the data has ≥ 40% empty rows, and ENS gives its frequent classes weights far below 1', () => {
    const c = countMultiHot(train.y);
    expect(c.emptyRows / c.samples).toBeGreaterThanOrEqual(0.4);
    expect(emptyRowClassWeight(c, { name: 'ens', beta: 0.999 })).toBeLessThan(0.1);
  });

  it('re-weighted training does not collapse: val F0.5 within 0.05 of uniform weights, where a fixed weight of 1 collapses', async () => {
    const uniform = await bestValF('none');
    const ens = await bestValF({ name: 'ens', beta: 0.999 }); // the README's quick-start recipe
    const isns = await bestValF('isns');
    expect(uniform.f).toBeGreaterThan(0.8);
    expect(ens.f).toBeGreaterThanOrEqual(uniform.f - 0.05);
    expect(isns.f).toBeGreaterThanOrEqual(uniform.f - 0.05);
    // INS puts almost all weight on the 0.2% class, so it trails uniform weights whatever the empty-row rule;
    // with a fixed weight of 1 for empty rows, it collapses to predicting almost nothing.
    const ins = await bestValF('ins');
    const insFixedOne = await bestValF('ins', 1);
    expect(ins.f).toBeGreaterThan(insFixedOne.f + 0.2);
    expect(insFixedOne.f).toBeLessThan(0.5);
    for (const r of [uniform, ens, isns, ins, insFixedOne]) expect(r.leaked).toBe(0);
  });
});
