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
 * The per-sample weighted focal loss on logits [N], fused like
 * {@link fusedBceRows}:
 *
 *   ce = c·softplus(x) − p·y·x,  L = x − y·x − softplus(x)  (= log(1 − p_t) for binary y),
 *   m = exp(γ·L),  el = a·m·ce  with a = α·y + (1−α)(1−y) (or 1),
 *   ∂el/∂x = a·m·(γ·(1 − σ(x) − y)·ce + c·σ(x) − p·y)
 *
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
    const sp = tf.softplus(logits);
    const yx = tf.mul(y, logits);
    const ce = stableBceOnLogits(y, logits, coef);
    const at = alpha >= 0 ? tf.add(tf.mul(y, 2 * alpha - 1), 1 - alpha) : undefined;
    const m = gamma === 0 ? undefined : tf.exp(tf.mul(tf.sub(tf.sub(logits, yx), sp), gamma));
    const am = at === undefined ? m : m === undefined ? at : tf.mul(at, m);
    const s = tf.sigmoid(logits);
    let g = tf.sub(coef === undefined ? s : tf.mul(coef, s), py);
    if (gamma !== 0) g = tf.add(g, tf.mul(tf.mul(tf.sub(tf.sub(1, s), y), ce), gamma));
    if (am !== undefined) g = tf.mul(g, am);
    return { el: am === undefined ? ce : tf.mul(am, ce), scale, g: tf.mul(g, scale) };
  });
}

