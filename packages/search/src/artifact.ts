import * as tf from '@tensorflow/tfjs-core';
import { loadLayersModel, type LayersModel } from '@tensorflow/tfjs-layers';
import { InvalidOptionError, ShapeMismatchError } from '@tfjs-imbalance/weight-schemes';
import { checkOptionNames, checkRange, describe, optionNames } from '@tfjs-imbalance/weight-schemes/internal';
import { scoreCut } from '@tfjs-imbalance/fbeta-metric/internal';
import { filesIn, isFilePath } from './files.js';
import type { ValidationScores } from './scores.js';
import type { Treatment } from './treatments.js';
import type { Gain, SearchSettingsReport, TreatmentComparison } from './types.js';

/** The user-defined-metadata key of a saved classifier. */
const KEY = 'tfjsImbalanceClassifier';

/** What a saved classifier carries besides its model: how to turn its outputs into labels, and where it came from. */
export interface ClassifierMetadata {
  /** The format's version. */
  readonly version: 1;
  /** One name per output, in order. */
  readonly labels: readonly string[];
  /** One probability threshold per output: a label is predicted when σ(logit) is strictly above it. */
  readonly thresholds: readonly number[];
  /** The treatment the model was trained with. */
  readonly treatment: Treatment;
  /** What it was selected on, when it came from {@link compareTreatments}. */
  readonly selection?: ClassifierSelection;
}

/** How a saved classifier was selected by {@link compareTreatments}. */
export interface ClassifierSelection extends SearchSettingsReport {
  /** Its validation scores at cross-fitted thresholds. */
  readonly validation: ValidationScores;
  /** Its gain over plain training, with the noise intervals (absent for plain training). */
  readonly gain?: Gain | undefined;
  /** The search's verdict in words. */
  readonly verdict: string;
  /** The search's seed. */
  readonly seed: number;
  /** The backend it trained on. */
  readonly backend: string;
}

/** A trained model and its thresholds, when not saving a whole comparison. */
export interface ClassifierParts {
  /** A model that outputs one logit per class. */
  readonly model: LayersModel;
  /** One probability threshold per class. */
  readonly thresholds: readonly number[];
  /** The treatment it was trained with. Defaults to `{ name: 'plain' }`. */
  readonly treatment?: Treatment;
}

/** Options of {@link saveClassifier}. */
export interface SaveClassifierOptions {
  /** One name per class, in the order of the model's outputs. Defaults to `'0'`, `'1'`, …. */
  readonly labels?: readonly string[];
}

/**
 * Saves what a search selected as an inference artifact: the model's
 * topology and weights (no optimizer state, no loss), its per-class
 * thresholds, the label names, the treatment and the figures it was chosen
 * on, in the model's metadata. {@link loadClassifier} reads it back with
 * plain `@tensorflow/tfjs` and turns inputs into labels.
 *
 * Where it goes: a directory path (or `file://` path) in Node, written as
 * tfjs-node would (`model.json` and `weights.bin`) with no tfjs-node needed;
 * `indexeddb://name`, `localstorage://name`, `downloads://name` or an
 * `http(s)://` URL (a POST, as tfjs does) in a browser; or any
 * `tf.io.IOHandler`. A custom layer must be registered (as for
 * `tf.loadLayersModel`) before it is loaded.
 *
 * @param source - A comparison from {@link compareTreatments} (its selected model and thresholds), or `{ model, thresholds }`.
 * @param destination - Where to save.
 * @param options - See {@link SaveClassifierOptions}.
 * @returns tfjs' save result.
 *
 * @example Save in Node, load in a fresh process, predict labels
 * ```ts
 * const comparison = await compareTreatments({ model, train, validation, seed: 1 });
 * await saveClassifier(comparison, './tagger', { labels: tagNames });
 * comparison.dispose();
 * // later, anywhere:
 * const tagger = await loadClassifier('./tagger');
 * console.log(await tagger.predict(x)); // [['gui', 'x11'], [], ...]
 * tagger.dispose();
 * ```
 */
export async function saveClassifier(source: TreatmentComparison | ClassifierParts, destination: string | tf.io.IOHandler, options: SaveClassifierOptions = {}): Promise<tf.io.SaveResult> {
  checkOptionNames('options', options, optionNames<SaveClassifierOptions>()('labels'));
  const comparison = source !== null && typeof source === 'object' && 'selected' in source ? source : undefined;
  const parts = comparison === undefined ? checkParts(source as ClassifierParts) : undefined;
  const model = comparison?.model ?? parts!.model;
  const thresholds = comparison?.selected.thresholds ?? parts!.thresholds;
  const C = model.outputs[0]!.shape.at(-1)!;
  if (thresholds.length !== C) throw new ShapeMismatchError('source.thresholds', `has ${thresholds.length} thresholds but the model outputs ${C} logits per row; pass one per class.`);
  const labels = options.labels ?? Array.from({ length: C }, (_, c) => String(c));
  if (!Array.isArray(labels) || labels.length !== C || labels.some((l) => typeof l !== 'string')) {
    throw new ShapeMismatchError('options.labels', `must be ${C} strings, one per output of the model, got ${describe(labels)}.`);
  }
  const metadata: ClassifierMetadata = {
    version: 1,
    labels: [...labels],
    thresholds: [...thresholds],
    treatment: comparison?.selected.treatment ?? parts!.treatment ?? { name: 'plain' },
    ...(comparison === undefined
      ? {}
      : {
          selection: {
            ...comparison.settings,
            validation: comparison.selected.validation,
            gain: comparison.selected.gain,
            verdict: comparison.verdict,
            seed: comparison.seed,
            backend: comparison.backend,
          },
        }),
  };
  const handler = await saveHandler(destination);
  // The model's own metadata is kept; the artifact goes without the training config (a loss tfjs cannot name).
  return model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const { trainingConfig: _dropped, ...rest } = artifacts;
      // As JSON (undefined fields dropped): IndexedDB keeps what structured cloning keeps, and tfjs refuses metadata that is not plain JSON.
      return handler.save!({ ...rest, userDefinedMetadata: { ...(artifacts.userDefinedMetadata ?? {}), [KEY]: JSON.parse(JSON.stringify(metadata)) as {} } });
    }),
  );
}

