import * as tf from '@tensorflow/tfjs-core';
import type { AsymmetricParams } from './asymmetric-loss.js';
import type { DistributionBalancedParams } from './distribution-balanced.js';

/**
 * Element-wise kernels in plain JS: one pass over the batch computes each
 * element's loss and its derivative together. A loss such as ASL or DB is 25
 * to 55 tfjs kernels (each a full pass over the batch, and on the cpu backend
 * a slow one); a single loop with the transcendental functions computed once
 * per element is faster on the cpu and wasm backends. On WebGL it costs a
 * read-back of the batch.
 * @internal
 */
export interface ElementKernel {
  /** Writes the loss and d(loss)/dx of every element of the [N, C] batch. */
  (x: ArrayLike<number>, y: ArrayLike<number>, N: number, C: number, el: Float32Array, g: Float32Array): void;
}

/** x^γ with fast paths for the usual whole exponents (Math.pow is the slow part of these loops). */
function power(x: number, gamma: number): number {
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

/**
 * The Asymmetric Loss kernel (see sigmoidAsymmetricLoss for the formulas). A
 * binary label computes one branch; a soft label blends both linearly.
 * @internal
 */
export function asymmetricKernel(p: Required<AsymmetricParams>): ElementKernel {
  const logEps = Math.log(p.eps);
  const { gammaPos: gp, gammaNeg: gn, clip, detachFocusing: detach } = p;
  return (x, y, N, C, el, g) => {
    for (let i = 0; i < N * C; i++) {
      const xi = x[i]!;
      const yi = y[i]!;
      const e = Math.exp(xi >= 0 ? -xi : xi);
      const inv = 1 / (1 + e);
      const s = xi >= 0 ? inv : e * inv; // σ(x)
      const sn = xi >= 0 ? e * inv : inv; // σ(−x) = 1 − σ(x), exact
      if (yi === 0 && clip > 0 && s <= clip) {
        // An easy negative below the margin: loss and gradient 0 (most negatives, once a model trains).
        el[i] = 0;
        g[i] = 0;
        continue;
      }
      // log1p(e) only where a branch needs it: positives, and negatives without a margin.
      const l1p = yi > 0 || clip === 0 ? Math.log1p(e) : 0;
      let lossPos = 0;
      let gradPos = 0;
      if (yi > 0) {
        const logP = xi >= 0 ? -l1p : xi - l1p; // log σ(x)
        const lp = logP > logEps ? logP : logEps;
        const wp = power(sn, gp);
        lossPos = -lp * wp;
        gradPos = -wp * ((logP > logEps ? sn : 0) - (detach ? 0 : gp * s * lp));
      }
      let lossNeg = 0;
      let gradNeg = 0;
      if (yi < 1) {
        const q = clip > 0 ? (s > clip ? s - clip : 0) : s;
        if (clip > 0 && q === 0) {
          // Below the margin: the loss and its gradient are 0.
        } else {
          const pm = clip > 0 ? Math.min(sn + clip, 1) : sn;
          const logPm = clip > 0 ? Math.log(pm) : xi >= 0 ? -xi - l1p : -l1p; // log p_m; log σ(−x) without a margin
          const ln = logPm > logEps ? logPm : logEps;
          const wn = power(q, gn);
          lossNeg = -ln * wn;
          // Below eps the log is clamped and carries no gradient (and p_m may be 0 there: no 0/0).
          const direct = logPm > logEps ? wn / pm : 0;
          const focus = detach || gn === 0 ? 0 : (gn * ln * wn) / (q > 1e-30 ? q : 1e-30);
          gradNeg = s * sn * (direct - focus);
        }
      }
      el[i] = yi * lossPos + (1 - yi) * lossNeg;
      g[i] = yi * gradPos + (1 - yi) * gradNeg;
    }
  };
}

/**
 * The Distribution-Balanced kernel (see sigmoidDistributionBalancedLoss for the formulas), with
 * 1/n_c and the bias −κ·log(N/n_c − 1) per class.
 * @internal
 */
export function distributionBalancedKernel(
  p: Required<DistributionBalancedParams>,
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

/**
 * The focal loss kernel (see `focalTerms` in fused.ts for the formulas):
 * torchvision's focal loss on logits for targets in [0, 1], with α balancing
 * (α < 0: off) and PyTorch's `pos_weight` inside the stable cross-entropy.
 * γ = 0 and α < 0 give plain BCE.
 * @internal
 */
export function focalKernel(gamma: number, alpha: number, posWeight?: ArrayLike<number>): ElementKernel {
  return (x, y, N, C, el, g) => {
    for (let n = 0; n < N; n++) {
      for (let c = 0; c < C; c++) {
        const i = n * C + c;
        const xi = x[i]!;
        const yi = y[i]!;
        const pw = posWeight === undefined ? 1 : posWeight[c]!;
        const coef = 1 + (pw - 1) * yi;
        const e = Math.exp(-Math.abs(xi));
        const ce = (1 - yi) * xi + coef * (xi < 0 ? -xi : 0) + coef * Math.log1p(e); // PyTorch's stable form, exact part first
        const s = xi >= 0 ? 1 / (1 + e) : e / (1 + e); // σ(x)
        const sn = xi >= 0 ? e / (1 + e) : 1 / (1 + e); // σ(−x)
        const at = alpha >= 0 ? alpha * yi + (1 - alpha) * (1 - yi) : 1;
        let d = (1 - yi) * s - pw * yi * sn; // c·σ(x) − p·y without its cancellation where σ(x) ≈ 1
        let m = 1;
        if (gamma !== 0) {
          const q = s * (1 - yi) + sn * yi; // 1 − p_t
          m = Math.pow(q, gamma);
          d += q > 0 ? (gamma * (1 - 2 * yi) * s * sn * ce) / q : 0;
        }
        el[i] = at * m * ce;
        g[i] = at * m * d;
      }
    }
  };
}

/**
 * Scratch arrays reused across calls, so a training step does not allocate
 * (and the GC reclaim) two batch-sized arrays. Only where tfjs copies the
 * values it is given (wasm); the cpu and WebGL backends keep a reference.
 */
const scratch: Float32Array[] = [];
function buffer(k: number, size: number, reusable: boolean): Float32Array {
  if (!reusable) return new Float32Array(size);
  if (scratch[k] === undefined || scratch[k]!.length < size) scratch[k] = new Float32Array(size);
  return scratch[k]!.subarray(0, size);
}
const copies = () => tf.getBackend() === 'wasm';

/**
 * An element-wise loss [N, C] as one custom op over a JS kernel. Call inside `tf.tidy`.
 * @internal
 */
export function jsElements(x: tf.Tensor, y: tf.Tensor, kernel: ElementKernel): tf.Tensor {
  const f = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [logits, save] = args as [tf.Tensor, tf.GradSaveFunc];
    const [N, C] = logits.shape as [number, number];
    const el = buffer(0, N * C, copies());
    const gr = buffer(1, N * C, copies());
    kernel(logits.dataSync(), y.dataSync(), N, C, el, gr);
    const g = tf.tensor2d(gr, [N, C]);
    save([g]);
    return { value: tf.tensor2d(el, [N, C]), gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => tf.mul(saved[0]!, dy as tf.Tensor) };
  });
  return f(x);
}

