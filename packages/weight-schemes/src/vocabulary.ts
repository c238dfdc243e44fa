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