function checkParts(p: ClassifierParts): ClassifierParts {
  if (p === null || typeof p !== 'object' || typeof (p as { model?: { predict?: unknown } }).model?.predict !== 'function') {
    throw new InvalidOptionError('source', `must be a comparison from compareTreatments, or { model, thresholds }; got ${describe(p)}.`);
  }
  checkOptionNames('source', p, optionNames<ClassifierParts>()('model', 'thresholds', 'treatment'));
  if (!Array.isArray(p.thresholds)) throw new InvalidOptionError('source.thresholds', `must be one probability threshold per class, got ${describe(p.thresholds)}.`);
  p.thresholds.forEach((t, i) => checkRange(`source.thresholds[${i}]`, t, { min: 0, max: 1 }));
  return p;
}

async function saveHandler(destination: string | tf.io.IOHandler): Promise<tf.io.IOHandler> {
  if (typeof destination !== 'string') {
    if (destination === null || typeof destination !== 'object' || typeof destination.save !== 'function') throw new InvalidOptionError('destination', `must be a path, a URL such as 'indexeddb://tags', or a tf.io.IOHandler with save(), got ${describe(destination)}.`);
    return destination;
  }
  if (isFilePath(destination)) return filesIn('destination', destination);
  const handlers = tf.io.getSaveHandlers(destination);
  if (handlers.length === 0) throw new InvalidOptionError('destination', `"${destination}" names no place tfjs can save to here; use a directory path in Node, or indexeddb://, localstorage://, downloads:// or http(s):// in a browser.`);
  return handlers[0]!;
}

/** A loaded classifier: the model and what turns its outputs into labels. */
export interface Classifier {
  /** The model (uncompiled; it outputs logits). */
  readonly model: LayersModel;
  /** The label names, in output order. */
  readonly labels: readonly string[];
  /** The per-class probability thresholds. */
  readonly thresholds: readonly number[];
  /** Everything saved with it: the treatment and the figures it was selected on. */
  readonly metadata: ClassifierMetadata;
  /** Each row's probabilities, σ(logit), [N][C]. Reads without blocking (no `dataSync`). */
  probabilities(x: tf.Tensor | tf.Tensor[]): Promise<number[][]>;
  /** Each row's predicted labels: the names of the classes whose probability is strictly above their threshold. */
  predict(x: tf.Tensor | tf.Tensor[]): Promise<string[][]>;
  /** Frees the model. */
  dispose(): void;
}

/**
 * Loads what {@link saveClassifier} saved and returns a {@link Classifier}
 * that turns inputs into labels with the saved thresholds.
 *
 * @param source - The path, URL or `tf.io.IOHandler` it was saved to (a directory path or `file://` in Node; `indexeddb://`, `localstorage://` or an `http(s)://` URL of `model.json` in a browser).
 * @returns The classifier. Call `dispose()` when done.
 *
 * @example
 * ```ts
 * const tagger = await loadClassifier('indexeddb://tags');
 * const labels = await tagger.predict(tf.tensor2d(features)); // [['gui'], ['net', 'web'], ...]
 * tagger.dispose();
 * ```
 */
export async function loadClassifier(source: string | tf.io.IOHandler): Promise<Classifier> {
  let handler: string | tf.io.IOHandler = source;
  if (typeof source === 'string' && isFilePath(source)) handler = await filesIn('source', source);
  else if (typeof source !== 'string' && (source === null || typeof source !== 'object' || typeof source.load !== 'function')) {
    throw new InvalidOptionError('source', `must be a path, a URL such as 'indexeddb://tags', or a tf.io.IOHandler with load(), got ${describe(source)}.`);
  }
  const model = await loadLayersModel(handler);
  const metadata = (model.getUserDefinedMetadata() as Record<string, unknown> | undefined)?.[KEY] as ClassifierMetadata | undefined;
  if (metadata?.version !== 1) {
    model.dispose();
    throw new InvalidOptionError('source', `holds a model but no classifier metadata (${KEY}); save it with saveClassifier, or load the model with tf.loadLayersModel.`);
  }
  const { labels, thresholds } = metadata;
  const cuts = thresholds.map((t) => scoreCut(t, 'logits'));
  const probabilities = async (x: tf.Tensor | tf.Tensor[]) => {
    const p = tf.tidy(() => tf.sigmoid(model.predict(x) as tf.Tensor));
    try {
      return (await p.array()) as number[][];
    } finally {
      p.dispose();
    }
  };
  return {
    model,
    labels,
    thresholds,
    metadata,
    probabilities,
    async predict(x) {
      const logits = model.predict(x) as tf.Tensor;
      try {
        const v = (await logits.data()) as Float32Array;
        const C = labels.length;
        return Array.from({ length: v.length / C }, (_, i) => labels.filter((_, c) => v[i * C + c]! > cuts[c]!));
      } finally {
        logits.dispose();
      }
    },
    dispose: () => model.dispose(),
  };
}
