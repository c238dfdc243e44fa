import { EmptyInputError, InvalidOptionError, NonFiniteValueError, OutOfRangeError, ShapeMismatchError } from './errors.js';
import { describe } from './validate.js';
import type { FlatMatrix } from './vocabulary.js';

/**
 * Something shaped like a tensor: a `shape` and a way to read its values.
 * A `tf.Tensor` fits, so weight-schemes can read tensors without depending
 * on tfjs.
 */
export interface TensorLike {
  /** The tensor's shape. */
  readonly shape: readonly number[];
  /** Reads the values synchronously, row-major. */
  dataSync(): ArrayLike<number>;
}

/**
 * A two-dimensional label matrix [N, C]: either rows of numbers (arrays or
 * typed arrays), a flat row-major buffer with its shape, or a tensor-like
 * object such as a `tf.Tensor2D`.
 */
export type LabelMatrix = ReadonlyArray<ArrayLike<number>> | FlatMatrix | TensorLike;

/** A validated, flat, row-major view of a {@link LabelMatrix}: a {@link FlatMatrix} with its rows and columns spelt out. */
export interface DenseMatrix extends FlatMatrix {
  /** The number of rows N. */
  readonly rows: number;
  /** The number of columns C. */
  readonly cols: number;
}

/** A {@link DenseMatrix} of `data` with `rows` × `cols` values. */
function dense(data: ArrayLike<number>, rows: number, cols: number): DenseMatrix {
  return { data, rows, cols, shape: [rows, cols] };
}

/** Options of {@link toDenseMatrix}. */
export interface DenseMatrixOptions {
  /** The number of columns the matrix must have. Defaults to any number. */
  readonly cols?: number;
  /**
   * Which values are allowed: `'labels'` or `'probabilities'` for finite
   * values in [0, 1], `'finite'` for any finite value (scores, logits).
   * Defaults to `'labels'`.
   */
  readonly values?: 'labels' | 'probabilities' | 'finite';
}

/**
 * Turns any {@link LabelMatrix} into a flat, validated [N, C] view: it must
 * be rectangular and non-empty, and every value must be finite (and in
 * [0, 1] for labels).
 *
 * @param argument - The argument's name, for error messages.
 * @param labels - The matrix.
 * @param options - See {@link DenseMatrixOptions}; a number is shorthand for `{ cols }`.
 * @returns The flat view.
 *
 * @example
 * ```ts
 * const m = toDenseMatrix('labels', [[1, 0], [0, 1]]); // { rows: 2, cols: 2, data: [1, 0, 0, 1] }
 * ```
 */
export function toDenseMatrix(
  argument: string,
  labels: LabelMatrix,
  options: DenseMatrixOptions | number = {},
): DenseMatrix {
  const { cols: expectedCols, values = 'labels' } = typeof options === 'number' ? { cols: options } : options;
  const m = flatten(argument, labels);
  if (m.rows === 0) {
    throw new EmptyInputError(argument, `got 0 rows (shape [0, ${m.cols}]); pass at least one labelled row.`);
  }
  if (m.cols === 0) {
    throw new EmptyInputError(argument, `got rows with 0 columns (shape [${m.rows}, 0]); pass one column per class.`);
  }
  if (expectedCols !== undefined && m.cols !== expectedCols) {
    throw new ShapeMismatchError(
      argument,
      `has shape [${m.rows}, ${m.cols}] but ${expectedCols} classes were expected ([${m.rows}, ${expectedCols}]). ` +
        'Pass one column per class, in the same class order.',
    );
  }
  checkValues(argument, m, values);
  return m;
}

