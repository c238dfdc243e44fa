import * as tf from '@tensorflow/tfjs-core';
import { atLeast, type ElementKernel, type ElementMath, expNegAbs, power, powerOf } from '../kit.js';
import type { ResolvedDistributionBalancedParams } from './params.js';

/** The parameters the terms use: κ is already in the priors' bias. */
type TermsParams = Omit<ResolvedDistributionBalancedParams, 'kappa'>;

/** The per-class priors as numbers, and as tensors [C] for the tensor route: 1/n_c, and the bias −κ·log(N/n_c − 1). @internal */
export interface DistributionBalancedPriors {
  readonly inverse: readonly number[];
  readonly bias: readonly number[];
  /** The same as tensors, made once by the caller (the class keeps them across batches). */
  readonly tensors: () => { readonly inverse: tf.Tensor; readonly bias: tf.Tensor };
}

/**
 * The Distribution-Balanced loss's math on logits in both routes. `binary`
 * (labels checked to be 0 or 1, not smoothed) takes the cheaper exact
 * 1 − p_t in the tensor route.
 * @internal
 */
export function distributionBalancedMath(p: TermsParams, priors: DistributionBalancedPriors, binary = false): ElementMath {
  return {
    terms: (y, x) => distributionBalancedTerms(y, x, p, priors.tensors(), binary),
    kernel: distributionBalancedKernel(p, priors.inverse, priors.bias),
  };
}

/**
 * The Distribution-Balanced loss in tensor ops with its closed-form gradient
 * (the JS kernel's formulas, for wasm and WebGL). Per row, the re-balancing
 * weight of each cell from `inverse` = 1/n_c:
 *
 *   r = (1/n_c) / Σ_j y_j/n_j (∞ on a row with no label),  w = α + σ(β(r − μ)),
 *   m = λ on negatives (1 on positives), w' = w/λ on negatives,
 *   z = m·(x + bias),  ℓ = BCE(z, y),  ∂ℓ/∂x = (σ(z) − y)·w'·m,
 *   focal: 1 − p_t = 1 − exp(−ℓ), el = balance·w'·(1 − p_t)^γ·ℓ,
 *          ∂el/∂x = balance·(σ(z) − y)·w'·m·(1 − p_t)^γ·(1 + γ·p_t·ℓ/(1 − p_t)).
 *
 * Call inside `tf.tidy`, off the gradient tape.
 */
function distributionBalancedTerms(
  y: tf.Tensor,
  x: tf.Tensor,
  p: TermsParams,
  priors: { readonly inverse: tf.Tensor; readonly bias: tf.Tensor },
  binary: boolean,
): { el: tf.Tensor; g: tf.Tensor } {
  const { inverse, bias } = priors;
  const repeat = tf.matMul(y as tf.Tensor2D, tf.reshape(inverse, [-1, 1]) as tf.Tensor2D); // Σ_j y_j/n_j per row [N, 1]
  const r = tf.div(inverse, repeat);
  const w = tf.add(tf.sigmoid(tf.sub(tf.mul(r, p.beta), p.beta * p.mu)), p.alpha);
  const m = p.lambda === 1 ? undefined : tf.sub(p.lambda, tf.mul(y, p.lambda - 1));
  const ws = p.lambda === 1 ? w : tf.mul(w, tf.add(tf.mul(y, 1 - 1 / p.lambda), 1 / p.lambda));
  const shifted = tf.add(x, bias);
  const z = m === undefined ? shifted : tf.mul(shifted, m);
  const bce = tf.add(tf.sub(tf.relu(z), tf.mul(z, y)), tf.log1p(expNegAbs(z)));
  const sz = tf.sigmoid(z);
  const dz = tf.mul(tf.sub(sz, y), m === undefined ? ws : tf.mul(ws, m)); // ∂(w'·ℓ)/∂x
  if (!p.focal) return { el: tf.mul(ws, bce), g: dz };
  // 1 − p_t: for 0/1 labels exactly σ(z) on negatives and σ(−z) on positives (a sigmoid is cheap on
  // wasm); for soft labels 1 − exp(−ℓ) (exp, not expm1, 4× slower on wasm: below ℓ ≈ 6e-8 it rounds
  // to 0, where the true (1 − p_t)^γ·ℓ is below 1e-15 for γ = 2, far under the batch's other terms).
  const om = binary ? tf.add(sz, tf.mul(y, tf.sub(tf.sigmoid(tf.neg(z)), sz))) : tf.sub(1, tf.exp(tf.neg(bce)));
  const mod = powerOf(om, p.gamma);
  const el = tf.mul(tf.mul(ws, bce), tf.mul(mod, p.balance));
  if (p.gamma === 0) return { el, g: tf.mul(dz, p.balance) };
  // ℓ/(1 − p_t) → 1 as ℓ → 0; where 1 − p_t rounds to 0, mod is 0 as well, so any finite ratio does (max, not divNoNan's compare + select).
  const ratio = tf.div(bce, atLeast(om, 1e-30));
  const factor = tf.mul(mod, tf.add(tf.mul(tf.mul(tf.sub(1, om), ratio), p.gamma), 1));
  return { el, g: tf.mul(dz, tf.mul(factor, p.balance)) };
}

/**
 * The Distribution-Balanced kernel (see {@link distributionBalancedTerms} for the formulas), with
 * 1/n_c and the bias −κ·log(N/n_c − 1) per class.
 */
function distributionBalancedKernel(
  p: TermsParams,
  inverse: ArrayLike<number>,
  bias: ArrayLike<number>,
): ElementKernel {
  const { alpha, beta, mu, lambda, focal, gamma, balance } = p;
  return (x, y, N, C, el, g) => {
    for (let n = 0; n < N; n++) {
      const row = n * C;
      let repeat = 0;
      for (let c = 0; c < C; c++) repeat += y[row + c]! * inverse[c]!;
      for (let c = 0; c < C; c++) {
        const i = row + c;
        const yi = y[i]!;
        const r = repeat > 0 ? inverse[c]! / repeat : Infinity;
        const w = alpha + 1 / (1 + Math.exp(-beta * (r - mu)));
        const m = lambda * (1 - yi) + yi;
        const ws = w * ((1 - yi) / lambda + yi);
        const z = m * (x[i]! + bias[c]!);
        const e = Math.exp(-Math.abs(z));
        const bce = (z > 0 ? z : 0) - z * yi + Math.log1p(e);
        const sz = z >= 0 ? 1 / (1 + e) : e / (1 + e);
        const g0 = (sz - yi) * ws * m;
        if (!focal) {
          el[i] = ws * bce;
          g[i] = g0;
          continue;
        }
        // 1 − p_t: for a binary label it is σ(∓z'), exact from e; for a soft one −expm1(−ℓ).
        const om = yi === 1 ? (z >= 0 ? e / (1 + e) : 1 / (1 + e)) : yi === 0 ? sz : -Math.expm1(-bce);
        const mod = power(om, gamma);
        el[i] = balance * ws * mod * bce;
        const ratio = bce / (om > 1e-30 ? om : 1e-30); // ℓ/(1 − p_t) → 1 as ℓ → 0
        g[i] = g0 * balance * (gamma === 0 ? 1 : mod + gamma * mod * (1 - om) * ratio);
      }
    }
  };
}
