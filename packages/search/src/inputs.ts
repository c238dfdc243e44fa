import * as tf from '@tensorflow/tfjs-core';
import { LayersModel } from '@tensorflow/tfjs-layers';
import { ClassCounter, InvalidOptionError, NonFiniteValueError, ShapeMismatchError, toDenseMatrix, type BatchDataset, type ClassCounts } from '@tfjs-imbalance/weight-schemes';
import { lastLayerActivation } from '@tfjs-imbalance/fbeta-metric/internal';
import { describe } from '@tfjs-imbalance/weight-schemes/internal';
import type { Matrix } from './scores.js';

/** A `tf.data` dataset of batched `{ xs, ys }` elements (what `fitDataset` takes): weight-schemes' {@link BatchDataset}. `Infinity` batches (after `.repeat()`) are refused. */
export type DatasetLike = BatchDataset;

/** What {@link DatasetLike.iterator} resolves to. */
export type DatasetIterator = Awaited<ReturnType<BatchDataset['iterator']>>;

/** Tensor data. */
export interface TensorSplit {
  /** Inputs [N, …]. */
  readonly x: tf.Tensor;
  /** Multi-hot labels [N, C]. */
  readonly y: tf.Tensor;
}

/** Training or validation data: tensors, or a dataset of batched `{ xs, ys }`. */
export type Split = TensorSplit | DatasetLike;

/** A checked split. @internal */
export interface CheckedSplit {
  readonly argument: string;
  readonly x?: tf.Tensor;
  readonly y?: tf.Tensor;
  readonly dataset?: DatasetLike;
  batchesPerEpoch(batchSize: number): number | undefined;
  /** The labels as a matrix, read once. */
  labels(): Promise<Matrix>;
}

const isTensor = (v: unknown): v is tf.Tensor => v instanceof tf.Tensor;

/** Checks a split's form (not yet its values). @internal */
export function checkSplit(argument: string, split: Split | undefined): CheckedSplit {
  if (split === undefined || split === null) {
    throw new InvalidOptionError(
      argument,
      `is missing. The search selects, prunes, stops early and tunes thresholds on validation data alone: pass { x, y } held out from training (for example the last 20% of rows).`,
    );
  }
  let cached: Matrix | undefined;
  if (typeof (split as DatasetLike).iterator === 'function') {
    const dataset = split as DatasetLike;
    if (dataset.size === Infinity) {
      throw new InvalidOptionError(argument, 'is an endless dataset (size Infinity, as after .repeat()): the search reads it to the end each epoch. Drop the .repeat().');
    }
    return {
      argument,
      dataset,
      batchesPerEpoch: () => (typeof dataset.size === 'number' ? dataset.size : undefined),
      async labels() {
        if (cached === undefined) {
          const parts: Float32Array[] = [];
          let C = 0;
          await forEachBatch(argument, dataset, async (_xs, ys) => {
            parts.push((await ys.data()) as Float32Array);
            C = ys.shape[1]!;
          });
          cached = concatRows(parts, C);
        }
        return cached;
      },
    };
  }
  const { x, y } = split as { x?: unknown; y?: unknown };
  if (!isTensor(x) || !isTensor(y)) {
    const arrays = Array.isArray(x) || Array.isArray(y);
    throw new InvalidOptionError(
      argument,
      `must be { x, y } with tensors x [N, …] and multi-hot labels y [N, C], or a tf.data dataset of batched { xs, ys }; got ${arrays ? 'arrays: wrap them as { x: tf.tensor2d(x), y: tf.tensor2d(y) }' : describe(split)}.`,
    );
  }
  if (y.rank !== 2) throw new ShapeMismatchError(`${argument}.y`, `has shape [${y.shape}] but must be multi-hot labels [N, C]; for class indices, one-hot them first (tf.oneHot).`);
  if (x.shape[0] !== y.shape[0]) throw new ShapeMismatchError(`${argument}.x`, `has ${x.shape[0]} rows (shape [${x.shape}]) but ${argument}.y has ${y.shape[0]} (shape [${y.shape}]); they must match.`);
  return {
    argument,
    x,
    y,
    batchesPerEpoch: (batchSize) => Math.ceil(x.shape[0]! / batchSize),
    async labels() {
      cached ??= { data: (await y.data()) as Float32Array, shape: y.shape as [number, number] };
      return cached;
    },
  };
}

