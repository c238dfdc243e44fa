import * as tf from '@tensorflow/tfjs-core';
import { ImbalanceError, InvalidOptionError } from '@tfjs-imbalance/weight-schemes';
import { describe, metricFactory, metricRecipe, type MetricRecipe } from '@tfjs-imbalance/weight-schemes/internal';
import type { WeightedLossConfig } from './weighted-loss/args.js';
import { WeightedLoss } from './weighted-loss/weighted-loss.js';
import { lossFromConfig } from './serialization.js';

import { TRAINING_METADATA_KEY, type Nested, type SavedLoss, type SavedMetric, type SavedTraining } from './saved-training.js';
export { TRAINING_METADATA_KEY };

/**
 * What {@link saveForResume} and {@link resumeTraining} need of a model: the
 * parts of a compiled `tf.LayersModel` they read and call.
 */
export interface ResumableModel {
  /** What `compile` got as `loss`. */
  readonly loss: unknown;
  /** What `compile` got as `metrics`. */
  readonly metrics?: unknown;
  /** The model's optimizer (restored with its state by `tf.loadLayersModel` through {@link resumable}). */
  readonly optimizer?: unknown;
  /** Saves the model. */
  save(handlerOrURL: tf.io.IOHandler | string, config?: tf.io.SaveConfig): Promise<tf.io.SaveResult>;
  /** Compiles the model. */
  compile(args: { optimizer: unknown; loss: unknown; metrics?: unknown }): void;
  /** Sets JSON metadata saved with the model. */
  setUserDefinedMetadata(metadata: {}): void;
  /** Reads the metadata back. */
  getUserDefinedMetadata(): {} | undefined;
}

/** Applies `f` to a value that may be one item, an array, or a record by output name. */
function mapNested<T, U>(value: Nested<T>, isItem: (v: unknown) => v is T, f: (v: T, where: string) => U, where: string): Nested<U> {
  // Anything but a list or a non-empty record goes to f, which takes it or says what is wrong with it.
  if (isItem(value) || value === null || typeof value !== 'object' || (!Array.isArray(value) && Object.keys(value).length === 0)) return f(value as T, where);
  if (Array.isArray(value)) return value.map((v, i) => f(v as T, `${where}[${i}]`));
  return Object.fromEntries(Object.entries(value as Record<string, T>).map(([k, v]) => [k, f(v, `${where}.${k}`)]));
}

function saveLoss(loss: unknown, where: string, configs: ReadonlyMap<WeightedLoss, WeightedLossConfig>): SavedLoss {
  if (loss instanceof WeightedLoss) return { weightedLoss: configs.get(loss) ?? loss.getConfig() };
  if (typeof loss === 'string') return { name: loss };
  throw new InvalidOptionError(
    where,
    `is ${describe(loss)}, neither a tfjs-imbalance loss nor the name of a tfjs loss, so it cannot be saved for resuming. ` +
      'Pass it again when resuming: resumeTraining(model, { loss }).',
  );
}

function saveMetric(metric: unknown, where: string): SavedMetric {
  const recipe = metricRecipe(metric);
  if (recipe !== undefined) return { recipe };
  if (typeof metric === 'string') return { name: metric };
  throw new InvalidOptionError(
    where,
    `is ${describe(metric)}, neither a tfjs-imbalance metric nor the name of a tfjs metric, so it cannot be saved for resuming. ` +
      'Pass the metrics again when resuming: resumeTraining(model, { metrics }).',
  );
}

/** A loss or metric as `compile` takes it: a function (ours are callable objects) or a name; arrays and records hold these. */
const isCompiledItem = (v: unknown): v is unknown => typeof v !== 'object' || v === null;
/** A saved loss or metric: an object naming what it is; arrays and records hold these. */
const isSavedItem = (v: unknown): v is unknown =>
  v !== null && typeof v === 'object' && !Array.isArray(v) && ('weightedLoss' in v || 'name' in v || 'recipe' in v);
/** One metric entry, or a list of them (what a record of metrics by output name holds). */
const eachMetric = <T>(f: (v: unknown, where: string) => T) => (v: unknown, where: string) =>
  Array.isArray(v) ? v.map((m, i) => f(m, `${where}[${i}]`)) : f(v, where);