function flatten(argument: string, labels: LabelMatrix): DenseMatrix {
  if (labels === null || typeof labels !== 'object') {
    throw new ShapeMismatchError(argument, `expected a [N, C] label matrix, got ${describe(labels)}.`);
  }
  if (isTensorLike(labels)) {
    if (labels.shape.length < 2) {
      throw new ShapeMismatchError(
        argument,
        `expected a rank-2 tensor [N, C] (or [N, ..., C] with the class axis last), got shape [${labels.shape.join(', ')}]. ` +
          'For class indices use the index-based function; for a single row, reshape to [1, C].',
      );
    }
    // Per-position labels [N, ..., C]: every position is a row (pooled per class).
    const cols = labels.shape[labels.shape.length - 1]!;
    return dense(labels.dataSync(), cols === 0 ? labels.shape[0]! : labels.shape.reduce((a, b) => a * b, 1) / cols, cols);
  }
  if ('data' in labels && 'shape' in labels && !Array.isArray(labels)) {
    const shape = labels.shape as readonly number[];
    const cols = shape[shape.length - 1]!;
    const rows = shape.length < 2 ? Number.NaN : shape.slice(0, -1).reduce((a, b) => a * b, 1);
    if (shape.length < 2 || labels.data.length !== rows * cols) {
      throw new ShapeMismatchError(
        argument,
        `data of length ${labels.data.length} does not fill shape [${labels.shape.join(', ')}]; ` +
          'data must hold rows × cols values, row-major.',
      );
    }
    return dense(labels.data, rows, cols);
  }
  if (!Array.isArray(labels)) {
    throw new ShapeMismatchError(argument, `expected a [N, C] label matrix, got ${describe(labels)}.`);
  }
  if (labels.length > 0 && Array.isArray(labels[0]) && Array.isArray((labels[0] as unknown[])[0])) {
    // Nested per-position labels [N, ..., C]: every position is a row.
    return flatten(argument, (labels as unknown[][]).flat() as unknown as LabelMatrix);
  }
  const rows = labels.length;
  if (rows === 0) return dense([], 0, 0);
  const first = labels[0] as ArrayLike<number>;
  if (typeof first !== 'object' || first === null || typeof first.length !== 'number') {
    throw new ShapeMismatchError(
      argument,
      `expected rows of numbers (a [N, C] matrix), but row 0 is ${describe(first)}. ` +
        'For class indices use the index-based function; wrap a single row as [row].',
    );
  }
  const cols = first.length;
  const data = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) {
    const row = labels[i] as ArrayLike<number>;
    if (typeof row !== 'object' || row === null || row.length !== cols) {
      throw new ShapeMismatchError(
        argument,
        `row ${i} has ${row === null || typeof row !== 'object' ? describe(row) : `length ${row.length}`} but row 0 has length ${cols}; ` +
          'every row needs one value per class.',
      );
    }
    for (let j = 0; j < cols; j++) {
      const v = row[j] as unknown;
      // A typed array holds numbers; in a plain array, a string (a blank or unparsed CSV cell) or null would
      // silently become 0 (a negative label) or a number it does not show.
      if (typeof v !== 'number' && typeof v !== 'boolean') {
        throw new InvalidOptionError(
          argument,
          `value at row ${i}, column ${j} is ${describe(v)}; labels and scores must be numbers. ` +
            (typeof v === 'string' ? 'Parse the cells first (Number(cell)), and decide what a blank cell means: 0, or leave the row out.' : 'Fill in the missing value.'),
        );
      }
      data[i * cols + j] = v as number;
    }
  }
  return dense(data, rows, cols);
}

/**
 * True for objects with a numeric `shape` array and a `dataSync` method,
 * such as `tf.Tensor`.
 *
 * @param x - Anything.
 * @returns Whether `x` looks like a tensor.
 *
 * @example
 * ```ts
 * isTensorLike(tf.zeros([2, 3])); // true
 * ```
 */
export function isTensorLike(x: unknown): x is TensorLike {
  return (
    typeof x === 'object' &&
    x !== null &&
    Array.isArray((x as TensorLike).shape) &&
    typeof (x as TensorLike).dataSync === 'function'
  );
}

function checkValues(argument: string, m: DenseMatrix, values: 'labels' | 'probabilities' | 'finite'): void {
  const { data, cols } = m;
  for (let k = 0; k < data.length; k++) {
    const v = data[k] as number;
    if (!Number.isFinite(v)) {
      throw new NonFiniteValueError(
        argument,
        `value at row ${Math.floor(k / cols)}, column ${k % cols} is ${v}; only finite numbers are allowed. ` +
          'Check the data (or the model output) for NaN or Infinity.',
      );
    }
    if (values !== 'finite' && (v < 0 || v > 1)) {
      const where = `row ${Math.floor(k / cols)}, column ${k % cols}`;
      throw values === 'labels'
        ? new OutOfRangeError(argument, `label at ${where} is ${v}; multi-hot labels must lie in [0, 1].`, 'If these are class indices, one-hot them first (tf.oneHot), or use the index-based function where there is one.')
        : new OutOfRangeError(argument, `probability at ${where} is ${v}; probabilities must lie in [0, 1].`, "If these are logits, pass from: 'logits'.");
    }
  }
}
