import type * as tf from '@tensorflow/tfjs-core';
import type { ClassCounts, ClassWeightsInput, SchemeConfig } from '@tfjs-imbalance/weight-schemes';
import type { PredictionKind } from '../core/binary-inputs.js';
import type { OnlineCounts } from './args.js';

/**
 * The one way a fit session (the sample-weight callback) drives a loss's
 * weighting: the loss owns this state, the session calls it. Per training
 * batch that is two calls, {@link Weighting.beginStep} and
 * {@link Weighting.endStep}; online counts add a read of
 * {@link Weighting.counts} (and {@link Weighting.decay} when decayed).
 *
 * ```text
 *  train begin   attach() ─────────────▶ counts cleared, current weights back
 *  epoch / batch apply({ classWeights, emptyRowWeight, classCounts, reweighting })
 *  each batch    beginStep() … the training step's call is counted … endStep() → called?
 *  online        counts({ restart }) · decay(f)
 * ```
 */
export interface Weighting {
  /** The number of classes C. */
  readonly numClasses: number;
  /** What the model outputs, checked against the model's last activation. */
  readonly from: PredictionKind;
  /** The scheme the loss was built with, the session's default. */
  readonly scheme: SchemeConfig | undefined;
  /** The class index whose positions are neither weighted nor counted, if any. */
  readonly ignoreClass: number | undefined;
  /**
   * Takes the weighting over for a fit: clears the online counts and ends a
   * scheme's wait for weights.
   * @returns The current class weights, read without blocking.
   */
  attach(): Promise<number[]>;
  /** Sets what the next batches weigh with; each field left out stays as it is. */
  apply(update: WeightingUpdate): void;
  /** Opens a training step: the loss's next call (the step's, not the validation inside the last batch) is counted. */
  beginStep(): void;
  /**
   * Closes the step: nothing more is counted, and the label checks of its
   * calls are settled (on WebGL and WebGPU they are read asynchronously),
   * throwing on invalid labels.
   * @returns Whether the loss was called during the step (else the model does not train with it).
   */
  endStep(): Promise<boolean>;
  /**
   * The online counts so far, read without blocking; throws when some label
   * was invalid (with `validateLabels: false`).
   * @param options - `restart: true` counts afresh from here (an epoch closed).
   */
  counts(options?: { readonly restart?: boolean }): Promise<OnlineCounts>;
  /** Multiplies the online counts by a factor in (0, 1]: exponentially decayed counts. */
  decay(factor: number): void;
}

/** What {@link Weighting.apply} sets. */
export interface WeightingUpdate {
  /** The class weights. */
  readonly classWeights?: ClassWeightsInput;
  /** The weight of rows with no positive label, for a loss built with `emptyRowWeight: 'as-class'` (ignored otherwise). */
  readonly emptyRowWeight?: number;
  /** The class counts, for a loss balanced against them (the Distribution-Balanced loss; ignored otherwise). */
  readonly classCounts?: ClassCounts;
  /** Whether rows are weighted from their labels; `false` weighs every row 1 (deferred re-weighting). */
  readonly reweighting?: boolean;
}

/** A loss the sample-weight callback can drive: every loss class of this package. */
export interface ReweightableLoss {
  /** The loss's weighting state, driven only through this interface. */
  readonly weighting: Weighting;
}

/** What `WeightedLoss.weightedPerSample` gets besides the batch: whether its labels are 0/1, and its sample weights. */
export interface BatchWeights {
  /** Whether this call's labels were checked and are all 0 or 1 (no soft label). */
  readonly binary: boolean;
  /** The 0/1 positive labels [N, C] and each sample's weight [N, 1], computed on first call, off the gradient tape inside a custom op. */
  readonly weights: () => SampleWeightsOfBatch;
}

/** What {@link BatchWeights.weights} gives. */
export interface SampleWeightsOfBatch {
  /** The 0/1 positive labels [N, C]. */
  readonly positives: tf.Tensor;
  /** Each sample's weight [N, 1]. */
  readonly sw: tf.Tensor;
}
