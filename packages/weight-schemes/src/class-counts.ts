import { EmptyInputError, InvalidCountError, InvalidOptionError, NonFiniteValueError, OutOfRangeError, ShapeMismatchError } from './errors.js';
import { isTensorLike, toDenseMatrix, type LabelMatrix, type TensorLike } from './label-matrix.js';
import { checkCounts, describe } from './validate.js';
import { checkConstraint, checkOneOf } from './constraints.js';

/**
 * Per-class label counts of a dataset. Plain data: it serialises to JSON and
 * counts of shards can be summed with {@link mergeCounts}.
 */
export interface ClassCounts {
  /** For each class c, the number of samples whose label for c is positive (n_c). */
  readonly positives: readonly number[];
  /** The number of samples (rows) counted. */
  readonly samples: number;
  /** The number of rows with no positive label at all. */
  readonly emptyRows: number;
}

/** How a batch of labels is laid out. */
export type LabelFormat =
  /** A [N, C] matrix with a 1 for every positive label (values ≥ 0.5 count as positive). */
  | 'multi-hot'
  /** A [N, C] matrix with exactly one 1 per row. */
  | 'one-hot'
  /** A length-N vector of class indices in [0, C). */
  | 'indices';

/**
 * A streaming class counter: feed it batches with {@link ClassCounter.update},
 * read the counts with {@link ClassCounter.result}. It holds only C + 2 numbers,
 * never the data.
 *
 * @example Counting two batches
 * ```ts
 * const counter = new ClassCounter(3);
 * counter.update([[1, 0, 1], [0, 0, 0]]);
 * counter.update([[0, 1, 1]]);
 * counter.result(); // { positives: [1, 1, 2], samples: 3, emptyRows: 1 }
 * ```
 */
export class ClassCounter {
  /** The number of classes C. */
  readonly numClasses: number;
  private readonly format: LabelFormat;
  private readonly positives: number[];
  private samples = 0;
  private emptyRows = 0;
  /** With `'indices'`: the class index of positions without a label, which are not counted. */
  readonly ignoreClass: number | undefined;

  /**
   * @param numClasses - The number of classes C (a whole number ≥ 1).
   * @param format - How each batch is laid out. Defaults to `'multi-hot'`.
   * @param options - `ignoreClass`: with `'indices'`, the class index of positions without a label (Keras' `ignore_class`, such as −1 or 255), left out of the counts.
   */
  constructor(numClasses: number, format: LabelFormat = 'multi-hot', options: { readonly ignoreClass?: number | undefined } = {}) {
    checkConstraint('numClasses', numClasses, { whole: { min: 1 } }, InvalidCountError);
    checkOneOf('format', format, ['multi-hot', 'one-hot', 'indices'], OutOfRangeError);
    const ignoreClass = options?.ignoreClass;
    if (ignoreClass !== undefined && !Number.isInteger(ignoreClass)) {
      throw new InvalidOptionError('options.ignoreClass', `must be a whole class index (such as -1 or 255), got ${describe(ignoreClass)}.`);
    }
    this.numClasses = numClasses;
    this.format = format;
    this.ignoreClass = ignoreClass;
    this.positives = new Array<number>(numClasses).fill(0);
  }

  /**
   * Adds one batch of labels to the counts.
   *
   * @param labels - A [N, C] matrix for `'multi-hot'` and `'one-hot'`, or a
   *   length-N vector of class indices for `'indices'` (an array, typed array
   *   or tensor-like).
   * @returns This counter, for chaining.
   */
  update(labels: LabelMatrix | ArrayLike<number>): this {
    if (this.format === 'indices') {
      this.addIndices(labels as ArrayLike<number> | TensorLike);
    } else {
      this.addMatrix(labels as LabelMatrix);
    }
    return this;
  }

