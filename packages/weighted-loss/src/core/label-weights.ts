import * as tf from '@tensorflow/tfjs-core';
import type { CombineRule } from '@tfjs-imbalance/weight-schemes';

/**
 * Per-sample weights [N] from binary labels [N, C] and class weights [C], in
 * tensors: the sum (reference), mean or max of the class weights of each
 * row's positive labels, and `emptyRowWeight` for rows with none. Call
 * inside `tf.tidy`.
 *
 * @param positives - 0/1 labels [N, C] (float32).
 * @param classWeights - One weight per class [C].
 * @param combine - How a row's class weights combine.
 * @param emptyRowWeight - The weight of a row with no positive label.
 * @returns One weight per row [N].
 *
 * @example
 * ```ts
 * tf.tidy(() => sampleWeightsFromLabels(tf.tensor2d([[1, 0, 1]]), tf.tensor1d([0.5, 1, 1.5]), 'sum', 1)); // [2]
 * ```
 */
export function sampleWeightsFromLabels(
  positives: tf.Tensor,
  classWeights: tf.Tensor,
  combine: CombineRule,
  emptyRowWeight: number,
): tf.Tensor1D {
  return tf.reshape(sampleWeightColumn(positives, classWeights, combine, emptyRowWeight), [-1]) as tf.Tensor1D;
}

/**
 * {@link sampleWeightsFromLabels} as a column [N, 1], in as few kernels as
 * possible: the sum rule is one matMul with the class weights as a column
 * [C, 1] (the shape the loss classes store them in), and a row with no
 * positive label (k = 0) gets `emptyRowWeight` (a number, or a scalar tensor) through relu(1 − k), k being a
 * whole number. `k` [N, 1], the positives per row, is computed unless given.
 * Call inside `tf.tidy`.
 * @internal
 */
export function sampleWeightColumn(
  positives: tf.Tensor,
  classWeights: tf.Tensor,
  combine: CombineRule,
  emptyRowWeight: number | tf.Tensor,
  k: tf.Tensor = tf.sum(positives, -1, true),
): tf.Tensor2D {
  const C = positives.shape[positives.rank - 1]!;
  let w: tf.Tensor;
  if (combine === 'max') w = tf.max(tf.mul(positives, tf.reshape(classWeights, [C])), -1, true);
  else {
    w = tf.matMul(positives as tf.Tensor2D, (classWeights.rank === 2 ? classWeights : tf.reshape(classWeights, [C, 1])) as tf.Tensor2D);
    if (combine === 'mean') w = tf.div(w, tf.maximum(k, 1));
  }
  if (emptyRowWeight === 0) return w as tf.Tensor2D;
  const empty = tf.relu(tf.sub(1, k));
  return tf.add(w, emptyRowWeight === 1 ? empty : tf.mul(empty, emptyRowWeight)) as tf.Tensor2D;
}

/**
 * Label smoothing ε: y·(1 − ε) + ε/classes (Keras' form: 2 classes for a
 * binary label, C for a one-hot row), in float32. Call inside `tf.tidy`.
 * @internal
 */
export function smoothLabels(yTrue: tf.Tensor, epsilon: number, classes = 2): tf.Tensor {
  const y = yTrue.dtype === 'float32' ? yTrue : tf.cast(yTrue, 'float32');
  return epsilon === 0 ? y : tf.add(tf.mul(y, 1 - epsilon), epsilon / classes);
}