/**
 * The per-sample loss [N] of a JS kernel for the loss classes: value_i =
 * scale_i·Σ_c el_ic, gradient scale_i·g_ic, all in the kernel's pass.
 * `prepare` gives the targets and the row scales [N, 1]. Call inside `tf.tidy`.
 * @internal
 */
export function jsRows(x: tf.Tensor, prepare: () => { y: tf.Tensor; scale: tf.Tensor }, kernel: ElementKernel): tf.Tensor {
  const f = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [logits, save] = args as [tf.Tensor, tf.GradSaveFunc];
    const [N, C] = logits.shape as [number, number];
    const { y, scale } = prepare();
    const el = buffer(0, N * C, true); // summed here, never handed to tfjs
    const gr = buffer(1, N * C, copies());
    kernel(logits.dataSync(), y.dataSync(), N, C, el, gr);
    const sd = scale.dataSync();
    const value = new Float32Array(N);
    for (let n = 0; n < N; n++) {
      let sum = 0;
      const s = sd[n]!;
      for (let c = 0; c < C; c++) {
        sum += el[n * C + c]!;
        gr[n * C + c]! *= s;
      }
      value[n] = sum * s;
    }
    const g = tf.tensor2d(gr, [N, C]);
    save([g]);
    return {
      value: tf.tensor1d(value),
      gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => tf.mul(saved[0]!, tf.reshape(dy as tf.Tensor, [-1, 1])),
    };
  });
  return f(x);
}
