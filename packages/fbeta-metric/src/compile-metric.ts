import * as tf from '@tensorflow/tfjs-core';
import { InvalidOptionError, ShapeMismatchError } from '@tfjs-imbalance/weight-schemes';
import { METRIC_RECIPE, checkFactoryCalled, describe, registerMetricFactory, checkFloat32Backend, checkConstraint, checkOneOf } from '@tfjs-imbalance/weight-schemes/internal';
import { PREDICTION_KIND } from './model-checks.js';
import { binarize, checkBatchShapes, positionRows } from './batch-statistics.js';
import { PREDICTION_ARGS, resolveFBetaArgs, type PredictionArgs } from './prediction-options.js';
import type { DeclaresDirections } from './log-directions.js';
import { fbetaCoefficients } from './fbeta-scores.js';

/** Arguments of {@link fbetaMetric}. */
export interface FBetaMetricArgs extends PredictionArgs {
  /** β > 0. Defaults to `0.5` (precision counts twice as much as recall). */
  readonly beta?: number;
  /**
   * `'micro'` (F-beta of the batch's summed counts), `'macro'` (mean of
   * per-class F-beta, 0 for undefined classes) or `'weighted'` (per-class
   * F-beta weighted by the batch's support, as Keras' `FBetaScore`).
   * Defaults to `'micro'`.
   */
  readonly average?: 'micro' | 'macro' | 'weighted';
  /** A subset of class indices to score (scikit-learn's `labels`); one index gives that class's own F-beta, to log per class. Defaults to every class. */
  readonly labels?: readonly number[];
  /**
   * Whether the last column of `yTrue` holds each row's sample weight, as
   * packed by `packSampleWeights` for a loss built with `sampleWeightColumn:
   * true` (tfjs' `fit` takes no `sampleWeight`; the metric sees the loss's
   * labels). The weights then weigh each row's counts, as Keras'
   * `sample_weight`. Defaults to `false`.
   */
  readonly sampleWeightColumn?: boolean;
  /** The name under which tfjs logs the metric (and `val_` + name for validation). Defaults to `'fbeta'`. */
  readonly name?: string;
}