/**
 * Saves a compiled model so that training can resume where it stopped: the
 * weights, the optimizer with its state (Adam's moments and step count), and
 * the loss and metrics, which tfjs cannot save itself (its training config
 * records a custom loss as `{}` and a custom metric by a name it cannot
 * load). The loss and metric configs go into the model's user-defined
 * metadata; the loss keeps its current class weights. Load it back with
 * {@link resumable} and {@link resumeTraining}.
 *
 * Any tfjs save handler works: `indexeddb://` and `localstorage://` in the
 * browser, `file://` in Node with `@tensorflow/tfjs-node` only (plain
 * `@tensorflow/tfjs` has no file handler; use `tf.io.withSaveHandler`, as the
 * saving guide shows), or an `IOHandler` of your own.
 *
 * @param model - A compiled `tf.LayersModel`.
 * @param handlerOrURL - Where to save: a URL such as `'indexeddb://my-model'`, or an `IOHandler`.
 * @returns What tfjs' `model.save` returns.
 *
 * @example Save, load, resume
 * ```ts
 * await saveForResume(model, 'indexeddb://tags');
 * const again = await tf.loadLayersModel(resumable('indexeddb://tags'));
 * const { losses } = resumeTraining(again); // compiled with the saved loss, metrics and optimizer state
 * await again.fit(x, y, { epochs: 2, initialEpoch: 2, callbacks: [sampleWeightCallback({ losses, scheme: { name: 'ens', beta: 0.999 }, online: true })] });
 * ```
 */
export async function saveForResume(model: ResumableModel, handlerOrURL: tf.io.IOHandler | string): Promise<tf.io.SaveResult> {
  if (model === null || typeof model !== 'object' || typeof model.save !== 'function') {
    throw new InvalidOptionError('model', `must be a tf.LayersModel, got ${describe(model)}.`);
  }
  if (model.loss === undefined || model.optimizer === undefined) {
    throw new InvalidOptionError('model', 'is not compiled; compile it (and train it) before saving it for resuming.');
  }
  if (typeof handlerOrURL === 'string' && tf.io.getSaveHandlers(handlerOrURL).length === 0) {
    throw new InvalidOptionError(
      'handlerOrURL',
      `"${handlerOrURL}" has no tfjs save handler. ` +
        (handlerOrURL.startsWith('file://')
          ? 'file:// needs @tensorflow/tfjs-node; with plain @tensorflow/tfjs, pass tf.io.withSaveHandler(...) and write the files yourself (see the saving guide).'
          : 'Use a scheme tfjs knows (indexeddb://, localstorage://, downloads://, http(s)://, file:// with tfjs-node) or pass an IOHandler.'),
    );
  }
  // The losses' configs, read asynchronously first (no blocking read on WebGPU, where synchronous reads fail).
  const configs = new Map<WeightedLoss, WeightedLossConfig>();
  const compiled = model.loss as Nested<unknown>;
  for (const l of compiled instanceof WeightedLoss ? [compiled] : typeof compiled === 'object' && compiled !== null ? Object.values(compiled) : []) {
    if (l instanceof WeightedLoss && !configs.has(l)) configs.set(l, await l.getConfigAsync());
  }
  const training: SavedTraining = {
    version: 1,
    loss: mapNested(compiled, isCompiledItem, (l, where) => saveLoss(l, where, configs), 'model.loss'),
    ...(model.metrics === undefined || model.metrics === null
      ? {}
      : { metrics: mapNested(model.metrics as Nested<unknown>, isCompiledItem, eachMetric(saveMetric), 'model.metrics') as Nested<SavedMetric | SavedMetric[]> }),
  };
  const previous = (model.getUserDefinedMetadata() ?? {}) as Record<string, unknown>;
  model.setUserDefinedMetadata({ ...previous, [TRAINING_METADATA_KEY]: training });
  // tfjs-layers 4.22 leaves behind the step-count scalar that the optimizer's getWeights() makes for the save;
  // note what it hands out that is not one of the optimizer's own variables, and free it afterwards.
  const optimizer = model.optimizer as { getWeights?: () => Promise<{ name: string; tensor: tf.Tensor }[]> };
  const made: tf.Tensor[] = [];
  const own = Object.prototype.hasOwnProperty.call(optimizer, 'getWeights');
  const original = optimizer.getWeights;
  if (original !== undefined) {
    optimizer.getWeights = async () => {
      const weights = await original.call(optimizer);
      made.push(...weights.map((w) => w.tensor).filter((t) => !(t instanceof tf.Variable)));
      return weights;
    };
  }
  try {
    return await model.save(handlerOrURL, { includeOptimizer: true });
  } finally {
    if (own && original !== undefined) optimizer.getWeights = original;
    else delete optimizer.getWeights;
    tf.dispose(made);
  }
}

/**
 * Wraps a model's load handler for `tf.loadLayersModel`, so that a model
 * saved by {@link saveForResume} loads with its optimizer and the optimizer's
 * state, without tfjs' warnings about the loss it cannot rebuild. (tfjs
 * compiles a loaded model from its training config, which names only tfjs'
 * own losses and metrics; the wrapper gives it a stand-in loss to compile
 * with, and {@link resumeTraining} then compiles the real ones.)
 *
 * @param handlerOrURL - Where the model is: a URL such as `'indexeddb://my-model'`, or an `IOHandler` (such as `tf.io.fromMemory(...)`).
 * @returns A handler to pass to `tf.loadLayersModel`.
 */
