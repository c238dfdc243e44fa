import * as tf from '@tensorflow/tfjs-core';
import { ShapeMismatchError, OutOfRangeError } from '@tfjs-imbalance/weight-schemes';
import { asTensor, shapeOf, type TensorInput } from './tensor-input.js';

/**
 * Appends each row's sample weight to its labels as one more, last column,
 * for a loss built with `sampleWeightColumn: true`: the route for Keras'
 * `sample_weight` (weights that do not come from the labels), which tfjs'
 * `fit` rejects. Train on the packed labels with `fitDataset` (`fit` checks
 * `y` against the model's output shape); validation data can stay unpacked.
 *
 * @param yTrue - Multi-hot or one-hot labels [N, C].
 * @param sampleWeights - One finite weight ≥ 0 per row, [N] or [N, 1].
 * @returns The labels with the weights as column C: [N, C + 1].
 *
 * @example Per-sample weights with fitDataset
 * ```ts
 * const loss = weightedBinaryCrossentropy({ numClasses: 29, sampleWeightColumn: true });
 * model.compile({ optimizer: 'adam', loss });
 * const ys = packSampleWeights(y, rowWeights);
 * const ds = tf.data.zip({ xs: tf.data.array(x.arraySync()), ys: tf.data.array(ys.arraySync()) }).shuffle(1024).batch(32);
 * await model.fitDataset(ds, { epochs: 10 });
 * ```
 */
export function packSampleWeights(yTrue: TensorInput, sampleWeights: TensorInput): tf.Tensor2D {
  return tf.tidy(() => {
    const y = asTensor('yTrue', yTrue);
    if (y.rank !== 2) throw new ShapeMismatchError('yTrue', `must be labels [N, C], got shape ${shapeOf(y)}.`);
    const w = asTensor('sampleWeights', sampleWeights);
    const N = y.shape[0]!;
    if (!((w.rank === 1 && w.shape[0] === N) || (w.rank === 2 && w.shape[0] === N && w.shape[1] === 1))) {
      throw new ShapeMismatchError('sampleWeights', `has shape ${shapeOf(w)} but yTrue has shape ${shapeOf(y)}; pass one weight per row, [${N}] or [${N}, 1].`);
    }
    const values = w.dataSync();
    for (let i = 0; i < values.length; i++) {
      if (!(values[i]! >= 0 && values[i]! < Infinity)) {
        throw new OutOfRangeError('sampleWeights', `value ${i} is ${values[i]}; sample weights must be finite and ≥ 0.`);
      }
    }
    return tf.concat([tf.cast(y, 'float32'), tf.reshape(tf.cast(w, 'float32'), [N, 1])], 1) as tf.Tensor2D;
  });
}

/**
 * Calls `f` on the labels and, when `enabled` and yTrue has one column more
 * than yPred, on the rows' own weights [N, 1] split off that last column
 * (checked: finite and ≥ 0). Frees the slices afterwards.
 * @internal
 */
export function unpackSampleWeights(yTrue: tf.Tensor, yPred: tf.Tensor, enabled: boolean, f: (labels: tf.Tensor, rowWeights?: tf.Tensor) => tf.Tensor): tf.Tensor {
  const packed = enabled && yTrue.rank === 2 && yPred.rank === 2 && yTrue.shape[1] === yPred.shape[1]! + 1;
  if (!packed) return f(yTrue);
  const C = yPred.shape[1]!;
  const [labels, rowWeights] = tf.tidy(() => [tf.slice(yTrue, [0, 0], [-1, C]), tf.slice(yTrue, [0, C], [-1, 1])]);
  try {
    const w = rowWeights!.dataSync();
    for (let i = 0; i < w.length; i++) {
      if (!(w[i]! >= 0 && w[i]! < Infinity)) {
        throw new OutOfRangeError('yTrue', `the sample weight in the last column of row ${i} (shape ${shapeOf(yTrue)}) is ${w[i]}; sample weights must be finite and ≥ 0.`);
      }
    }
    return f(labels!, rowWeights);
  } finally {
    tf.dispose([labels!, rowWeights!]);
  }
}
