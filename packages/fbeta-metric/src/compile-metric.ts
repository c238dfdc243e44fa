import * as tf from '@tensorflow/tfjs-core';
import { InvalidOptionError } from '@tfjs-imbalance/weight-schemes';
import { METRIC_RECIPE, checkFactoryCalled, describe, registerMetricFactory, checkFloat32Backend, declareDirection } from '@tfjs-imbalance/weight-schemes/internal';
import { PREDICTION_KIND } from './model-checks.js';
import { binarize, checkBatchShapes, positionRows } from './batch-statistics.js';
import { PREDICTION_ARGS, resolveFBetaArgs, type PredictionArgs } from './prediction-options.js';
import { fbetaCoefficients } from './fbeta-scores.js';

/** Arguments of {@link fbetaMetric}. */
export interface FBetaMetricArgs extends PredictionArgs {
  /** β > 0. Defaults to `0.5` (precision counts twice as much as recall). */
  readonly beta?: number;
  /** `'micro'` (F-beta of the batch's summed counts) or `'macro'` (mean of per-class F-beta, 0 for undefined classes). Defaults to `'micro'`. */
  readonly average?: 'micro' | 'macro';
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
  const resolved = resolveFBetaArgs(args, 'args', [...PREDICTION_ARGS, 'beta', 'average', 'name']);
  const { average = 'micro', name = 'fbeta' } = args;
  if (average !== 'micro' && average !== 'macro') {
    throw new InvalidOptionError('args.average', `must be 'micro' or 'macro' per batch, got ${describe(average)}.`);
  }
  if (typeof name !== 'string' || name.length === 0) {
    throw new InvalidOptionError('args.name', `must be a non-empty string, got ${describe(name)}.`);
  }
  // What tfjs logs for it, on training and validation batches: larger is better (earlyStopping's 'auto' reads this).
  declareDirection(name, 'max');
  declareDirection(`val_${name}`, 'max');
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
    const numClasses = checkBatchShapes(yTrue, yPred, resolved);
    return tf.tidy(() => {
      const { truth, pred } = binarize(yTrue, yPred, resolved, numClasses);
      const axis = average === 'micro' ? undefined : 0;
      const tp = tf.sum(tf.mul(truth, pred), axis);
      const denom = tf.add(tf.mul(tf.sum(truth, axis), b), c === 1 ? tf.sum(pred, axis) : tf.mul(tf.sum(pred, axis), c));
      const f = tf.where(tf.greater(denom, 0), tf.div(tf.mul(tp, a), tf.maximum(denom, 1)), tf.zerosLike(denom));
      return tf.mean(f) as tf.Scalar;
    });
  };
  Object.defineProperty(metric, 'name', { value: name });
  // Our callbacks check it against the model's last layer at train begin (multiclass takes the argmax, which either kind gives).
  if (resolved.task !== 'multiclass') Object.defineProperty(metric, PREDICTION_KIND, { value: resolved.from });
  // What resumeTraining rebuilds it from, after a save with saveForResume.
  Object.defineProperty(metric, METRIC_RECIPE, { value: { factory: 'fbetaMetric', args: JSON.parse(JSON.stringify(args)) as Record<string, unknown> } });
  return metric;
}

registerMetricFactory('fbetaMetric', (args) => fbetaMetric(args as FBetaMetricArgs));