export function resumable(handlerOrURL: tf.io.IOHandler | string): tf.io.IOHandler {
  let inner: tf.io.IOHandler | undefined;
  if (typeof handlerOrURL === 'string') {
    const found = tf.io.getLoadHandlers(handlerOrURL);
    if (found.length !== 1) {
      throw new InvalidOptionError(
        'handlerOrURL',
        `"${handlerOrURL}" has ${found.length === 0 ? 'no' : 'more than one'} tfjs load handler. ` +
          (handlerOrURL.startsWith('file://')
            ? 'file:// needs @tensorflow/tfjs-node; with plain @tensorflow/tfjs, read the files yourself and pass tf.io.fromMemory(...) (see the saving guide).'
            : "Use a scheme tfjs knows (indexeddb://, localstorage://, http(s)://, file:// with tfjs-node) or pass an IOHandler."),
      );
    }
    inner = found[0];
  } else {
    inner = handlerOrURL;
  }
  if (inner === null || typeof inner !== 'object' || typeof inner.load !== 'function') {
    throw new InvalidOptionError('handlerOrURL', `must be a URL or an IOHandler with a load method, got ${describe(handlerOrURL)}.`);
  }
  const source = inner;
  return {
    load: async () => {
      const artifacts = await source.load!();
      const meta = artifacts.userDefinedMetadata as Record<string, unknown> | undefined;
      if (artifacts.trainingConfig !== undefined && meta?.[TRAINING_METADATA_KEY] !== undefined) {
        // A stand-in tfjs knows, so that it compiles with the saved optimizer and restores its state.
        const { metrics: _metrics, ...rest } = artifacts.trainingConfig;
        artifacts.trainingConfig = { ...rest, loss: 'mean_squared_error' };
      }
      return artifacts;
    },
  };
}

/** Options of {@link resumeTraining}. */
export interface ResumeTrainingOptions {
  /** The loss to compile with instead of the saved one (for a loss {@link saveForResume} could not save). Defaults to the saved loss. */
  readonly loss?: unknown;
  /** The metrics to compile with instead of the saved ones. Defaults to the saved metrics. */
  readonly metrics?: unknown;
  /**
   * The factories of the saved tfjs-imbalance metrics, by name, such as
   * `{ fbetaMetric }`. Passing them is an import that bundlers and `tsc`
   * keep. Defaults to the factories registered when their package is
   * imported (`import '@tfjs-imbalance/fbeta-metric'`).
   */
  readonly metricFactories?: Readonly<Record<string, (args: never) => unknown>>;
}

/** A loss as `compile` takes it: one of ours, a tfjs loss name, or one per output (a list or a record by output name). */
export type CompiledLoss = WeightedLoss | string | (WeightedLoss | string)[] | Record<string, WeightedLoss | string>;

/** What {@link resumeTraining} compiled the model with. */
export interface ResumedTraining {
  /** The loss as passed to `compile` (one loss, or one per output); `options.loss` as given when you passed one. */
  readonly loss: CompiledLoss;
  /** Every tfjs-imbalance loss among them, to hand to the sample-weight callback. */
  readonly losses: WeightedLoss[];
  /** The metrics as passed to `compile`. */
  readonly metrics: unknown;
}

function loadLoss(saved: unknown, where: string): unknown {
  const s = saved as Partial<{ weightedLoss: WeightedLossConfig; name: string }> | null;
  if (s !== null && typeof s === 'object' && s.weightedLoss !== undefined) {
    try {
      return lossFromConfig(s.weightedLoss);
    } catch (e) {
      // Name the saved field (a hand-edited or damaged file), not lossFromConfig's own argument.
      if (!(e instanceof ImbalanceError)) throw e;
      const ErrorClass = e.constructor as new (argument: string, message: string) => ImbalanceError;
      const a = e.argument;
      const field = `${where}.weightedLoss${/^config\b/.test(a) ? a.slice(6) : /^args\b/.test(a) ? `.config${a.slice(4)}` : ` (${a})`}`;
      throw new ErrorClass(field, `${e.message.slice(e.argument.length + 2)} The model's saved training metadata is damaged; save it again with saveForResume, or pass the loss: resumeTraining(model, { loss }).`);
    }
  }
  if (s !== null && typeof s === 'object' && typeof s.name === 'string') return s.name;
  throw new InvalidOptionError(where, `is ${describe(saved)}, not a saved loss; save the model with saveForResume, or pass the loss: resumeTraining(model, { loss }).`);
}

