/**
 * Training one treatment with `model.fit` on per-pixel labels [N, H, W, C].
 *
 * - **plain**: `weightedBinaryCrossentropy` with no scheme and the `'max'`
 *   rule, so every pixel weighs 1: the library's plain run, as its search
 *   (and the debtags demo) trains it.
 * - **isns**, **ens-0.999**: the same loss re-weighted by
 *   `sampleWeightCallback`, which counts the training labels' positions at
 *   train begin (`data` is the [N, H, W, C] tensor: each pixel is a row) and
 *   sets the class weights by the scheme; a pixel weighs its class's weight,
 *   a background pixel the weight of "no class", counted as a class of its own.
 * - **focal**: the focal loss (γ = 2), every pixel weighing 1.
 *
 * Every treatment of a seed starts from the same initial model and sees the
 * same batches in the same order: `fit` shuffles with `Math.random`, which is
 * a stream seeded by the seed while `fit` runs (common random numbers, as the
 * library's search does), so treatments differ by their loss alone.
 */
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import seedrandom from 'seedrandom';
import { sampleWeightCallback } from '@tfjs-imbalance/sample-weight-callback';
import type { ClassCounts, SchemeConfig } from '@tfjs-imbalance/weight-schemes';
import { weightedBinaryCrossentropy, weightedBinaryFocalCrossentropy } from '@tfjs-imbalance/weighted-loss';
import { buildModel, type ModelSpec } from './model.js';

/** One way to train. */
export interface Treatment {
  /** Its name in reports. */
  readonly name: string;
  readonly loss: 'bce' | 'focal';
  /** The class-weight scheme, set by the sample-weight callback from the pixel counts; none for plain training. */
  readonly scheme?: SchemeConfig;
}

/** Plain training first (every other run is measured against it), then two schemes, then the focal loss. */
export const TREATMENTS: readonly Treatment[] = [
  { name: 'plain', loss: 'bce' },
  { name: 'isns', loss: 'bce', scheme: { name: 'isns' } },
  { name: 'ens-0.999', loss: 'bce', scheme: { name: 'ens', beta: 0.999 } },
  { name: 'focal', loss: 'focal' },
];

/** Optimisation settings. */
export interface FitSettings {
  readonly epochs: number;
  readonly batchSize: number;
  readonly learningRate: number;
}

/** A trained model with what its training logged. */
export interface Trained {
  readonly model: tfl.LayersModel;
  /** The mean training loss of each epoch. */
  readonly loss: number[];
  readonly seconds: number;
}

/**
 * Trains one treatment from the seed's initial model.
 *
 * @param treatment - What to train.
 * @param train - Images [N, H, W, 1] and labels [N, H, W, C].
 * @param counts - The training pixels' class counts (for the initial bias).
 * @param spec - The architecture and the seed of its initial weights.
 * @param fit - Epochs, batch size, Adam's learning rate.
 * @param seed - The seed of the batch order.
 * @returns The model (the caller disposes it), its loss per epoch and the time.
 */
export async function trainTreatment(treatment: Treatment, train: { x: tf.Tensor4D; y: tf.Tensor4D }, counts: ClassCounts, spec: ModelSpec, fit: FitSettings, seed: number): Promise<Trained> {
  const t0 = performance.now();
  const C = counts.positives.length;
  const loss =
    treatment.loss === 'focal'
      ? weightedBinaryFocalCrossentropy({ numClasses: C, combine: 'max', gamma: 2 })
      : weightedBinaryCrossentropy({ numClasses: C, combine: treatment.scheme === undefined ? 'max' : 'sum' });
  const callbacks = treatment.scheme === undefined ? [] : [sampleWeightCallback({ losses: loss, scheme: treatment.scheme, data: train.y })];
  const model = buildModel(spec, counts);
  const optimizer = tf.train.adam(fit.learningRate);
  const random = Math.random;
  Math.random = seedrandom.alea(`segmentation:${seed}:batches`);
  try {
    model.compile({ optimizer, loss });
    const history = await model.fit(train.x, train.y, { epochs: fit.epochs, batchSize: fit.batchSize, shuffle: true, verbose: 0, callbacks });
    return { model, loss: (history.history['loss'] as number[]).map(Number), seconds: (performance.now() - t0) / 1000 };
  } catch (e) {
    model.dispose();
    throw e;
  } finally {
    Math.random = random;
    optimizer.dispose();
    loss.dispose();
  }
}
