import { fbetaCoefficients } from './fbeta-scores.js';

/** @internal */
export const sum = (a: readonly number[]) => a.reduce((x, v) => x + v, 0);

/** The per-class state {@link keepMicroFloor} reads and changes. */
export interface FloorState {
  /** Each class's positives, its cuts' counts from the highest score down, and its counts at `initial`. */
  readonly cuts: readonly {
    readonly positives: number;
    readonly tp: readonly number[];
    readonly fp: readonly number[];
    readonly tp0: number;
    readonly fp0: number;
  }[];
  readonly tunable: readonly boolean[];
  /** Each class's threshold and its counts on the rows; changed in place. */
  readonly thresholds: number[];
  readonly tp: number[];
  readonly fp: number[];
  readonly initial: number;
  readonly beta: number;
  readonly fOf: (tp: number, fp: number, fn: number) => number;
  /** The probability threshold of class c's cut j, or undefined where none expresses it. */
  readonly thresholdOf: (c: number, j: number) => number | undefined;
  /** What each class's F-beta counts for in the objective kept best. Defaults to 1/C each (macro F-beta). */
  readonly weights?: readonly number[] | undefined;
  /**
   * Each class keeps its threshold or moves to a cut at or above it (or to
   * `initial` if that is at or above it): the floor only raises thresholds
   * that were not fitted to these rows (bagged cuts). Defaults to `false`:
   * any cut, or `initial`.
   */
  readonly raiseOnly?: boolean;
  /** See {@link MicroFloor.maxObjectiveDrop}. */
  readonly maxObjectiveDrop?: number | undefined;
}

/** A micro F-beta floor for one tuning pass, and the objective it gives up least of. @internal */
export interface MicroFloor {
  /** The micro F-beta the thresholds must keep on the tuning rows. */
  readonly micro: number;
  /** Each class's weight in the objective (summing to 1). Defaults to 1/C each: macro F-beta. */
  readonly weights?: readonly number[] | undefined;
  /**
   * The most the floor may take the objective below its value at `initial`
   * on the tuning rows: where keeping `micro` would cost more, the thresholds
   * keep as much micro F-beta as they can within it. Defaults to no limit.
   */
  readonly maxObjectiveDrop?: number | undefined;
}

/**
 * Per-class thresholds that keep micro F-beta at least `m` with the least
 * macro F-beta given up: the best macro under a micro constraint (or the
 * best Σ w_c·F_c with `weights`, such as a macro over the rarest classes).
 *
 * Micro F-beta ≥ m is linear in the counts: with F = (1+β²)TP / ((1+β²)TP +
 * β²(P − TP) + FP), it holds exactly when Σ_c (A·tp_c − m·fp_c) ≥ m·β²·P,
 * A = 1 + β² − m. So a Lagrange multiplier λ separates the classes: each
 * picks the cut (or `initial`) that maximises w_c·F_c + λ·(A·tp_c −
 * m·fp_c), w_c = 1/C by default, and the smallest λ whose picks meet the constraint is found by
 * bisection (the picks' constraint term grows with λ). λ = 0 gives each
 * class its own best cut; a large λ, the micro-optimal cuts. Only the
 * tunable classes move. Nothing changes when the thresholds already keep
 * `m`, nor when no λ reaches it (the run cannot keep it: its thresholds stay
 * the best for macro F-beta).
 */
