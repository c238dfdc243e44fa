import * as tf from '@tensorflow/tfjs-core';
import { atLeast, type ElementKernel, type ElementMath, expNegAbs, power, powerOf } from '../kit.js';
import type { ResolvedAsymmetricParams } from './params.js';

/**
 * The Asymmetric Loss's math on logits in both routes. `binary` (this
 * batch's labels were checked to be 0 or 1, and are not smoothed) takes the
 * official one-log form in the tensor route.
 * @internal
 */
export function asymmetricMath(p: ResolvedAsymmetricParams, binary = false): ElementMath {
  return {
    terms: hasTensorForm(p) ? (y, x) => (binary ? asymmetricBinaryTerms : asymmetricTerms)(y, x, p) : undefined,
    kernel: asymmetricKernel(p),
  };
}

/**
 * Whether {@link asymmetricTerms} covers these parameters: a detached
 * focusing weight, or γ− ≥ 1 (differentiating through q^γ− below 1,
 * q^(γ−−1) is infinite where the margin zeroes q, and the JS kernel handles it).
 */
function hasTensorForm(p: ResolvedAsymmetricParams): boolean {
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
function asymmetricTerms(y: tf.Tensor, x: tf.Tensor, p: ResolvedAsymmetricParams): { el: tf.Tensor; g: tf.Tensor } {
  const logEps = Math.log(p.epsilon);
  const logitEps = Math.log(p.epsilon / (1 - p.epsilon)); // log σ(x) > log ε  ⇔  x > logit(ε)
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
    if (p.clip < p.epsilon) direct = tf.mul(direct, tf.step(tf.sub(logPm, logEps)));
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
function asymmetricBinaryTerms(y: tf.Tensor, x: tf.Tensor, p: ResolvedAsymmetricParams): { el: tf.Tensor; g: tf.Tensor } {
  const s = tf.sigmoid(x);
  const sn = tf.sigmoid(tf.neg(x));
  const q = p.clip > 0 ? tf.relu(tf.sub(s, p.clip)) : s;
  const pm = p.clip > 0 ? tf.sub(1, q) : sn;
  // p on positives, p_m on negatives, each exact: y·s + (1 − y)·p_m, where p_m + y·(s − p_m) rounds a tiny s
  // to a multiple of 2^-24 (log σ(−14) came out 13.996 instead of 14).
  const notY = tf.sub(1, y);
  const arg = tf.add(tf.mul(y, s), tf.mul(notY, pm));
  const L = tf.log(atLeast(arg, p.epsilon));
  const live = tf.step(tf.sub(arg, p.epsilon)); // the clamp carries no gradient
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
 * The Asymmetric Loss kernel (see {@link asymmetricTerms} for the formulas). A
 * binary label computes one branch; a soft label blends both linearly.
 */
function asymmetricKernel(p: ResolvedAsymmetricParams): ElementKernel {
  const logEps = Math.log(p.epsilon);
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
