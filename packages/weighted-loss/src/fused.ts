import * as tf from '@tensorflow/tfjs-core';

/** What a fused loss needs from the labels: the targets and each row's weight scale [N, 1]. @internal */
export interface Prepared {
  readonly y: tf.Tensor;
  readonly scale: tf.Tensor;
}

/**
 * The per-sample weighted BCE on logits [N], fused: forward and backward in
 * closed form with `tf.customGrad`, so a training step costs a handful of
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
  const f = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [logits, save] = args as [tf.Tensor, tf.GradSaveFunc];
    // Everything here runs as one custom op, off the gradient tape: no clones of intermediates.
    const { y, scale } = prepare();
    const coef = posWeight === undefined ? undefined : tf.add(tf.mul(y, posWeightMinusOne ?? tf.sub(posWeight, 1)), 1);
    const py = posWeight === undefined ? y : tf.mul(y, posWeight);
    const sp = tf.softplus(logits);
    const el = tf.sub(coef === undefined ? sp : tf.mul(coef, sp), tf.mul(py, logits));
    // The gradient factor scale·(c·σ(x) − p·y), computed here so the backward pass is one multiply
    // and only one tensor is saved for it.
    const s = tf.sigmoid(logits);
    const g = tf.mul(tf.sub(coef === undefined ? s : tf.mul(coef, s), py), scale);
    save([g]);
    return {
      value: tf.reshape(tf.mul(tf.sum(el, -1, true), scale), [-1]),
      gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => tf.mul(saved[0]!, tf.reshape(dy as tf.Tensor, [-1, 1])),
    };
  });
  return f(x);
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
): tf.Tensor {
  let hasAm = false;
  let hasCoef = false;
  const f = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [logits, save] = args as [tf.Tensor, tf.GradSaveFunc];
    const { y, scale } = prepare();
    const coef = posWeight === undefined ? undefined : tf.add(tf.mul(y, tf.sub(posWeight, 1)), 1);
    const py = posWeight === undefined ? y : tf.mul(y, posWeight);
    const at = alpha >= 0 ? tf.add(tf.mul(y, 2 * alpha - 1), 1 - alpha) : undefined;
    const sp = tf.softplus(logits);
    const yx = tf.mul(y, logits);
    const ce = tf.sub(coef === undefined ? sp : tf.mul(coef, sp), posWeight === undefined ? yx : tf.mul(py, logits));
    const m = gamma === 0 ? undefined : tf.exp(tf.mul(tf.sub(tf.sub(logits, yx), sp), gamma));
    const am = at === undefined ? m : m === undefined ? at : tf.mul(at, m);
    const el = am === undefined ? ce : tf.mul(am, ce);
    hasAm = am !== undefined;
    hasCoef = coef !== undefined;
    save([logits, y, py, scale, ce, ...(am === undefined ? [] : [am]), ...(coef === undefined ? [] : [coef])]);
    return {
      value: tf.reshape(tf.mul(tf.sum(el, -1, true), scale), [-1]),
      gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
        const [lx, ly, lpy, lscale, lce, ...rest] = saved as tf.Tensor[];
        const lam = hasAm ? rest.shift() : undefined;
        const lcoef = hasCoef ? rest.shift() : undefined;
        const s = tf.sigmoid(lx!);
        let g = tf.sub(lcoef === undefined ? s : tf.mul(lcoef, s), lpy!);
        if (gamma !== 0) g = tf.add(g, tf.mul(tf.mul(tf.sub(tf.sub(1, s), ly!), lce!), gamma));
        if (lam !== undefined) g = tf.mul(g, lam);
        return tf.mul(g, tf.mul(tf.reshape(dy as tf.Tensor, [-1, 1]), lscale!));
      },
    };
  });
  return f(x);
}