  /**
   * Adds counts computed elsewhere, such as a shard counted in parallel.
   *
   * @param counts - Counts over the same C classes.
   * @returns This counter, for chaining.
   */
  merge(counts: ClassCounts): this {
    const c = checkClassCounts('counts', counts);
    if (c.positives.length !== this.numClasses) {
      throw new ShapeMismatchError(
        'counts.positives',
        `has ${c.positives.length} classes but this counter has ${this.numClasses}; merge counts over the same classes.`,
      );
    }
    c.positives.forEach((n, i) => (this.positives[i]! += n));
    this.samples += c.samples;
    this.emptyRows += c.emptyRows;
    return this;
  }

  /**
   * @returns A snapshot of the counts so far.
   */
  result(): ClassCounts {
    return { positives: [...this.positives], samples: this.samples, emptyRows: this.emptyRows };
  }

  private addMatrix(labels: LabelMatrix): void {
    const { data, rows, cols } = toDenseMatrix('labels', labels, this.numClasses);
    for (let i = 0; i < rows; i++) {
      let k = 0;
      for (let j = 0; j < cols; j++) {
        if ((data[i * cols + j] as number) >= 0.5) {
          this.positives[j]!++;
          k++;
        }
      }
      if (this.format === 'one-hot' && k !== 1) {
        throw new ShapeMismatchError(
          'labels',
          `row ${i} has ${k} positive labels but one-hot rows need exactly 1. ` +
            "For multi-label data use format 'multi-hot'.",
        );
      }
      if (k === 0) this.emptyRows++;
    }
    this.samples += rows;
  }

  private addIndices(labels: ArrayLike<number> | TensorLike): void {
    let data: ArrayLike<number>;
    if (isTensorLike(labels)) {
      if (labels.shape.length < 1) {
        throw new ShapeMismatchError(
          'labels',
          `class indices must be a tensor [N] (or [N, ...] per position), got a scalar. ` + 'Wrap a single index as [index].',
        );
      }
      data = labels.dataSync(); // [N], [N, 1] or per position [N, T]: every element is one position's class
    } else if (labels !== null && typeof labels === 'object' && typeof labels.length === 'number') {
      // Nested per-position indices [[…], […]]: every element is one position's class.
      data = Array.isArray(labels) && Array.isArray(labels[0]) ? (labels as unknown[]).flat(Infinity as 1) as number[] : labels;
    } else {
      throw new ShapeMismatchError('labels', `expected a vector of class indices, got ${describe(labels)}.`);
    }
    if (data.length === 0) {
      throw new EmptyInputError('labels', 'got 0 class indices; pass at least one labelled sample.');
    }
    let ignored = 0;
    for (let i = 0; i < data.length; i++) {
      const v = data[i] as number;
      if (v === this.ignoreClass) {
        ignored++;
        continue;
      }
      if (typeof v !== 'number' || !Number.isFinite(v)) {
        throw new NonFiniteValueError('labels', `index ${i} is ${describe(v)}; class indices must be whole numbers.`);
      }
      if (!Number.isInteger(v) || v < 0 || v >= this.numClasses) {
        throw new OutOfRangeError(
          'labels',
          `index ${i} is ${v}; class indices must be whole numbers in [0, ${this.numClasses}).`,
          v < 0 || v >= this.numClasses ? 'Pass numClasses large enough for every class, or ignoreClass for positions without a label (padding, void).' : 'Pass numClasses large enough for every class.',
        );
      }
      this.positives[v]!++;
    }
    this.samples += data.length - ignored;
  }
}

/**
 * Counts the positives of each class in a multi-hot label matrix [N, C].
 * A label counts as positive when it is ≥ 0.5.
 *
 * @param labels - The label matrix: rows of numbers, a flat buffer with its shape, or a tensor.
 * @returns The per-class counts, the number of rows and the number of rows with no positive label.
 *
 * @example Counting a small multi-label dataset
 * ```ts
 * countMultiHot([[1, 0, 1], [0, 0, 1], [0, 0, 0]]);
 * // { positives: [1, 0, 2], samples: 3, emptyRows: 1 }
 * ```
 */
