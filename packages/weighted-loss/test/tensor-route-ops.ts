// The loss ops on the tensor route (wasm, WebGL, WebGPU), called directly: the route module's test override
// makes lossOp take the tfjs kernels while the cpu backend runs them.
import * as tf from '@tensorflow/tfjs-core';
import { asymmetricMath, distributionBalancedMath, focalMath, lossOp, overrideRoutes, type Targets } from '../src/internal';
import type { DistributionBalancedParams, ResolvedAsymmetricParams } from '../src/index';

/** Runs `f` with the losses routed as on WebGL. */
export function onTensorRoute<T>(f: () => T): T {
  overrideRoutes('webgl');
  try {
    return f();
  } finally {
    overrideRoutes(undefined);
  }
}

export const fusedFocalRows = (x: tf.Tensor, targets: () => Targets, gamma: number, alpha: number, posWeight?: tf.Tensor): tf.Tensor =>
  onTensorRoute(() => lossOp(x, targets, focalMath({ gamma, alpha, ...(posWeight === undefined ? {} : { posWeight: { tensor: posWeight } }) })));

export const fusedAsymmetricRows = (x: tf.Tensor, targets: () => Targets, p: ResolvedAsymmetricParams, binary = false): tf.Tensor =>
  onTensorRoute(() => lossOp(x, targets, asymmetricMath(p, binary)));

export const asymmetricElements = (y: tf.Tensor, x: tf.Tensor, p: ResolvedAsymmetricParams): tf.Tensor => onTensorRoute(() => lossOp(x, () => ({ y }), asymmetricMath(p)));

function priorsOf(t: { inverse: tf.Tensor; bias: tf.Tensor }) {
  return { inverse: Array.from(t.inverse.dataSync()), bias: Array.from(t.bias.dataSync()), tensors: () => t };
}

export const fusedDistributionBalancedRows = (
  x: tf.Tensor,
  targets: () => Targets,
  p: Omit<Required<DistributionBalancedParams>, 'kappa'>,
  priors: { inverse: tf.Tensor; bias: tf.Tensor },
  binary: boolean,
): tf.Tensor => onTensorRoute(() => lossOp(x, targets, distributionBalancedMath(p, priorsOf(priors), binary)));

export const distributionBalancedElements = (y: tf.Tensor, x: tf.Tensor, p: Omit<Required<DistributionBalancedParams>, 'kappa'>, priors: { inverse: tf.Tensor; bias: tf.Tensor }): tf.Tensor =>
  onTensorRoute(() => lossOp(x, () => ({ y }), distributionBalancedMath(p, priorsOf(priors))));