/** A metric function as `model.compile({ metrics })` takes it. */
export type MetricFn = (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Scalar;

/**
 * An F-beta metric for `model.compile({ metrics: [...] })`. tfjs computes it
 * on every batch and logs the mean of the batch values over the epoch, so the
 * logged number only **approximates** the F-beta of the whole epoch (F-beta
 * is not a mean of per-batch values, and rare classes are often missing from
 * a batch). For the exact value, use {@link FBetaCallback}, which writes
 * `val_fbeta` from the counts of the whole validation set.
 *
 * It checks shapes but, to avoid a GPU→CPU read on every step, not values.
 *
 * Defaults: multi-label probabilities (`from: 'probabilities'`) positive above 0.5, β = 0.5, the micro average; a model that outputs logits passes `from: 'logits'`.
 *
 * @param args - See {@link FBetaMetricArgs}.
 * @returns The metric function, named `args.name` so the logs read `fbeta`.
 *
 * @example Tracking F0.5 during training
 * ```ts
 * model.compile({
 *   optimizer: 'adam',
 *   loss: 'binaryCrossentropy',
 *   metrics: [fbetaMetric({ beta: 0.5 })], // logs "fbeta" (approximate, per batch)
 * });
 * ```
 */
export function fbetaMetric(args: FBetaMetricArgs = {}): MetricFn {
  checkFactoryCalled('fbetaMetric', args, "model.compile({ loss, metrics: [fbetaMetric({ from: 'logits' })] })");
  const resolved = resolveFBetaArgs(args, 'args', [...PREDICTION_ARGS, 'beta', 'average', 'name', 'labels', 'sampleWeightColumn']);
  const { average = 'micro', name = 'fbeta', labels, sampleWeightColumn = false } = args;
  checkOneOf('args.average', average, ['micro', 'macro', 'weighted'], undefined, 'per batch');
  if (labels !== undefined && (!Array.isArray(labels) || labels.length === 0 || labels.some((l) => !Number.isInteger(l) || l < 0) || new Set(labels).size !== labels.length)) {
    throw new InvalidOptionError('args.labels', `must be distinct class indices (whole numbers ≥ 0), at least one, got ${describe(labels)}.`);
  }
  checkConstraint('args.sampleWeightColumn', sampleWeightColumn, 'boolean');
  checkConstraint('args.name', name, { text: {} });
  const { a, b, c } = fbetaCoefficients(resolved.beta);
  const metric: MetricFn = (yTrue, yPred) => {
    checkFloat32Backend(tf, 'the F-beta metric');
    // Per-position outputs [N, ..., C]: every position is a row, pooled per class.
    const flat = yPred.rank > 2 ? tf.tidy(() => positionRows(yTrue, yPred)) : undefined;
    if (flat !== undefined) {
      try {
        return metric(flat[0], flat[1]);
      } finally {
        tf.dispose(flat);
      }
    }
    if (sampleWeightColumn && yTrue.rank === 2 && yPred.rank === 2 && yTrue.shape[1] === yPred.shape[1]! + 1) {
      // Labels packed with each row's weight in a last column (packSampleWeights).
      const [y, w] = tf.tidy(() => [tf.slice(yTrue, [0, 0], [-1, yPred.shape[1]!]), tf.slice(yTrue, [0, yPred.shape[1]!], [-1, 1])]);
      try {
        return score(y!, yPred, w);
      } finally {
        tf.dispose([y!, w!]);
      }
    }
    return score(yTrue, yPred);
  };
  const score = (yTrue: tf.Tensor, yPred: tf.Tensor, w?: tf.Tensor): tf.Scalar => {
    const numClasses = checkBatchShapes(yTrue, yPred, resolved);
    const outside = labels?.find((l) => l >= numClasses);
    if (outside !== undefined) {
      throw new ShapeMismatchError('args.labels', `holds class ${outside}, but the predictions have ${numClasses} classes (shape [${yPred.shape.join(', ')}]).`);
    }
    return tf.tidy(() => {
      let { truth, pred } = binarize(yTrue, yPred, resolved, numClasses);
      if (labels !== undefined) [truth, pred] = [tf.gather(truth, labels, 1), tf.gather(pred, labels, 1)] as [tf.Tensor2D, tf.Tensor2D];
      const weigh = (m: tf.Tensor) => (w === undefined ? m : tf.mul(m, w));
      const axis = average === 'micro' ? undefined : 0;
      const tp = tf.sum(weigh(tf.mul(truth, pred)), axis);
      const support = tf.sum(weigh(truth), axis);
      const denom = tf.add(tf.mul(support, b), tf.mul(tf.sum(weigh(pred), axis), c));
      const positive = tf.greater(denom, 0);
      const f = tf.where(positive, tf.div(tf.mul(tp, a), tf.where(positive, denom, tf.onesLike(denom))), tf.zerosLike(denom));
      if (average !== 'weighted') return tf.mean(f) as tf.Scalar;
      // Support-weighted: Σ f·support / Σ support (0 for a batch with no true label).
      const total = tf.sum(support);
      return tf.where(tf.greater(total, 0), tf.div(tf.sum(tf.mul(f, support)), tf.maximum(total, 1e-30)), tf.scalar(0)) as tf.Scalar;
    });
  };
  Object.defineProperty(metric, 'name', { value: name });
  // What tfjs logs for it, on training and validation batches: larger is better (earlyStopping's 'auto' reads this from the compiled model).
  const directions: DeclaresDirections['directions'] = { [name]: 'max', [`val_${name}`]: 'max' };
  Object.defineProperty(metric, 'directions', { value: directions, enumerable: true });
  // Our callbacks check it against the model's last layer at train begin (multiclass takes the argmax, which either kind gives).
  if (resolved.task !== 'multiclass') Object.defineProperty(metric, PREDICTION_KIND, { value: resolved.from });
  // What resumeTraining rebuilds it from, after a save with saveForResume.
  Object.defineProperty(metric, METRIC_RECIPE, { value: { factory: 'fbetaMetric', args: JSON.parse(JSON.stringify(args)) as Record<string, unknown> } });
  return metric;
}

registerMetricFactory('fbetaMetric', (args) => fbetaMetric(args as FBetaMetricArgs));
