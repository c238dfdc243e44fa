import * as tf from '@tensorflow/tfjs-core';
import { weightedBinaryCrossentropy } from '@tfjs-imbalance/weighted-loss';

describe('user-input edges', () => {
  it('a weight beyond float32 is refused before it becomes Infinity in the variable (and the loss NaN)', () => {
    const loss = weightedBinaryCrossentropy({ numClasses: 2, emptyRowWeight: 'as-class' });
    expect(() => loss.setClassWeights([1, 1e39])).toThrow("weights[1]: is 1e+39, beyond float32's largest value (3.4e38)");
    expect(() => loss.setEmptyRowWeight(1e39)).toThrow("weight[0]: is 1e+39, beyond float32's largest value (3.4e38)");
    expect(() => weightedBinaryCrossentropy({ classWeights: [1e39, 1] })).toThrow("beyond float32's largest value");
    expect(loss.getClassWeights()).toEqual([1, 1]);
    loss.setClassWeights([1, 3e38]);
    const v = tf.tidy(() => loss.call(tf.tensor2d([[0, 1]]), tf.tensor2d([[0, 2]])).dataSync()[0]!);
    expect(Number.isNaN(v)).toBe(false);
    loss.dispose();
  });
});

describe('a disposed loss', () => {
  it('says so, naming the method, wherever it is used', () => {
    const loss = weightedBinaryCrossentropy({ numClasses: 2 });
    loss.dispose();
    const message = 'loss: was disposed, so setClassWeights() cannot use it. Create a new loss';
    expect(() => loss.setClassWeights([1, 2])).toThrow(message);
    expect(() => loss.getClassWeights()).toThrow('loss: was disposed, so getClassWeights() cannot use it.');
    expect(() => loss.readCounts()).toThrow('loss: was disposed, so readCounts() cannot use it.');
    expect(() => loss.getConfig()).toThrow('loss: was disposed, so getConfig() cannot use it.');
    expect(() => tf.tidy(() => loss(tf.tensor2d([[0, 1]]), tf.tensor2d([[0, 1]])))).toThrow('loss: was disposed, so call() cannot use it.');
    expect(() => loss.dispose()).not.toThrow(); // twice is fine
  });
});
