import * as tf from '@tensorflow/tfjs-core';
import { atLeast, expNegAbs, stableBceOnLogits } from './stable-forms.js';

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
 * One custom op for a per-sample loss on logits: `prepare` gives the targets
 * and the row scales [N, 1], `terms` the element-wise loss `el` and its
 * derivative `g`, all computed in the forward pass, off the gradient tape.
 * The value is scale·Σ_c el per row; the backward pass is one multiply by the
 * upstream gradient, and scale·g the only tensor saved for it.
 */
function fusedRows(
  x: tf.Tensor,
  prepare: () => Prepared,
  terms: (y: tf.Tensor, logits: tf.Tensor) => { el: tf.Tensor; g: tf.Tensor },
): tf.Tensor {
  const f = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [logits, save] = args as [tf.Tensor, tf.GradSaveFunc];
    const { y, scale } = prepare();
    const { el, g } = terms(y, logits);
    save([tf.mul(g, scale)]);
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
 * It is {@link fusedFocalRows} with γ = 0 and no α:
 *
 *   el = PyTorch's BCEWithLogits with pos_weight p,  ∂el/∂x = (1 − y)·σ(x) − p·y·σ(−x)
 *   (= c·σ(x) − p·y with c = 1 + (p−1)·y, which cancels in float32 where σ(x) rounds to 1)
 *   value_i = scale_i · Σ_c el_ic
 *
 * Call inside `tf.tidy`. `prepare` derives the targets and row scales from the
 * labels, inside the custom op; they carry no gradient.
 * @internal
 */
export function fusedBceRows(x: tf.Tensor, prepare: () => Prepared, posWeight?: tf.Tensor, posWeightMinusOne?: tf.Tensor): tf.Tensor {
  return fusedFocalRows(x, prepare, 0, -1, posWeight, posWeightMinusOne);
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
  return fusedRows(x, prepare, (y, logits) => {
    const { coef, py } = positiveTerms(y, posWeight, posWeightMinusOne);
    return focalTerms(y, logits, gamma, alpha, coef, py);
  });
}

/**
 * The element-wise focal loss on logits [N, C] as one custom op, with the
 * closed-form gradient of {@link focalTerms} (autodiff of (1 − p_t)^γ gives
 * NaN where 1 − p_t underflows). Call inside `tf.tidy`.
 * @internal
 */
export function focalElements(y: tf.Tensor, x: tf.Tensor, gamma: number, alpha: number, posWeight?: tf.Tensor): tf.Tensor {
  return elementOp(x, (logits) => {
    const { coef, py } = positiveTerms(y, posWeight);
    return focalTerms(y, logits, gamma, alpha, coef, py);
  });
}

/** An element-wise loss [N, C] as one custom op: `body` gives the elements and their derivatives, off the tape. */
function elementOp(x: tf.Tensor, body: (logits: tf.Tensor) => { el: tf.Tensor; g: tf.Tensor }): tf.Tensor {
  const f = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [logits, save] = args as [tf.Tensor, tf.GradSaveFunc];
    const { el, g } = body(logits);
    save([g]);
    return { value: el, gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => tf.mul(saved[0]!, dy as tf.Tensor) };
  });
  return f(x);
}


/** q^γ with one or two multiplies for the usual whole exponents (tf.pow is exp∘log). Inside `tf.tidy`. */
function powerOf(q: tf.Tensor, gamma: number): tf.Tensor {
  if (gamma === 1) return q;
  if (gamma === 2) return tf.square(q);
  if (gamma === 3) return tf.mul(tf.square(q), q);
  if (gamma === 4) return tf.square(tf.square(q));
  return tf.pow(q, gamma);
}

/** The Asymmetric Loss parameters the tensor route takes. @internal */
export interface AsymmetricTermsParams {
  readonly gammaPos: number;
  readonly gammaNeg: number;
  readonly clip: number;
  readonly eps: number;
  /** Hold the focusing weights constant in the gradient (the official training gradient). */
  readonly detachFocusing: boolean;
}

/**
 * Whether {@link asymmetricTerms} covers these parameters: a detached
 * focusing weight, or γ− ≥ 1 (differentiating through q^γ− below 1,
 * q^(γ−−1) is infinite where the margin zeroes q, and the JS kernel handles it).
 * @internal
 */
export function asymmetricTensorRoute(p: AsymmetricTermsParams): boolean {
  return p.detachFocusing || p.gammaNeg >= 1;
}

/**
 * The Asymmetric Loss in tensor ops with its closed-form gradient (the JS
 * kernel's formulas, for backends where a JS pass costs more than a few
 * dozen kernels: wasm, WebGL). With p = σ(x), q = max(p − m, 0) (or p without
 * a margin), p_m = 1 − q:
 *
 *   el = −y·max(log p, log ε)·(1−p)^γ+ − (1−y)·max(log p_m, log ε)·q^γ−
 *   ∂/∂x, positive part: −(1−p)^γ+·([p > ε]·(1−p) − γ+·p·max(log p, log ε))
 *   ∂/∂x, negative part: p(1−p)·([p_m > ε]·q^γ−/p_m − γ−·max(log p_m, log ε)·q^(γ−−1))·[q > 0]
 *
 * log p and log σ(−x) come from the stable softplus form; log p_m with a
 * margin from log1p(−q). Call inside `tf.tidy`, off the gradient tape.
 */
