import { ClassCounter, type ClassCounts, type LabelFormat } from './class-counts.js';
import { EmptyInputError, InvalidOptionError } from './errors.js';
import { isTensorLike, type LabelMatrix, type TensorLike } from './label-matrix.js';
import { checkOptionNames, describe, optionNames } from './validate.js';
import type { BatchDataset } from './vocabulary.js';

/** One batch of labels as {@link countStream} reads it. */
export type LabelBatch = LabelMatrix | ArrayLike<number> | TensorLike;

/**
 * Where {@link countStream} reads batches from: any sync or async iterable,
 * a bare iterator (such as the one `tf.data.Dataset.iterator()` resolves to),
 * or a `tf.data.Dataset` itself.
 */
export type BatchSource<B> =
  | Iterable<B>
  | AsyncIterable<B>
  | {
      /** Returns the next batch. */
      next(): IteratorResult<B> | Promise<IteratorResult<B>>;
    }
  | BatchDataset<B>;

/** Options of {@link countStream}. */
export interface CountStreamOptions<B> {
  /** The number of classes C. Defaults to the number of columns of the first batch (required for `'indices'`). */
  numClasses?: number;
  /** How each batch's labels are laid out. Defaults to `'multi-hot'`. */
  format?: LabelFormat;
  /** With `format: 'indices'`: the class index of positions without a label (such as −1 or 255), left out of the counts. Defaults to none. */
  ignoreClass?: number;
  /**
   * Picks the labels out of a batch. Defaults to `batch.ys` when the batch
   * has a `ys` field (the `{xs, ys}` elements of a `tf.data.Dataset`), else
   * the batch itself.
   */
  select?: (batch: B) => LabelBatch;
  /**
   * Whether to call `dispose()` on each batch's tensors after reading them.
   * Defaults to `true` when the source is a `tf.data.Dataset` (its batches
   * belong to the reader), else `false`.
   */
  disposeBatches?: boolean;
}

const STREAM_OPTIONS = optionNames<CountStreamOptions<unknown>>()('numClasses', 'format', 'select', 'disposeBatches', 'ignoreClass');

/**
 * Counts classes over a stream of label batches without holding the data:
 * only C + 2 numbers stay in memory. Works with arrays of batches,
 * generators, async generators and `tf.data.Dataset`s.
 *
 * @param source - The batches.
 * @param options - See {@link CountStreamOptions}.
 * @returns The per-class counts over every batch.
 *
 * @example Counting a tf.data.Dataset of xs/ys batches (objects or pairs)
 * ```ts
 * const counts = await countStream(trainDataset); // reads batch.ys, disposes each batch
 * const weights = classWeights(counts, { name: 'ens', beta: 0.999 });
 * ```
 *
 * @example Counting an async generator of multi-hot rows
 * ```ts
 * async function* batches() { yield [[1, 0], [0, 1]]; yield [[1, 1]]; }
 * await countStream(batches()); // { positives: [2, 2], samples: 3, emptyRows: 0 }
 * ```
 */
export async function countStream<B = LabelBatch>(
  source: BatchSource<B>,
  options: CountStreamOptions<B> = {},
): Promise<ClassCounts> {
  checkOptionNames('options', options, STREAM_OPTIONS);
  if (source === null || typeof source !== 'object') {
    throw new InvalidOptionError(
      'source',
      `expected an iterable, an async iterable or a tf.data.Dataset of label batches, got ${describe(source)}.`,
    );
  }
  const { format = 'multi-hot' } = options;
  const isDataset = typeof (source as { iterator?: unknown }).iterator === 'function';
  const dispose = options.disposeBatches ?? isDataset;
  const select = options.select ?? defaultSelect;
  if (format === 'indices' && options.numClasses === undefined) {
    throw new InvalidOptionError('options.numClasses', "is required with format 'indices'; pass the number of classes C.");
  }
  let counter: ClassCounter | undefined =
    options.numClasses === undefined ? undefined : new ClassCounter(options.numClasses, format, { ignoreClass: options.ignoreClass });
  for await (const batch of iterate(source)) {
    try {
      const labels = select(batch);
      counter ??= new ClassCounter(columnsOf(labels), format, { ignoreClass: options.ignoreClass });
      counter.update(labels);
    } finally {
      if (dispose) disposeAll(batch);
    }
  }
  if (counter === undefined || counter.result().samples === 0) {
    throw new EmptyInputError('source', 'yielded no labelled rows; check that the dataset is not empty or exhausted.');
  }
  return counter.result();
}

/** A batch's labels: `ys` of an `{ xs, ys }` batch, the second tensor of an `[xs, ys]` batch (both are what `fitDataset` takes), else the batch itself. */
function defaultSelect<B>(batch: B): LabelBatch {
  if (batch !== null && typeof batch === 'object' && 'ys' in batch) return (batch as { ys: LabelBatch }).ys;
  if (Array.isArray(batch) && batch.length === 2 && isTensorLike(batch[0]) && isTensorLike(batch[1])) return batch[1] as LabelBatch;
  return batch as unknown as LabelBatch;
}

function columnsOf(labels: LabelBatch): number {
  if ('shape' in labels && Array.isArray(labels.shape) && labels.shape.length >= 2) return labels.shape[labels.shape.length - 1] as number;
  let first = (labels as ArrayLike<ArrayLike<number>>)[0];
  while (Array.isArray(first) && Array.isArray(first[0])) first = first[0] as ArrayLike<number>; // per-position rows: the class axis is the last
  if (first !== undefined && typeof first === 'object' && typeof first.length === 'number') return first.length;
  throw new InvalidOptionError(
    'options.numClasses',
    `could not infer the number of classes from the first batch (${describe(labels)}); pass numClasses.`,
  );
}

async function* iterate<B>(source: BatchSource<B>): AsyncGenerator<B> {
  if (source !== null && typeof source === 'object') {
    if (Symbol.asyncIterator in source) return yield* source as AsyncIterable<B>;
    if (Symbol.iterator in source) return yield* source as Iterable<B>;
    let it: { next(): IteratorResult<B> | Promise<IteratorResult<B>> } | undefined;
    if (typeof (source as { iterator?: unknown }).iterator === 'function') {
      it = await (source as BatchDataset<B>).iterator();
    } else if (typeof (source as { next?: unknown }).next === 'function') {
      it = source as { next(): IteratorResult<B> };
    }
    if (it !== undefined) {
      for (let r = await it.next(); !r.done; r = await it.next()) yield r.value;
      return;
    }
  }
  throw new InvalidOptionError(
    'source',
    `expected an iterable, async iterable, iterator or tf.data.Dataset of label batches, got ${describe(source)}.`,
  );
}

function disposeAll(batch: unknown): void {
  if (batch === null || typeof batch !== 'object') return;
  if (typeof (batch as { dispose?: unknown }).dispose === 'function') {
    (batch as { dispose(): void }).dispose();
    return;
  }
  for (const v of Object.values(batch)) {
    if (v !== null && typeof v === 'object' && typeof (v as { dispose?: unknown }).dispose === 'function') {
      (v as { dispose(): void }).dispose();
    }
  }
}
