import * as tf from '@tensorflow/tfjs-core';
import { routes } from './route.js';

/** From this many elements the wasm routes below win; under it a kernel's fixed cost dominates and fewer kernels win. */
const LARGE = 1 << 16;

/**
 * exp(−|x|), in (0, 1]. On wasm it is σ(−|x|)/σ(|x|): the SIMD sigmoid makes
 * two of them and a divide ~10 ms per 4M values where `exp` alone takes ~27 ms
 * (both exact to a few ulp). Call inside `tf.tidy`.
 * @internal
 */
export function expNegAbs(x: tf.Tensor): tf.Tensor {
  const a = tf.abs(x);
  return routes().wasm && a.size >= LARGE ? tf.div(tf.sigmoid(tf.neg(a)), tf.sigmoid(a)) : tf.exp(tf.neg(a));
}

/**
 * max(a, b) for a scalar b, exact where a ≥ b. On wasm `maximum` with a scalar
 * takes ~19 ms per 4M values; a + relu(b − a) three cheap kernels. Call inside `tf.tidy`.
 * @internal
 */
export function atLeast(a: tf.Tensor, b: number): tf.Tensor {
  return routes().wasm && a.size >= LARGE ? tf.add(a, tf.relu(tf.sub(b, a))) : tf.maximum(a, b);
}

/**
 * BCE with logits in PyTorch's stable form, (1 − y)·x + c·(max(−x, 0) + log1p(exp(−|x|))),
 * summed so that (1 − y)·x + c·max(−x, 0) is exact before the small
 * log1p term is added: a loss of 1e-7 keeps its relative precision in
 * float32 (softplus(x) − x cancels it to 0 from |x| ≈ 14). `coef` is
 * c = 1 + (p − 1)·y with a pos_weight p, else 1. Call inside `tf.tidy`.
 * @internal
 */
export function stableBceOnLogits(y: tf.Tensor, x: tf.Tensor, coef?: tf.Tensor): tf.Tensor {
  const tail = tf.log1p(expNegAbs(x));
  const hinge = tf.relu(tf.neg(x));
  const head = tf.add(tf.mul(tf.sub(1, y), x), coef === undefined ? hinge : tf.mul(coef, hinge));
  return tf.add(head, coef === undefined ? tail : tf.mul(coef, tail));
}

/**
 * log(1 + t) to float32 precision for t ≥ 0 on every backend. The wasm and
 * WebGL `log1p` kernels compute log(1 + t) literally, which returns 0 for
 * t < 6e-8 and is 1.6e-4 relative off at t = 1e-4. There, one correction
 * term restores it: log(u) − ((u − 1) − t)/u with u = 1 + t rounded. On cpu,
 * `log1p` is `Math.log1p`. Call inside `tf.tidy`.
 * @internal
 */
export function log1pAccurate(t: tf.Tensor): tf.Tensor {
  if (routes().cpu) return tf.log1p(t);
  const u = tf.add(t, 1);
  return tf.sub(tf.log(u), tf.div(tf.sub(tf.sub(u, 1), t), u));
}

/** q^γ with one or two multiplies for the usual whole exponents (tf.pow is exp∘log). Inside `tf.tidy`. @internal */
export function powerOf(q: tf.Tensor, gamma: number): tf.Tensor {
  if (gamma === 1) return q;
  if (gamma === 2) return tf.square(q);
  if (gamma === 3) return tf.mul(tf.square(q), q);
  if (gamma === 4) return tf.square(tf.square(q));
  return tf.pow(q, gamma);
}

/** x^γ in JS with fast paths for the usual whole exponents (Math.pow is the slow part of the kernels' loops). @internal */
export function power(x: number, gamma: number): number {
  switch (gamma) {
    case 0:
      return 1;
    case 1:
      return x;
    case 2:
      return x * x;
    case 3:
      return x * x * x;
    case 4: {
      const s = x * x;
      return s * s;
    }
    default:
      return Math.pow(x, gamma);
  }
}