function asymmetricTerms(y: tf.Tensor, x: tf.Tensor, p: AsymmetricTermsParams): { el: tf.Tensor; g: tf.Tensor } {
  const logEps = Math.log(p.eps);
  const logitEps = Math.log(p.eps / (1 - p.eps)); // log σ(x) > log ε  ⇔  x > logit(ε)
  const negX = tf.neg(x);
  const tail = tf.log1p(expNegAbs(x)); // log(1 + e^−|x|)
  const s = tf.sigmoid(x);
  const sn = tf.sigmoid(negX);
  // Positives: ℓ+ = −lp·(1−p)^γ+.
  const lp = atLeast(tf.neg(tf.add(tf.relu(negX), tail)), logEps);
  const wp = p.gammaPos === 0 ? undefined : powerOf(sn, p.gammaPos);
  const livePos = tf.step(tf.sub(x, logitEps));
  const lossPos = wp === undefined ? lp : tf.mul(lp, wp);
  let gradPos = tf.mul(livePos, sn);
  if (p.gammaPos !== 0 && !p.detachFocusing) gradPos = tf.sub(gradPos, tf.mul(tf.mul(s, p.gammaPos), lp));
  if (wp !== undefined) gradPos = tf.mul(gradPos, wp);
  // Negatives: ℓ− = −ln·q^γ−.
  const q = p.clip > 0 ? tf.relu(tf.sub(s, p.clip)) : s;
  const logPm = p.clip > 0 ? tf.log1p(tf.neg(q)) : tf.neg(tf.add(tf.relu(x), tail));
  const ln = atLeast(logPm, logEps);
  const wn = powerOf(q, p.gammaNeg);
  const lossNeg = tf.mul(ln, wn);
  // The gradient through q^γ− (none when the focusing weight is detached).
  const focus = p.detachFocusing || p.gammaNeg === 0 ? undefined : tf.mul(tf.mul(ln, powerOf(q, p.gammaNeg - 1)), p.gammaNeg);
  let gradNeg: tf.Tensor;
  if (p.clip > 0) {
    // p_m ≥ m > 0, so the division is safe; below ε (only when m < ε) the clamped log carries no gradient.
    let direct = tf.div(wn, tf.sub(1, q));
    if (p.clip < p.eps) direct = tf.mul(direct, tf.step(tf.sub(logPm, logEps)));
    gradNeg = tf.mul(focus === undefined ? direct : tf.sub(direct, focus), tf.mul(s, sn));
    // Below the margin q = 0 and so is its derivative; q^γ− and q^(γ−−1) are 0 there too, unless γ− is 0 or 1.
    if (p.gammaNeg === 1 || p.gammaNeg === 0) gradNeg = tf.mul(gradNeg, tf.step(tf.sub(s, p.clip)));
  } else {
    // p_m = σ(−x): the p_m of ∂log p_m/∂x = −p cancels (no division by a p_m that underflows).
    const liveNeg = tf.step(tf.sub(negX, logitEps));
    const direct = tf.mul(liveNeg, wn);
    gradNeg = tf.mul(focus === undefined ? direct : tf.sub(direct, tf.mul(focus, sn)), s);
  }
  // el = −(ℓn + y·(ℓp − ℓn)) with ℓ = lp·w: one blend of the two branches (a soft label mixes them linearly).
  const el = tf.neg(tf.add(lossNeg, tf.mul(y, tf.sub(lossPos, lossNeg))));
  const g = tf.add(gradNeg, tf.mul(y, tf.sub(tf.neg(gradPos), gradNeg)));
  return { el, g };
}

/**
 * {@link asymmetricTerms} for 0/1 labels, as the official code computes it:
 * one log of the clamped probability each element needs (p for a positive,
 * p_m for a negative; log p rounds to 0 above p ≈ 1 − 6e-8 in float32, as it
 * does there), where the general form takes two stable logs. Call inside
 * `tf.tidy`, off the gradient tape.
 */
