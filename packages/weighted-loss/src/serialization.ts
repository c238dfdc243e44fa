import * as tf from '@tensorflow/tfjs-core';
import { InvalidOptionError } from '@tfjs-imbalance/weight-schemes';
import { describe } from '@tfjs-imbalance/weight-schemes/internal';
import type { WeightedLossConfig } from './weighted-loss/args.js';
import { WeightedLoss } from './weighted-loss/weighted-loss.js';
import * as losses from './losses/index.js';
import { restoreLoss } from './weighted-loss/restore.js';
import { FORMER_LOSS_METADATA_KEY, TRAINING_METADATA_KEY, type SavedTraining } from './saved-training.js';

/** A loss class `lossFromConfig` can rebuild: a {@link WeightedLoss} with a registered name and `fromConfig`. */
type LossClass = { readonly className: string; fromConfig(cls: unknown, config: never): WeightedLoss };

/** The loss classes by their `className`, found among the losses' exports (losses/index.ts). */
const LOSS_CLASSES: Readonly<Record<string, LossClass>> = Object.fromEntries(
  Object.values(losses as Record<string, unknown>)
    .filter((v): v is LossClass => typeof v === 'function' && v.prototype instanceof WeightedLoss && typeof (v as { className?: unknown }).className === 'string')
    .map((cls) => [cls.className, cls]),
);


/**
 * Rebuilds a loss from {@link WeightedLoss.getConfig}, for instance after a
 * JSON round trip. The class weights are the ones stored in the config.
 *
 * @param config - The config.
 * @returns A new loss of the stored class.
 *
 * @example
 * ```ts
 * const copy = lossFromConfig(JSON.parse(JSON.stringify(loss.getConfig())));
 * ```
 */
export function lossFromConfig(config: WeightedLossConfig): WeightedLoss {
  if (config === null || typeof config !== 'object' || typeof config.className !== 'string') {
    throw new InvalidOptionError('config', `expected { className, config } from loss.getConfig(), got ${describe(config)}.`);
  }
  // Own keys only: 'constructor', '__proto__' or 'toString' must not find Object's prototype.
  const cls = Object.prototype.hasOwnProperty.call(LOSS_CLASSES, config.className)
    ? LOSS_CLASSES[config.className]
    : undefined;
  if (cls === undefined) {
    throw new InvalidOptionError(
      'config.className',
      `unknown loss "${config.className}". Known: ${Object.keys(LOSS_CLASSES).join(', ')}.`,
    );
  }
  if (config.config === null || typeof config.config !== 'object') {
    throw new InvalidOptionError('config.config', `expected the constructor arguments from loss.getConfig(), got ${describe(config.config)}.`);
  }
  // The class's fromConfig restores the empty-row weight too, as tfjs' registry route does.
  return restoreLoss(config.config, (args) => cls.fromConfig(cls, args), 'config.config');
}

/**
 * Registers the loss classes with `tf.serialization`, so tfjs' generic
 * (de)serialisation can find them by class name. Idempotent.
 *
 * @example
 * ```ts
 * registerLosses();
 * const [cls, fromConfig] = tf.serialization.SerializationMap.getMap().classNameMap['WeightedBinaryCrossentropy'];
 * ```
 */
export function registerLosses(): void {
  for (const cls of Object.values(LOSS_CLASSES)) {
    tf.serialization.registerClass(cls as unknown as tf.serialization.SerializableConstructor<tf.serialization.Serializable>);
  }
}

/** The subset of `tf.LayersModel` that stores user-defined metadata with the model. */
export interface ModelWithMetadata {
  /** Sets JSON metadata saved with the model. */
  setUserDefinedMetadata(metadata: {}): void;
  /** Reads the metadata back (after `tf.loadLayersModel`). */
  getUserDefinedMetadata(): {} | undefined;
}

/**
 * Stores the loss config in the model's user-defined metadata, which
 * `model.save` writes and `tf.loadLayersModel` reads back. Save without
 * `includeOptimizer` (tfjs cannot re-create custom losses from a training
 * config), then rebuild the loss with {@link lossFromModel} and recompile.
 *
 * @param model - The model (a `tf.LayersModel`).
 * @param loss - The loss it was trained with.
 *
 * @example Save, load, recompile
 * ```ts
 * attachLossConfig(model, loss);
 * await model.save('file://./model');
 * const loaded = await tf.loadLayersModel('file://./model/model.json');
 * loaded.compile({ optimizer: 'adam', loss: lossFromModel(loaded) });
 * ```
 */
export function attachLossConfig(model: ModelWithMetadata, loss: WeightedLoss): void {
  const previous = (model.getUserDefinedMetadata() ?? {}) as Record<string, unknown>;
  // The same record saveForResume writes, with the loss alone: one key and one format for both.
  const training: SavedTraining = { version: 1, loss: { weightedLoss: loss.getConfig() } };
  model.setUserDefinedMetadata({ ...previous, [TRAINING_METADATA_KEY]: training });
}

/**
 * Rebuilds the loss stored by {@link attachLossConfig}.
 *
 * @param model - A model loaded with `tf.loadLayersModel`.
 * @returns The loss, with the class weights it had when saved.
 *
 * @example
 * ```ts
 * loaded.compile({ optimizer: 'adam', loss: lossFromModel(loaded) });
 * ```
 */
export function lossFromModel(model: ModelWithMetadata): WeightedLoss {
  const meta = model.getUserDefinedMetadata() as Record<string, unknown> | undefined;
  const saved = (meta?.[TRAINING_METADATA_KEY] as SavedTraining | undefined)?.loss;
  if (saved !== undefined && typeof saved === 'object' && 'weightedLoss' in saved) return lossFromConfig(saved.weightedLoss as WeightedLossConfig);
  if (saved !== undefined) {
    throw new InvalidOptionError(
      'model',
      'was saved with one loss per output, or with a tfjs loss, not one tfjs-imbalance loss; rebuild them all with resumeTraining(model), or each with lossFromConfig.',
    );
  }
  const former = meta?.[FORMER_LOSS_METADATA_KEY]; // written by attachLossConfig before 0.2
  if (former !== undefined) return lossFromConfig(former as WeightedLossConfig);
  throw new InvalidOptionError('model', `has no "${TRAINING_METADATA_KEY}" metadata; call attachLossConfig(model, loss) (or save with saveForResume) before model.save().`);
}
