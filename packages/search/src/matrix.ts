/** A [N, C] matrix as a flat row-major array. */
export interface Matrix {
  /** Row-major values. */
  readonly data: Float32Array;
  /** [rows, columns]. */
  readonly shape: [number, number];
}
