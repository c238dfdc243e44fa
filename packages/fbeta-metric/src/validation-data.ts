import * as tf from '@tensorflow/tfjs-core';
import { InvalidOptionError, ShapeMismatchError, type BatchDataset } from '@tfjs-imbalance/weight-schemes';
import { describe, isTensorLike } from '@tfjs-imbalance/weight-schemes/internal';

/** A `tf.data.Dataset` of `{ xs, ys }` batches, or anything with the same `iterator()`: weight-schemes' {@link BatchDataset} of {@link ValidationBatch}. */
export type ValidationDataset = BatchDataset<ValidationBatch>;

/** One batch of a {@link ValidationDataset}. */
export interface ValidationBatch {
  /** The model inputs. */
  readonly xs: tf.Tensor | tf.Tensor[];
  /** The labels. */
  readonly ys: tf.Tensor;
  /** Optional sample weights (one per sample, or per position of per-position outputs), for F-beta. */
  readonly sampleWeight?: tf.Tensor;
}

/** Validation data: `[x, y]` tensors (or `[x, y, sampleWeight]`, as Keras' `validation_data`), or a dataset of `{ xs, ys }` batches. */
export type ValidationData = readonly [tf.Tensor | tf.Tensor[], tf.Tensor] | readonly [tf.Tensor | tf.Tensor[], tf.Tensor, tf.Tensor] | ValidationDataset;

/**
 * Replaces the scalar tensors in epoch logs by their values and frees them,
 * as tfjs' own callbacks do (its `resolveScalarsInLogs`): tfjs hands
 * `val_loss`, the epoch's loss and compile metrics to callbacks as tensors,
 * and frees them only after every callback ran: a callback that throws
 * before they are resolved would leak them.
 * @internal
 */
export async function resolveScalarLogs(logs: Record<string, unknown>): Promise<void> {
  const keys = Object.keys(logs).filter((k) => isTensorLike(logs[k]));
  const values = await Promise.all(keys.map((k) => (logs[k] as tf.Tensor).data()));
  keys.forEach((k, i) => {
    (logs[k] as tf.Tensor).dispose();
    logs[k] = values[i]![0];
  });
}

/**
 * Writes a number into the epoch logs. tfjs puts a compile metric's
 * validation value there as a tensor it disposes only once a later callback
 * resolves the logs; overwriting it (an `fbetaMetric()` and this callback both
 * log `val_fbeta`) would leak it, so it is disposed first.
 * @internal
 */
export function setLog(logs: Record<string, unknown>, key: string, value: number): void {
  const old = logs[key];
  if (old !== null && typeof old === 'object' && typeof (old as tf.Tensor).dispose === 'function') (old as tf.Tensor).dispose();
  logs[key] = value;
}

/**
 * One `{ xs, ys }` batch of a validation dataset, or a clear error for the
 * usual mistake of a dataset that yields `[xs, ys]` pairs.
 * @internal
 */
export function validationBatch(value: unknown, argument: string): ValidationBatch {
  const v = value as ValidationBatch | null;
  if (v === null || typeof v !== 'object' || Array.isArray(v) || !('xs' in v) || !('ys' in v)) {
    if (Array.isArray(value)) tf.dispose(value.filter((t): t is tf.Tensor => t instanceof tf.Tensor));
    if (value instanceof tf.Tensor) {
      const shape = `[${value.shape.join(', ')}]`;
      value.dispose();
      throw new InvalidOptionError(
        argument,
        `yields a single Tensor (shape ${shape}); each batch must be { xs, ys }. Build the dataset as ` +
          'tf.data.zip({ xs: xDataset, ys: yDataset }).batch(n), with the zip before the batch.',
      );
    }
    throw new InvalidOptionError(
      argument,
      `yields ${Array.isArray(value) ? `an array of ${value.length}` : describe(value)}; each batch must be { xs, ys }. ` +
        'Map the dataset: ds.map(([xs, ys]) => ({ xs, ys })).',
    );
  }
  return v;
}

/**
 * Predicts every batch of a callback's validation data with the model and
 * hands `(labels, predictions)` to `use`, disposing what it made: `[x, y]`
 * tensors in one `predict`, or a dataset of `{ xs, ys }` batches one by one.
 * Single-output models only; `who` names the callback in that error.
 * @internal
 */
export async function forEachValidationBatch(
  model: { predict(x: tf.Tensor | tf.Tensor[], args?: { batchSize?: number }): tf.Tensor | tf.Tensor[] } | undefined | null,
  data: unknown,
  batchSize: number,
  who: string,
  use: (y: tf.Tensor, predictions: tf.Tensor, sampleWeight?: tf.Tensor) => void | Promise<unknown>,
): Promise<void> {
  if (model === undefined || model === null) {
    throw new InvalidOptionError('model', 'the callback has no model yet; pass it to model.fit({ callbacks }) or call setModel(model).');
  }
  const single = (out: tf.Tensor | tf.Tensor[]): tf.Tensor => {
    if (!Array.isArray(out)) return out;
    if (out.length === 1) return out[0]!;
    throw new ShapeMismatchError('model', `has ${out.length} outputs; ${who} scores single-output models only.`);
  };
  if (Array.isArray(data)) {
    const [x, y, w] = data as [tf.Tensor | tf.Tensor[], tf.Tensor, tf.Tensor?];
    const gone = [
      ...(Array.isArray(x) ? x.map((t, i) => [t, `xVal[${i}]`] as const) : [[x, 'xVal'] as const]),
      [y, 'yVal'] as const,
      ...(w === undefined ? [] : [[w, 'sampleWeight'] as const]),
    ].find(([t]) => t.isDisposed);
    if (gone !== undefined) {
      throw new InvalidOptionError(
        'args.validationData',
        `holds a disposed tensor (${gone[1]} of [xVal, yVal]), so ${who} cannot score it. Keep the validation tensors alive until fit returns, and dispose them after.`,
      );
    }
    const out = model.predict(x, { batchSize });
    try {
      await use(y, single(out), w);
    } finally {
      tf.dispose(out);
    }
    return;
  }
  const it = await (data as BatchDataset).iterator();
  for (let r = await it.next(); !r.done; r = await it.next()) {
    const { xs, ys, sampleWeight } = validationBatch(r.value, 'args.validationData');
    const out = model.predict(xs);
    try {
      await use(ys, single(out), sampleWeight);
    } finally {
      tf.dispose([out, xs, ys, ...(sampleWeight === undefined ? [] : [sampleWeight])]);
    }
  }
}
