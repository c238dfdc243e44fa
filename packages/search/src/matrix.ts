import type { FlatMatrix } from '@tfjs-imbalance/weight-schemes';

/** A [N, C] matrix as a flat row-major Float32Array: weight-schemes' {@link FlatMatrix}, as the search reads labels and logits. */
export type Matrix = FlatMatrix<Float32Array>;