async function forEachBatch(argument: string, dataset: DatasetLike, f: (xs: tf.Tensor, ys: tf.Tensor) => Promise<void>): Promise<void> {
  const it = await dataset.iterator();
  for (let r = await it.next(); !r.done; r = await it.next()) {
    const v = r.value as { xs?: unknown; ys?: unknown };
    if (!isTensor(v?.xs) || !isTensor(v?.ys)) {
      throw new InvalidOptionError(argument, `must yield batched { xs, ys } tensors, as fitDataset takes; got an element ${describe(r.value)}. Map it with .map(([x, y]) => ({ xs: x, ys: y })) and .batch(n).`);
    }
    try {
      if (v.ys.rank !== 2) throw new ShapeMismatchError(argument, `yields ys of shape [${v.ys.shape}]; each batch's labels must be multi-hot [batch, C] (call .batch(n) on the dataset).`);
      await f(v.xs, v.ys);
    } finally {
      tf.dispose([v.xs, v.ys]);
    }
  }
}

function concatRows(parts: readonly Float32Array[], C: number): Matrix {
  const out = new Float32Array(parts.reduce((a, p) => a + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return { data: out, shape: [out.length / Math.max(C, 1), C] };
}

/** A split's labels and their class counts, checked against the model's C outputs. @internal */
export async function labelsOf(argument: string, split: CheckedSplit, C: number, training: boolean): Promise<{ labels: Matrix; counts: ClassCounts }> {
  const y = await split.labels();
  if (y.shape[1] !== C) {
    throw new ShapeMismatchError(
      `${argument}.y`,
      `has shape [${y.shape}] but the model outputs ${C} logits per row (shape [null, ${C}]); the labels must have one column per output. Give the model's last layer units: ${y.shape[1]}, or select the label columns.`,
    );
  }
  if (y.shape[0] === 0) throw new InvalidOptionError(argument, 'has no rows.');
  if (!training && y.shape[0] < MIN_VALIDATION_ROWS) {
    throw new InvalidOptionError(
      argument,
      `has ${y.shape[0]} row; the search tunes thresholds on one half of the validation rows and scores them on the other, so it needs at least ${MIN_VALIDATION_ROWS} (in practice hundreds: hold out a tenth to a fifth of the data).`,
    );
  }
  toDenseMatrix(`${argument}.y`, y); // the values: finite, in [0, 1], the error naming this argument
  const counts = new ClassCounter(C, 'multi-hot').update(y).result();
  const empty = counts.positives.flatMap((n, c) => (n === 0 || n === counts.samples ? [c] : []));
  if (training && empty.length > 0) {
    throw new InvalidOptionError(
      `${argument}.y`,
      `class${empty.length > 1 ? 'es' : ''} ${empty.slice(0, 10).join(', ')} ${empty.length > 1 ? 'are' : 'is'} positive in no training row or in every one, so no treatment can learn ${empty.length > 1 ? 'them' : 'it'} and the class weights are infinite. Drop ${empty.length > 1 ? 'those columns' : 'that column'} from the labels and the model's output.`,
    );
  }
  return { labels: y, counts };
}

/** The fewest validation rows the search accepts: the cross-fitting needs two non-empty halves. */
const MIN_VALIDATION_ROWS = 2;

/**
 * Checks that a split's tensor inputs are finite, before any training (a NaN
 * would otherwise surface an epoch later as the loss's "yPred: NaN"), and
 * names where the first one is. Read without a blocking read. @internal
 */
export async function checkFiniteInputs(split: CheckedSplit): Promise<void> {
  const x = split.x;
  if (x === undefined || x.dtype !== 'float32' || x.size === 0) return;
  const [anyBad, first] = tf.tidy(() => {
    const bad = tf.logicalNot(tf.isFinite(tf.reshape(x, [-1])));
    return [tf.any(bad), tf.argMax(tf.cast(bad, 'int32'))];
  });
  let at: number | undefined;
  try {
    if ((await anyBad.data())[0] === 1) at = (await first.data())[0]!;
  } finally {
    tf.dispose([anyBad, first]);
  }
  if (at === undefined) return;
  const perRow = x.size / x.shape[0]!;
  const value = tf.tidy(() => tf.slice(tf.reshape(x, [-1]), [at], [1]));
  const v = (await value.data())[0]!;
  value.dispose();
  throw new NonFiniteValueError(
    `${split.argument}.x`,
    `has ${Number.isNaN(v) ? 'NaN' : v > 0 ? 'Infinity' : '-Infinity'} at row ${Math.floor(at / perRow)}, position ${at % perRow} of shape [${x.shape}]; a model cannot learn from non-finite inputs. Impute or drop those rows (for example fill a missing value with the column's mean) before the search.`,
  );
}

/** The model's logits on a split, read without a blocking read. @internal */
export async function predictLogits(model: LayersModel, split: CheckedSplit, batchSize: number): Promise<Matrix> {
  if (split.x !== undefined) {
    const out = model.predict(split.x, { batchSize: Math.max(batchSize, 256) }) as tf.Tensor;
    try {
      return { data: (await out.data()) as Float32Array, shape: out.shape as [number, number] };
    } finally {
      out.dispose();
    }
  }
  const parts: Float32Array[] = [];
  let C = 0;
  await forEachBatch(split.argument, split.dataset!, async (xs) => {
    const out = model.predict(xs) as tf.Tensor;
    try {
      parts.push((await out.data()) as Float32Array);
      C = out.shape[1]!;
    } finally {
      out.dispose();
    }
  });
  return concatRows(parts, C);
}

const made = new WeakSet<LayersModel>();

/**
 * Calls the model factory and checks what it returns: a fresh tf.LayersModel
 * with one output of logits. With `initial`, sets its weights to them (every
 * candidate starts from the same point). @internal
 */
export function checkFactory(factory: unknown, initial: readonly tf.Tensor[] | undefined): LayersModel {
  if (factory instanceof LayersModel) {
    throw new InvalidOptionError('args.model', 'is a model, but the search needs a factory that builds a fresh one for each candidate: pass () => buildModel() (uncompiled, outputting logits).');
  }
  if (typeof factory !== 'function') throw new InvalidOptionError('args.model', `must be a factory () => tf.LayersModel, got ${describe(factory)}.`);
  const model = (factory as () => unknown)();
  if (typeof (model as PromiseLike<unknown> | undefined)?.then === 'function') {
    // Free the model it resolves to: nothing else will.
    (model as PromiseLike<unknown>).then(
      (m) => (m instanceof LayersModel ? m.dispose() : undefined),
      () => undefined,
    );
    throw new InvalidOptionError('args.model', 'returned a Promise; the factory must build the model synchronously. Do the async part first (such as loading weights or a config), then pass () => build(config).');
  }
  if (!(model instanceof LayersModel)) {
    throw new InvalidOptionError('args.model', `must return a tf.LayersModel (tf.sequential or tf.model), got ${describe(model)}. If it is one, check that one copy of @tensorflow/tfjs-layers is installed.`);
  }
  if (made.has(model)) throw new InvalidOptionError('args.model', 'returned the same model twice; it must build a new model on each call (each candidate trains its own).');
  made.add(model);
  try {
    if (model.outputs.length !== 1) throw new InvalidOptionError('args.model', `returns a model with ${model.outputs.length} outputs; the search trains one output of logits [N, C].`);
    const last = lastLayerActivation(model);
    if (last !== undefined && last.activation !== 'linear') {
      throw new InvalidOptionError(
        'args.model',
        `returns a model whose last layer "${last.layer}" has a ${last.activation} activation; the candidates' losses take logits. Drop the activation (activation: 'linear'); apply a sigmoid at prediction time.`,
      );
    }
    if (initial !== undefined) {
      const w = model.getWeights();
      if (w.length !== initial.length || w.some((t, i) => !tf.util.arraysEqual(t.shape, initial[i]!.shape))) {
        throw new InvalidOptionError('args.model', 'returned models of different architectures on two calls; it must build the same model each time.');
      }
      model.setWeights(initial as tf.Tensor[]);
    }
  } catch (e) {
    model.dispose();
    throw e;
  }
  return model;
}

/** Checks that tensor inputs fit the model's input shape, before any training. @internal */
export function checkInputShape(split: CheckedSplit, model: LayersModel): void {
  if (split.x === undefined || model.inputs.length !== 1) return;
  const want = model.inputs[0]!.shape;
  const got = split.x.shape;
  if (got.length !== want.length || want.some((d, i) => i > 0 && d !== null && d !== got[i])) {
    throw new ShapeMismatchError(
      `${split.argument}.x`,
      `has shape [${got}] but the model takes inputs of shape [${want.map((d) => (d === null ? 'null' : d))}]; give every split the features the model was built for.`,
    );
  }
}
