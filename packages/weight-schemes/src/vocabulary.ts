/**
 * What a model's scores are: `'logits'` (before the sigmoid or softmax, the
 * stable choice) or `'probabilities'`. The losses, metrics and callbacks of
 * every tfjs-imbalance package take it as `from`.
 */
export type PredictionKind = 'logits' | 'probabilities';
