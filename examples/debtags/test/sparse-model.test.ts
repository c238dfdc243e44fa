import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { TfidfVectorizer, longestRow, packSparse, terms } from '../src/tfidf';
import { SparseDense, sparseMatMulOp } from '../src/sparse-dense';

describe('TF-IDF features', () => {
  const texts = [['a b', 'x'], ['a c', 'x'], ['b b d', 'y']];

  it("computes scikit-learn's sublinear tf·smooth idf, L2-normalised, from the training texts only", () => {
    const v = new TfidfVectorizer({ minDf: 2, bigrams: false }).fit(texts);
    // Terms in ≥ 2 texts: 0:a (2), 0:b (2), 1:x (2).
    expect(v.dim).toBe(3);
    const rows = v.transform([['b b a', 'x z']]);
    const idf = Math.log(4 / 3) + 1;
    const raw = [idf, (1 + Math.log(2)) * idf, idf]; // a, b (tf 2), x; z is unseen
    const norm = Math.hypot(...raw);
    expect(Array.from(rows.indices[0]!)).toEqual([0, 1, 2]);
    Array.from(rows.values[0]!).forEach((x, i) => expect(x).toBeCloseTo(raw[i]! / norm, 6));
  });

  it('makes field-prefixed unigrams, bigrams and the name as a term', () => {
    expect(terms(['lib-foo', 'Fast parser'])).toEqual(['0:lib', '0:foo', '0:lib foo', 'name:lib-foo', '1:fast', '1:parser', '1:fast parser']);
  });

  it('packs indices then values, padded with zeros, keeping the largest values of a long row', () => {
    const sparse = { indices: [Int32Array.from([3, 5, 7]), Int32Array.from([2])], values: [Float32Array.from([0.1, 0.9, 0.5]), Float32Array.from([1])], dim: 8 };
    expect(longestRow(sparse)).toBe(3);
    expect(Array.from(packSparse([0, 1], sparse, 2))).toEqual([5, 7, 0.9, 0.5, 2, 0, 1, 0].map(Math.fround));
  });
});

describe('SparseDense', () => {
  // 4 rows over 6 features, packed with L = 3.
  const dense = [
    [0, 0.5, 0, 0, 0.25, 0],
    [1, 0, 0, 0, 0, 0],
    [0, 0, 0, 0, 0, 0],
    [0, 0.2, 0.3, 0, 0, 0.4],
  ];
  const sparse = {
    indices: dense.map((r) => Int32Array.from(r.flatMap((v, j) => (v !== 0 ? [j] : [])))),
    values: dense.map((r) => Float32Array.from(r.filter((v) => v !== 0))),
    dim: 6,
  };
  const packed = () => tf.tensor2d(packSparse([0, 1, 2, 3], sparse, 3), [4, 6]);

  it.each([0.01, 0])('equals the dense product x·W, value and gradient (L2 %s), against autodiff, batch after batch', (l2) => {
    const w = tf.randomNormal([6, 2], 0, 1, 'float32', 7);
    const g = tf.randomNormal([4, 2], 0, 1, 'float32', 8);
    const op = sparseMatMulOp(l2);
    // An earlier batch of the same size with other features: its sums must not carry over.
    tf.tidy(() => tf.grad((ww: tf.Tensor) => tf.sum(op(tf.tensor2d([[5, 0, 0, 1, 0, 0], [3, 0, 0, 1, 0, 0], [0, 0, 0, 0, 0, 0], [2, 0, 0, 1, 0, 0]]), ww)))(w));
    const x = packed();
    const xd = tf.tensor2d(dense);
    const ours = tf.grad((ww: tf.Tensor) => tf.sum(tf.mul(op(x, ww), g)))(w);
    const ref = tf.grad((ww: tf.Tensor) => tf.add(tf.sum(tf.mul(tf.matMul(xd, ww), g)), tf.mul(l2, tf.sum(tf.square(ww)))))(w);
    expect(Array.from(op(x, w).dataSync())).toEqual(Array.from(tf.matMul(xd, w).dataSync()).map((v) => expect.closeTo(v, 6)));
    expect(Array.from(ours.dataSync())).toEqual(Array.from(ref.dataSync()).map((v) => expect.closeTo(v, 6)));
    tf.dispose([w, g, x, xd, ours, ref]);
  });

  it('trains inside a model with fit, starting from the given bias, without leaking', async () => {
    const model = tfl.sequential({ layers: [new SparseDense({ inputDim: 6, units: 2, biasInit: [-1, 1], inputShape: [6] })] });
    const optimizer = tf.train.adam(0.1);
    model.compile({ optimizer, loss: 'meanSquaredError' });
    const x = packed();
    const y = tf.tensor2d([[1, 0], [0, 1], [0, 0], [1, 1]]);
    const start = tf.tidy(() => Array.from((model.predict(x) as tf.Tensor).dataSync()));
    expect(start.slice(4, 6)).toEqual([-1, 1]); // the empty row is the bias
    const before = tf.memory().numTensors;
    const h = await model.fit(x, y, { epochs: 30, batchSize: 2, verbose: 0 });
    const losses = h.history['loss'] as number[];
    expect(losses.at(-1)!).toBeLessThan(losses[0]! / 4);
    expect(tf.memory().numTensors - before).toBeLessThanOrEqual(4); // Adam's moments
    model.dispose();
    optimizer.dispose();
    tf.dispose([x, y]);
  });
});
