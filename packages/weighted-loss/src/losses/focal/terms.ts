import * as tf from '@tensorflow/tfjs-core';
import { atLeast, type ElementKernel, type ElementMath, lossOp, powerOf, type PredictionKind, stableBceOnLogits, type Targets } from '../kit.js';

/** The focal loss's parameters, resolved: γ ≥ 0, α (< 0: off) and PyTorch's `pos_weight`, as tensors for the tensor route and numbers for the JS route. @internal */
export interface FocalMathParams {
  readonly gamma: number;
  readonly alpha: number;
  readonly posWeight?: { readonly tensor: tf.Tensor; readonly minusOne?: tf.Tensor; readonly values?: ArrayLike<number> };
}

/**
 * The focal loss's math on logits in both routes. γ = 0 and α < 0 give
 * PyTorch's `BCEWithLogitsLoss` (with `pos_weight`), so binary cross-entropy
 * uses it too: one place for both losses' math.
 * @internal
 */
export function focalMath(p: FocalMathParams): ElementMath {
  return {
    terms: (y, x) => {
      const { coef, py } = positiveTerms(y, p.posWeight?.tensor, p.posWeight?.minusOne);
      return focalTerms(y, x, p.gamma, p.alpha, coef, py);
    },
    // The JS route runs on cpu, where reading a pos_weight tensor is a copy.
    kernel: (x, y, N, C, el, g) => focalKernel(p.gamma, p.alpha, p.posWeight && (p.posWeight.values ?? p.posWeight.tensor.dataSync()))(x, y, N, C, el, g),
  };
}

/**
 * The element-wise focal loss [N, C], torchvision's (1 − p_t)^γ times BCE
 * (times α_t), for targets anywhere in [0, 1]; γ = 0 with α < 0 is PyTorch's
 * binary cross-entropy (with `pos_weight`). On logits it is one custom op
 * with the closed-form gradient of {@link focalTerms}; on probabilities p_t
 * is read from the clipped p, by autodiff. Call inside `tf.tidy`.
 * @internal
 */
export function focalElements(y: tf.Tensor, yPred: tf.Tensor, from: PredictionKind, p: FocalMathParams & { readonly epsilon: number }): tf.Tensor {
  if (from === 'logits') return lossOp(yPred, () => ({ y }), focalMath(p));
  const pw = p.posWeight?.tensor;
  const clipped = tf.clipByValue(yPred, p.epsilon, 1 - p.epsilon);
  const pos = tf.mul(y, tf.log(clipped));
  let loss = tf.neg(tf.add(pw === undefined ? pos : tf.mul(pw, pos), tf.mul(tf.sub(1, y), tf.log(tf.sub(1, clipped)))));
  if (p.gamma !== 0) {
    const pt = tf.add(tf.mul(clipped, y), tf.mul(tf.sub(1, clipped), tf.sub(1, y)));
    loss = tf.mul(loss, tf.exp(tf.mul(p.gamma, tf.log(tf.clipByValue(tf.sub(1, pt), p.epsilon, 1)))));
  }
  if (p.alpha >= 0) loss = tf.mul(loss, tf.add(tf.mul(p.alpha, y), tf.mul(1 - p.alpha, tf.sub(1, y))));
  return loss;
}

/**
 * The per-sample focal loss [N] of the loss classes: the row scales [N, 1]
 * times the sum over the classes. On logits, one custom op (see `lossOp`); on
 * probabilities, {@link focalElements} by autodiff. The targets carry no
 * gradient. Call inside `tf.tidy`.
 * @internal
 */
export function focalRows(yPred: tf.Tensor, from: PredictionKind, targets: () => Required<Targets>, p: FocalMathParams & { readonly epsilon: number }): tf.Tensor {
  if (from === 'logits') return lossOp(yPred, targets, focalMath(p));
  const { y, scale } = targets();
  return tf.reshape(tf.mul(tf.sum(focalElements(y, yPred, from, p), -1, true), scale), [-1]);
}