export function countMultiHot(labels: LabelMatrix): ClassCounts {
  const { cols } = toDenseMatrix('labels', labels);
  return new ClassCounter(cols, 'multi-hot').update(labels).result();
}

/**
 * Counts the samples of each class in a one-hot label matrix [N, C]. Every
 * row must have exactly one positive label.
 *
 * @param labels - The one-hot matrix.
 * @returns The per-class counts.
 *
 * @example
 * ```ts
 * countOneHot([[1, 0], [0, 1], [0, 1]]); // { positives: [1, 2], samples: 3, emptyRows: 0 }
 * ```
 */
export function countOneHot(labels: LabelMatrix): ClassCounts {
  const { cols } = toDenseMatrix('labels', labels);
  return new ClassCounter(cols, 'one-hot').update(labels).result();
}

/**
 * Counts single-label class indices.
 *
 * @param indices - A length-N vector of class indices in [0, numClasses), or per position [N, T] (each element one position).
 * @param numClasses - The number of classes C, so classes with no sample still get a count of 0.
 * @param options - `ignoreClass`: the class index of positions without a label (such as −1 or 255), left out of the counts.
 * @returns The per-class counts.
 *
 * @example
 * ```ts
 * countIndices([0, 2, 2, 1, 2], 4); // { positives: [1, 1, 3, 0], samples: 5, emptyRows: 0 }
 * ```
 */
export function countIndices(indices: ArrayLike<number> | TensorLike, numClasses: number, options: { readonly ignoreClass?: number | undefined } = {}): ClassCounts {
  return new ClassCounter(numClasses, 'indices', options).update(indices).result();
}

/**
 * Sums counts of shards counted separately; the result equals counting all
 * the data at once.
 *
 * @param counts - Counts over the same C classes (at least one).
 * @returns Their sum.
 *
 * @example Counting two shards in parallel
 * ```ts
 * const total = mergeCounts(countMultiHot(shardA), countMultiHot(shardB));
 * ```
 */
export function mergeCounts(...counts: ClassCounts[]): ClassCounts {
  if (counts.length === 0) {
    throw new EmptyInputError('counts', 'got no counts to merge; pass at least one ClassCounts.');
  }
  const first = checkClassCounts('counts[0]', counts[0]!);
  const counter = new ClassCounter(first.positives.length);
  counts.forEach((c) => counter.merge(c));
  return counter.result();
}

/**
 * Checks that an object is a valid {@link ClassCounts}: whole, non-negative,
 * finite counts, and no class count larger than the number of samples.
 *
 * @param argument - The argument's name, for error messages.
 * @param counts - The counts to check.
 * @param allowFractional - Accept non-integer counts (decayed online counts). Defaults to `false`.
 * @returns The same counts.
 *
 * @example
 * ```ts
 * checkClassCounts('counts', { positives: [3, 1], samples: 2, emptyRows: 0 }); // throws: 3 > 2 samples
 * ```
 */
export function checkClassCounts(argument: string, counts: ClassCounts, allowFractional = false): ClassCounts {
  if (counts === null || typeof counts !== 'object' || !('positives' in counts)) {
    throw new InvalidCountError(
      argument,
      `expected ClassCounts {positives, samples, emptyRows}, got ${describe(counts)}. ` +
        'Build it with countMultiHot, countOneHot, countIndices or countStream, or pass a plain array of counts.',
    );
  }
  const positives = checkCounts(`${argument}.positives`, counts.positives, allowFractional);
  const [samples, emptyRows] = checkCounts(`${argument}.samples/emptyRows`, [counts.samples, counts.emptyRows], allowFractional) as [
    number,
    number,
  ];
  const over = positives.findIndex((n) => n > samples);
  if (over >= 0) {
    throw new InvalidCountError(
      `${argument}.positives[${over}]`,
      `is ${positives[over]} but there are only ${samples} samples; a class cannot have more positives than samples.`,
    );
  }
  if (emptyRows > samples) {
    throw new InvalidCountError(`${argument}.emptyRows`, `is ${emptyRows} but there are only ${samples} samples.`);
  }
  return counts;
}
