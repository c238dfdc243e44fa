/**
 * What a model's scores are: `'logits'` (before the sigmoid or softmax, the
 * stable choice) or `'probabilities'`. The losses, metrics and callbacks of
 * every tfjs-imbalance package take it as `from`.
 */
export type PredictionKind = 'logits' | 'probabilities';

/**
 * How predictions are read:
 * - `'multilabel'`: [N, C] scores, each class thresholded on its own; labels are multi-hot [N, C];
 * - `'multiclass'`: [N, C] scores (the argmax is the prediction) or [N] class indices; labels are [N] indices or one-hot [N, C].
 *
 * F-beta takes it as `task`, and each loss class declares its own.
 */
export type Task = 'multilabel' | 'multiclass';

/**
 * A dataset of batches, read one pass at a time: a `tf.data.Dataset` fits,
 * or anything with the same `iterator()`. Every package takes datasets in
 * this shape: F-beta's validation data (batches of `{ xs, ys }`), the
 * search's splits, and `countStream`'s sources.
 */
export interface BatchDataset<B = unknown> {
  /** Starts a pass over the batches. */
  iterator(): Promise<{
    /** Returns the next batch. */
    next(): Promise<IteratorResult<B>>;
  }>;
  /** The number of batches, `null` when unknown, `Infinity` after `.repeat()` (which the packages refuse where they read to the end). */
  readonly size?: number | null;
}

/**
 * A matrix [rows, columns] as one flat row-major array and its shape: the
 * one matrix form the packages pass around, as labels, scores or logits.
 */
export interface FlatMatrix<T extends ArrayLike<number> = ArrayLike<number>> {
  /** Row-major values. */
  readonly data: T;
  /** [rows, columns]. */
  readonly shape: readonly [number, number];
}
