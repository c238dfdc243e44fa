import type * as tf from '@tensorflow/tfjs-core';
import type { ClassCounts, ClassWeightsInput, SchemeConfig } from '@tfjs-imbalance/weight-schemes';
import type { PredictionKind } from '../core/binary-inputs.js';
import type { OnlineCounts } from './args.js';

/**
 * What the sample-weight callback drives in a loss during `fit`: the
 * contract between `@tfjs-imbalance/sample-weight-callback` and the losses.
 * Every loss class implements it ({@link WeightedLoss}); the
 * Distribution-Balanced loss also takes class counts.
 */
export interface ReweightableLoss {
  /** The number of classes C. */
  readonly numClasses: number;
  /** What the model outputs, checked against the model's last activation. */
  readonly from: PredictionKind;
  /** The scheme the loss was built with, the callback's default. */
  readonly scheme: SchemeConfig | undefined;
  /** The weight of rows with no positive label; `'as-class'` follows the counts through {@link ReweightableLoss.setEmptyRowWeight}. */
  readonly emptyRowWeight: number | 'as-class';
  /** How many times the loss was called: the callback checks that the model trains with it. */
  readonly callCount: number;
  /** Replaces the class weights; the next batch uses them. */
  setClassWeights(weights: ClassWeightsInput): void;
  /** The class weights, read asynchronously. */
  getClassWeightsAsync(): Promise<number[]>;
  /** Sets the weight of rows with no positive label (with `emptyRowWeight: 'as-class'`). */
  setEmptyRowWeight(weight: number): void;
  /** Turns the weighting on or off (deferred re-weighting trains plainly first). */
  setReweighting(on: boolean): void;
  /** Counts the next call only: the training step of the current batch. */
  recordNextCall(): void;
  /** Counts every call while on; `false` also cancels {@link ReweightableLoss.recordNextCall}. */
  setRecording(on: boolean): void;
  /** The online counts so far (a small synchronous read). */
  readCounts(): OnlineCounts;
  /** The online counts so far, read asynchronously. */
  readCountsAsync(): Promise<OnlineCounts>;
  /** Multiplies the online counts by a factor in [0, 1]. */
  decayCounts(factor: number): void;
  /** Waits for the label checks of the calls so far (WebGL, WebGPU) and throws on invalid labels. */
  settleLabelChecks(): Promise<void>;
  /** Sets the class counts, for losses balanced against them (the Distribution-Balanced loss). */
  setClassCounts?(counts: ClassCounts): void;
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