export function keepMicroFloor(m: number, st: FloorState): void {
  const { cuts, tunable, tp, fp, fOf } = st;
  const C = cuts.length;
  const P = cuts.reduce((a, k) => a + k.positives, 0);
  const microOf = (TP: number, FP: number) => fOf(TP, FP, P - TP);
  if (microOf(sum(tp), sum(fp)) >= m) return;
  // F = a·TP / (a·TP + b·FN + c·FP) ≥ m  ⇔  Σ_c (A·tp_c − B·fp_c) ≥ m·b·P.
  const { a, b, c: cf } = fbetaCoefficients(st.beta);
  const A = a * (1 - m) + m * b;
  const B = m * cf;
  // Each tunable class's options: `initial` (index -1), its threshold as it is (index -2, with raiseOnly) and the cuts a
  // probability threshold expresses (with raiseOnly, those at or above it).
  const options = cuts.map((k, c) => {
    if (!tunable[c]) return undefined;
    const now = st.thresholds[c]!;
    const j = st.raiseOnly === true ? [-2, ...(st.initial >= now ? [-1] : [])] : [-1];
    for (let i = 0; i < k.tp.length; i++) {
      const t = st.thresholdOf(c, i);
      if (t !== undefined && (st.raiseOnly !== true || t >= now)) j.push(i);
    }
    const tpOf = (i: number) => (i === -2 ? tp[c]! : i < 0 ? k.tp0 : k.tp[i]!);
    const fpOf = (i: number) => (i === -2 ? fp[c]! : i < 0 ? k.fp0 : k.fp[i]!);
    return {
      j,
      f: j.map((i) => {
        const f = fOf(tpOf(i), fpOf(i), k.positives - tpOf(i));
        return st.weights ? st.weights[c]! * f : f / C;
      }),
      g: j.map((i) => A * tpOf(i) - B * fpOf(i)),
      tp: j.map(tpOf),
      fp: j.map(fpOf),
    };
  });
  // The objective (Σ w_c·F_c over every class) at `initial`, and the least it may fall to.
  const weightOf = (c: number) => (st.weights ? st.weights[c]! : 1 / C);
  const objective0 = cuts.reduce((a, k, c) => a + weightOf(c) * fOf(k.tp0, k.fp0, k.positives - k.tp0), 0);
  const fixed = cuts.reduce((a, k, c) => a + (options[c] === undefined ? weightOf(c) * fOf(tp[c]!, fp[c]!, k.positives - tp[c]!) : 0), 0);
  const least = st.maxObjectiveDrop === undefined ? -Infinity : objective0 - st.maxObjectiveDrop;
  const pick = (lambda: number) => {
    let TP = 0;
    let FP = 0;
    let objective = fixed;
    const choice = options.map((o, c) => {
      if (o === undefined) {
        TP += tp[c]!;
        FP += fp[c]!;
        return -1;
      }
      let best = 0;
      for (let i = 1; i < o.j.length; i++) if (o.f[i]! + lambda * o.g[i]! > o.f[best]! + lambda * o.g[best]!) best = i;
      TP += o.tp[best]!;
      FP += o.fp[best]!;
      objective += o.f[best]!;
      return best;
    });
    return { choice, ok: microOf(TP, FP) >= m, within: objective >= least - 1e-12 };
  };
  // λ on a log scale: 1e-12 leaves each class's own best; 1e4 outweighs any w_c·F_c (≤ 1) against count changes of 1.
  // The picks' micro F-beta rises and their objective falls with λ: the smallest λ that keeps the floor, unless that
  // costs more of the objective than allowed, then the largest λ within the allowance (as much micro as it can keep).
  let lo = -12;
  let hi = 4;
  let found = pick(10 ** hi);
  if (!found.ok) return;
  for (let it = 0; it < 48; it++) {
    const mid = (lo + hi) / 2;
    const r = pick(10 ** mid);
    if (r.ok) [hi, found] = [mid, r];
    else lo = mid;
  }
  if (!found.within) {
    lo = -12;
    let within = pick(10 ** lo);
    if (!within.within) return;
    for (let it = 0; it < 48; it++) {
      const mid = (lo + hi) / 2;
      const r = pick(10 ** mid);
      if (r.within) [lo, within] = [mid, r];
      else hi = mid;
    }
    found = within;
  }
  found.choice.forEach((i, c) => {
    const o = options[c];
    if (o === undefined) return;
    const j = o.j[i]!;
    if (j === -2) return;
    st.thresholds[c] = j < 0 ? st.initial : st.thresholdOf(c, j)!;
    tp[c] = o.tp[i]!;
    fp[c] = o.fp[i]!;
  });
}