function asymmetricBinaryTerms(y: tf.Tensor, x: tf.Tensor, p: AsymmetricTermsParams): { el: tf.Tensor; g: tf.Tensor } {
  const s = tf.sigmoid(x);
  const sn = tf.sigmoid(tf.neg(x));
  const q = p.clip > 0 ? tf.relu(tf.sub(s, p.clip)) : s;
  const pm = p.clip > 0 ? tf.sub(1, q) : sn;
  // p on positives, p_m on negatives, each exact: y·s + (1 − y)·p_m, where p_m + y·(s − p_m) rounds a tiny s
  // to a multiple of 2^-24 (log σ(−14) came out 13.996 instead of 14).
  const notY = tf.sub(1, y);
  const arg = tf.add(tf.mul(y, s), tf.mul(notY, pm));
  const L = tf.log(atLeast(arg, p.eps));
  const live = tf.step(tf.sub(arg, p.eps)); // the clamp carries no gradient
  const wp = p.gammaPos === 0 ? undefined : powerOf(sn, p.gammaPos);
  const wn = powerOf(q, p.gammaNeg);
  const w = tf.add(tf.mul(notY, wn), wp === undefined ? y : tf.mul(y, wp));
  const el = tf.neg(tf.mul(L, w));
  // Positives: −(1−p)^γ+·([p > ε]·(1−p) − γ+·p·log p).
  let gPos = tf.mul(live, sn);
  if (p.gammaPos !== 0) gPos = tf.mul(p.detachFocusing ? gPos : tf.sub(gPos, tf.mul(tf.mul(s, p.gammaPos), L)), wp!);
  // Negatives: ∂q/∂x·([p_m > ε]·q^γ−/p_m − γ−·log p_m·q^(γ−−1)), ∂q/∂x = p(1−p) above the margin; the second
  // term only when the gradient flows through the focusing weight.
  const focus = p.detachFocusing || p.gammaNeg === 0 ? undefined : tf.mul(tf.mul(L, powerOf(q, p.gammaNeg - 1)), p.gammaNeg);
  let gNeg: tf.Tensor;
  if (p.clip > 0) {
    const direct = tf.div(tf.mul(live, wn), pm);
    gNeg = tf.mul(focus === undefined ? direct : tf.sub(direct, focus), tf.mul(s, sn));
    if (p.gammaNeg === 1 || p.gammaNeg === 0) gNeg = tf.mul(gNeg, tf.step(tf.sub(s, p.clip)));
  } else {
    const direct = tf.mul(live, wn);
    gNeg = tf.mul(focus === undefined ? direct : tf.sub(direct, tf.mul(focus, sn)), s); // p_m = 1 − p cancels
  }
  return { el, g: tf.sub(tf.mul(notY, gNeg), tf.mul(y, gPos)) };
}

/**
 * The per-sample Asymmetric Loss on logits [N] (Σ over the classes, times the
 * row scale), fused like {@link fusedBceRows}; `binary` (labels checked to be
 * 0 or 1) takes {@link asymmetricBinaryTerms}. Call inside `tf.tidy`.
 * @internal
 */
export function fusedAsymmetricRows(x: tf.Tensor, prepare: () => Prepared, p: AsymmetricTermsParams, binary = false): tf.Tensor {
  return fusedRows(x, prepare, (y, logits) => (binary ? asymmetricBinaryTerms : asymmetricTerms)(y, logits, p));
}

/**
 * The element-wise Asymmetric Loss [N, C] as one custom op with the
 * closed-form gradient of {@link asymmetricTerms}. Call inside `tf.tidy`.
 * @internal
 */
export function asymmetricElements(y: tf.Tensor, x: tf.Tensor, p: AsymmetricTermsParams): tf.Tensor {
  return elementOp(x, (logits) => asymmetricTerms(y, logits, p));
}

/** The Distribution-Balanced parameters the tensor route takes (all resolved). @internal */
export interface DistributionBalancedTermsParams {
  readonly alpha: number;
  readonly beta: number;
  readonly mu: number;
  readonly lambda: number;
  readonly focal: boolean;
  readonly gamma: number;
  readonly balance: number;
}

/** The per-class priors of the Distribution-Balanced loss as tensors [C]: 1/n_c, and the bias −κ·log(N/n_c − 1). @internal */
export interface DistributionBalancedPriors {
  readonly inverse: tf.Tensor;
  readonly bias: tf.Tensor;
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
  p: DistributionBalancedTermsParams,
  priors: DistributionBalancedPriors,
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
 * The per-sample Distribution-Balanced loss on logits [N] (Σ over the classes
 * times the row scale), fused like {@link fusedBceRows}. Call inside `tf.tidy`.
 * @internal
 */
export function fusedDistributionBalancedRows(
  x: tf.Tensor,
  prepare: () => Prepared,
  p: DistributionBalancedTermsParams,
  priors: DistributionBalancedPriors,
  binary: boolean,
): tf.Tensor {
  return fusedRows(x, prepare, (y, logits) => distributionBalancedTerms(y, logits, p, priors, binary));
}

/**
 * The element-wise Distribution-Balanced loss [N, C] as one custom op with
 * the closed-form gradient of {@link distributionBalancedTerms} (its general
 * form, for any targets in [0, 1]). Call inside `tf.tidy`.
 * @internal
 */
export function distributionBalancedElements(y: tf.Tensor, x: tf.Tensor, p: DistributionBalancedTermsParams, priors: DistributionBalancedPriors): tf.Tensor {
  return elementOp(x, (logits) => distributionBalancedTerms(y, logits, p, priors, false));
}