/** The saved training metadata, checked: an object of version 1 with a loss. */
function savedTraining(meta: unknown): SavedTraining | undefined {
  if (meta === undefined) return undefined;
  const s = meta as Partial<SavedTraining> | null;
  if (s === null || typeof s !== 'object' || Array.isArray(s) || s.version !== 1 || s.loss === undefined || s.loss === null || (s.metrics === null)) {
    throw new InvalidOptionError(
      'model',
      `has "${TRAINING_METADATA_KEY}" metadata that saveForResume did not write (${describe(meta).slice(0, 120)}): expected { version: 1, loss, metrics? }. ` +
        'Save the model again with saveForResume, or pass { loss, metrics } to resumeTraining.',
    );
  }
  return s as SavedTraining;
}

function loadMetric(saved: unknown, where: string, factories: ResumeTrainingOptions['metricFactories']): unknown {
  const s = saved as Partial<{ recipe: MetricRecipe; name: string }> | null;
  if (s !== null && typeof s === 'object' && typeof s.name === 'string') return s.name;
  const recipe = s !== null && typeof s === 'object' ? s.recipe : undefined;
  if (recipe === null || typeof recipe !== 'object' || typeof recipe.factory !== 'string') {
    throw new InvalidOptionError(where, `is ${describe(saved)}, not a saved metric; save the model with saveForResume.`);
  }
  const factory = (factories?.[recipe.factory] as ((args: unknown) => unknown) | undefined) ?? metricFactory(recipe.factory);
  if (factory === undefined) {
    throw new InvalidOptionError(
      where,
      `was built by ${recipe.factory}, which is not loaded. Pass it: resumeTraining(model, { metricFactories: { ${recipe.factory} } }) ` +
        `with import { ${recipe.factory} } from '@tfjs-imbalance/fbeta-metric' (an import only used for its effect is dropped by tsc and by bundlers), ` +
        'or pass the metrics themselves: resumeTraining(model, { metrics }).',
    );
  }
  return factory(recipe.args ?? {});
}

/**
 * Compiles a model loaded through {@link resumable} with the loss and
 * metrics {@link saveForResume} stored, keeping the optimizer (and its
 * state) that tfjs restored, so `fit` continues where it stopped.
 * `model.dispose()` then frees that optimizer too.
 *
 * @param model - A model from `tf.loadLayersModel(resumable(...))`.
 * @param options - See {@link ResumeTrainingOptions}.
 * @returns The loss and metrics it compiled with; pass `losses` to the sample-weight callback.
 *
 * @example
 * ```ts
 * const model = await tf.loadLayersModel(resumable('indexeddb://tags'));
 * const { losses } = resumeTraining(model);
 * ```
 */
export function resumeTraining(model: ResumableModel, options: ResumeTrainingOptions = {}): ResumedTraining {
  if (model === null || typeof model !== 'object' || typeof model.compile !== 'function') {
    throw new InvalidOptionError('model', `must be a tf.LayersModel, got ${describe(model)}.`);
  }
  const meta = model.getUserDefinedMetadata() as Record<string, unknown> | undefined | null;
  const saved = options.loss !== undefined && options.metrics !== undefined ? undefined : savedTraining(meta?.[TRAINING_METADATA_KEY]);
  if (saved === undefined && (options.loss === undefined || options.metrics === undefined)) {
    throw new InvalidOptionError('model', `has no "${TRAINING_METADATA_KEY}" metadata: save it with saveForResume(model, url), or pass { loss, metrics }.`);
  }
  if (model.optimizer === undefined || model.optimizer === null) {
    throw new InvalidOptionError(
      'model',
      'was loaded without its optimizer. Load it with tf.loadLayersModel(resumable(url)) from a model saved by saveForResume, which keeps the optimizer state.',
    );
  }
  const loss = options.loss ?? mapNested(saved!.loss as Nested<unknown>, isSavedItem, loadLoss, 'saved loss');
  const metrics =
    options.metrics ?? (saved?.metrics === undefined ? undefined : mapNested(saved.metrics as Nested<unknown>, isSavedItem, eachMetric((m, where) => loadMetric(m, where, options.metricFactories)), 'saved metrics'));
  model.compile({ optimizer: model.optimizer, loss, ...(metrics === undefined ? {} : { metrics }) });
  // The optimizer came from the saved file, not from the user: let model.dispose() free it, as it does for
  // an optimizer compiled by name (tfjs-layers marks one passed as an object as the caller's to dispose).
  const owned = model as unknown as { isOptimizerOwned?: boolean };
  if (typeof owned.isOptimizerOwned === 'boolean') owned.isOptimizerOwned = true;
  const all = loss instanceof WeightedLoss ? [loss] : Array.isArray(loss) ? loss : typeof loss === 'object' && loss !== null ? Object.values(loss) : [];
  return { loss: loss as CompiledLoss, losses: all.filter((l): l is WeightedLoss => l instanceof WeightedLoss), metrics };
}
