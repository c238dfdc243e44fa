import * as tf from '@tensorflow/tfjs-core';
import { stableBceOnLogits } from './binary-cross-entropy.js';

/** What a fused loss needs from the labels: the targets and each row's weight scale [N, 1]. @internal */
export interface Prepared {
  readonly y: tf.Tensor;
  readonly scale: tf.Tensor;
}

/** The posWeight terms of both fused losses: c = 1 + (p−1)·y and p·y (just y without posWeight). Inside the custom op. */
function positiveTerms(y: tf.Tensor, posWeight?: tf.Tensor, posWeightMinusOne?: tf.Tensor): { coef?: tf.Tensor; py: tf.Tensor } {
  if (posWeight === undefined) return { py: y };
  return { coef: tf.add(tf.mul(y, posWeightMinusOne ?? tf.sub(posWeight, 1)), 1), py: tf.mul(y, posWeight) };
}

/**
 * One custom op for a per-sample loss on logits: `body` returns the
 * element-wise loss `el`, the row scales [N, 1] and the gradient factor
 * `g` = ∂(scale·el)/∂x, all computed in the forward pass, off the gradient
 * tape. The value is scale·Σ_c el per row; the backward pass is one multiply
 * by the upstream gradient, and `g` the only tensor saved for it.
 */
function fusedRows(x: tf.Tensor, body: (logits: tf.Tensor) => { el: tf.Tensor; scale: tf.Tensor; g: tf.Tensor }): tf.Tensor {
  const f = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [logits, save] = args as [tf.Tensor, tf.GradSaveFunc];
    const { el, scale, g } = body(logits);
    save([g]);
    return {
      value: tf.reshape(tf.mul(tf.sum(el, -1, true), scale), [-1]),
      gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => tf.mul(saved[0]!, tf.reshape(dy as tf.Tensor, [-1, 1])),
    };
  });
  return f(x);
}

/**
 * The per-sample weighted BCE on logits [N], fused: forward and backward in
 * closed form in one `tf.customGrad` op, so a training step costs a handful of
 * kernels (the weighting is almost free next to tf.losses.sigmoidCrossEntropy).
 *
 *   el = c·softplus(x) − p·y·x,  c = 1 + (p−1)·y   (= PyTorch's BCEWithLogits with pos_weight p)
 *   ∂el/∂x = c·σ(x) − p·y
 *   value_i = scale_i · Σ_c el_ic
 *
 * Call inside `tf.tidy`. `prepare` derives the targets and row scales from the
 * labels, inside the custom op; they carry no gradient.
 * @internal
 */
export function fusedBceRows(x: tf.Tensor, prepare: () => Prepared, posWeight?: tf.Tensor, posWeightMinusOne?: tf.Tensor): tf.Tensor {
  return fusedRows(x, (logits) => {
    const { y, scale } = prepare();
    const { coef, py } = positiveTerms(y, posWeight, posWeightMinusOne);
    const el = stableBceOnLogits(y, logits, coef);
    const s = tf.sigmoid(logits);
    const g = tf.mul(tf.sub(coef === undefined ? s : tf.mul(coef, s), py), scale);
    return { el, scale, g };
  });
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
 * precision. Where q underflows to 0, m is 0 and so is r's term (divNoNan).
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
  let g = tf.sub(coef === undefined ? s : tf.mul(coef, s), py);
  let el = ce;
  if (gamma !== 0) {
    const sn = tf.sigmoid(tf.neg(x));
    const q = tf.add(s, tf.mul(y, tf.sub(sn, s)));
    const m = gamma === 1 ? q : gamma === 2 ? tf.square(q) : tf.pow(q, gamma); // square: one cheap kernel where pow is exp∘log
    const r = tf.divNoNan(tf.mul(s, sn), q);
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
 * The per-sample weighted focal loss on logits [N], fused like
 * {@link fusedBceRows}, with the element terms of {@link focalTerms}.
 * Call inside `tf.tidy`.
 * @internal
 */
export function fusedFocalRows(
  x: tf.Tensor,
  prepare: () => Prepared,
  gamma: number,
  alpha: number,
  posWeight?: tf.Tensor,
  posWeightMinusOne?: tf.Tensor,
): tf.Tensor {
  return fusedRows(x, (logits) => {
    const { y, scale } = prepare();
    const { coef, py } = positiveTerms(y, posWeight, posWeightMinusOne);
    const { el, g } = focalTerms(y, logits, gamma, alpha, coef, py);
    return { el, scale, g: tf.mul(g, scale) };
  });
}

/**
 * The element-wise focal loss on logits [N, C] as one custom op, with the
 * closed-form gradient of {@link focalTerms} (autodiff of (1 − p_t)^γ gives
 * NaN where 1 − p_t underflows). Call inside `tf.tidy`.
 * @internal
 */
export function focalElements(y: tf.Tensor, x: tf.Tensor, gamma: number, alpha: number, posWeight?: tf.Tensor): tf.Tensor {
  const f = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [logits, save] = args as [tf.Tensor, tf.GradSaveFunc];
    const { coef, py } = positiveTerms(y, posWeight);
    const { el, g } = focalTerms(y, logits, gamma, alpha, coef, py);
    save([g]);
    return { value: el, gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => tf.mul(saved[0]!, dy as tf.Tensor) };
  });
  return f(x);
}