/** The posWeight terms: c = 1 + (p−1)·y and p·y (just y without posWeight). Inside the custom op. */
function positiveTerms(y: tf.Tensor, posWeight?: tf.Tensor, posWeightMinusOne?: tf.Tensor): { coef?: tf.Tensor; py: tf.Tensor } {
  if (posWeight === undefined) return { py: y };
  return { coef: tf.add(tf.mul(y, posWeightMinusOne ?? tf.sub(posWeight, 1)), 1), py: tf.mul(y, posWeight) };
}

/**
 * The focal terms on logits, torchvision's definition for any target in [0, 1]:
 *
 *   q = 1 − p_t = σ(x)·(1 − y) + σ(−x)·y,  m = q^γ,
 *   ce = PyTorch's stable BCE with logits (pos_weight p, c = 1 + (p−1)·y),
 *   el = a·m·ce  with a = α·y + (1−α)(1−y) (or 1),
 *   ∂el/∂x = a·m·(γ·(1 − 2y)·r·ce + c·σ(x) − p·y),  r = σ(x)σ(−x)/q ∈ [0, 1]
 *
 * For a binary label q is σ(∓x) and (1 − 2y)·r = 1 − σ(x) − y, Lin et al.'s
 * form; for a soft label it is torchvision's (1 − p_t)^γ, not the
 * exp(−γ·(y·x + softplus(−x))) of Cui et al.'s code, which differs there.
 * σ(x) and σ(−x) are both computed directly, so a tiny q keeps its relative
 * precision. Where q underflows to 0, so does σ(x)σ(−x): r's quotient is taken
 * against max(q, 1e-30), not `divNoNan` (a compare and a select, slow on wasm).
 * Call inside `tf.tidy`, off the gradient tape.
 */
function focalTerms(
  y: tf.Tensor,
  x: tf.Tensor,
  gamma: number,
  alpha: number,
  coef: tf.Tensor | undefined,
  py: tf.Tensor,
): { el: tf.Tensor; g: tf.Tensor } {
  const ce = stableBceOnLogits(y, x, coef);
  const s = tf.sigmoid(x);
  const sn = tf.sigmoid(tf.neg(x));
  // ∂ce/∂x = (1 − y)·σ(x) − p·y·σ(−x): c·σ(x) − p·y is the same in exact arithmetic, but where σ(x) rounds to 1 in
  // float32 it cancels (0 instead of −4.1e-8 at x = 17 without pos_weight; −4.77e-7 for −3.31e-7 with p = 8).
  // 1 − p_t = (1 − y)·σ(x) + y·σ(−x) shares both products, and is exact for 0/1 labels (σ(x) + y·(σ(−x) − σ(x))
  // rounded a tiny 1 − p_t to a multiple of 2^-24).
  const negPart = tf.mul(tf.sub(1, y), s);
  const posPart = tf.mul(y, sn);
  let g = tf.sub(negPart, py === y ? posPart : tf.mul(py, sn));
  let el = ce;
  if (gamma !== 0) {
    const q = tf.add(negPart, posPart);
    const m = powerOf(q, gamma);
    const r = tf.div(tf.mul(s, sn), atLeast(q, 1e-30));
    g = tf.mul(tf.add(g, tf.mul(tf.mul(r, ce), tf.sub(gamma, tf.mul(y, 2 * gamma)))), m);
    el = tf.mul(m, ce);
  }
  if (alpha >= 0) {
    const at = tf.add(tf.mul(y, 2 * alpha - 1), 1 - alpha);
    g = tf.mul(g, at);
    el = tf.mul(el, at);
  }
  return { el, g };
}

/**
 * The focal loss kernel (see {@link focalTerms} for the formulas):
 * torchvision's focal loss on logits for targets in [0, 1], with α balancing
 * (α < 0: off) and PyTorch's `pos_weight` inside the stable cross-entropy.
 * γ = 0 and α < 0 give plain BCE.
 * @internal
 */
function focalKernel(gamma: number, alpha: number, posWeight?: ArrayLike<number>): ElementKernel {
  return (x, y, N, C, el, g) => {
    for (let n = 0; n < N; n++) {
      for (let c = 0; c < C; c++) {
        const i = n * C + c;
        const xi = x[i]!;
        const yi = y[i]!;
        const pw = posWeight === undefined ? 1 : posWeight[posWeight.length === C ? c : i]!; // per class [C] or per element [N, C]
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
