/**
 * The model: three 3 × 3 'same' convolutions with ReLU (receptive field
 * 7 × 7, enough to tell a 5 × 5 cross from a disc) and a 1 × 1 convolution
 * to C logits per pixel: outputs [N, H, W, C], class axis last. Its last
 * bias starts at each class's prior log-odds per pixel (`priorBias`), and
 * its kernels are drawn from a seed, so every treatment of one seed starts
 * from the same model.
 */
import * as tfl from '@tensorflow/tfjs-layers';
import { priorBias, type ClassCounts } from '@tfjs-imbalance/weight-schemes';
import { SameConv2D } from './conv.js';

/** The architecture's settings. */
export interface ModelSpec {
  /** Image height and width. */
  readonly size: number;
  /** Filters of each hidden convolution. */
  readonly filters: number;
  /** Hidden 3 × 3 convolutions. */
  readonly depth: number;
  /** The seed of the initial kernels. */
  readonly seed: number;
}

/**
 * A fresh model, its last bias at the training pixels' prior log-odds.
 *
 * @param spec - The architecture and seed.
 * @param counts - The training pixels' class counts (`countMultiHot` of the [N, H, W, C] labels).
 * @returns An uncompiled model from [N, H, W, 1] to logits [N, H, W, C].
 */
export function buildModel(spec: ModelSpec, counts: ClassCounts): tfl.LayersModel {
  const C = counts.positives.length;
  const layers: tfl.layers.Layer[] = [];
  for (let d = 0; d < spec.depth; d++) {
    layers.push(new SameConv2D({ filters: spec.filters, kernelSize: 3, activation: 'relu', seed: spec.seed * 100 + d, ...(d === 0 ? { inputShape: [spec.size, spec.size, 1] } : {}) }));
  }
  layers.push(new SameConv2D({ filters: C, kernelSize: 1, activation: 'linear', seed: spec.seed * 100 + spec.depth, bias: priorBias(counts) }));
  return tfl.sequential({ layers });
}
