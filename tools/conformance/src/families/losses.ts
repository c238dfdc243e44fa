import * as tf from '@tensorflow/tfjs-core';
import {
  WeightedBinaryCrossentropy,
  WeightedBinaryFocalCrossentropy,
  binaryCrossEntropy,
  sigmoidFocalLoss,
  softmaxCrossEntropy,
  type Reduction,
} from '@tfjs-imbalance/weighted-loss';
import { CaseFormatError, checkFields, runCase, type CaseResult, type Checker } from '../compare.js';

type Json = Record<string, unknown>;
type Matrix = number[][];

/** Runs `f` on a fresh tensor of `x` and returns the value and d/dx as nested arrays. */
export function valueAndGrad(x: Matrix, f: (t: tf.Tensor) => tf.Tensor): { value: unknown; grad: unknown } {
  return tf.tidy(() => {
    const { value, grad } = tf.valueAndGrad((t: tf.Tensor) => f(t) as tf.Scalar)(tf.tensor2d(x));
    return { value: value.arraySync(), grad: grad.arraySync() };
  });
}

function valueOf(f: () => tf.Tensor): unknown {
  return tf.tidy(() => f().arraySync());
}

/** A family's cases, which must be a list. */
export function cases(family: string, raw: unknown): Json[] {
  if (!Array.isArray(raw)) throw new CaseFormatError(`${family}: cases must be a list`);
  return raw as Json[];
}

/** The `bce` family: PyTorch's `binary_cross_entropy_with_logits` with `weight` and `pos_weight`, values and gradients. */
export async function runBce(raw: unknown): Promise<CaseResult[]> {
  const out: CaseResult[] = [];
  for (const c of cases('bce', raw)) {
    const name = String(c['name']);
    checkFields(name, c, ['name', 'logits', 'targets', 'weight', 'pos_weight', 'none', 'mean', 'grad_mean', 'sum', 'grad_sum', 'per_sample_mean_over_classes']);
    const x = c['logits'] as Matrix;
    const y = c['targets'] as Matrix;
    const args = {
      ...(c['weight'] === null ? {} : { weights: c['weight'] as Matrix }),
      ...(c['pos_weight'] === null ? {} : { posWeight: c['pos_weight'] as number[] }),
    };
    out.push(
      await runCase(name, (check) => {
        const bce = (reduction: Reduction) => (t: tf.Tensor) => binaryCrossEntropy(y, t, { ...args, reduction });
        check.close('none', valueOf(() => bce('none')(tf.tensor2d(x))), c['none']);
        for (const red of ['mean', 'sum'] as const) {
          const { value, grad } = valueAndGrad(x, bce(red));
          check.close(red, value, c[red]);
          check.close(`grad_${red}`, grad, c[`grad_${red}`]);
        }
        check.close('per_sample_mean_over_classes', valueOf(() => bce('per-sample')(tf.tensor2d(x))), c['per_sample_mean_over_classes']);
        if (c['weight'] === null) checkLossClass(check, x, y, c['pos_weight'] as number[] | null, c['per_sample_mean_over_classes']);
        else if (name.startsWith('sample_matrix_') || name.startsWith('both_')) {
          checkWeightedClass(check, x, y, c['weight'] as Matrix, c['pos_weight'] as number[] | null, c['per_sample_mean_over_classes'], c['grad_mean']);
        }
      }),
    );
  }
  return out;
}

/** Without sample weights, the compile-ready loss class (uniform class weights, mean rule) must give the same per-sample loss. */
function checkLossClass(check: Checker, x: Matrix, y: Matrix, posWeight: number[] | null, expected: unknown): void {
  const loss = new WeightedBinaryCrossentropy({
    numClasses: x[0]!.length,
    combine: 'mean',
    ...(posWeight === null ? {} : { posWeight }),
  });
  try {
    check.close('WeightedBinaryCrossentropy (per sample)', valueOf(() => loss(tf.tensor2d(y), tf.tensor2d(x))), expected);
  } finally {
    loss.dispose();
  }
}

/**
 * Class weights w ≥ 0 with Σ_c y_ic·w_c = s_i for every row (the sum rule),
 * found by projected coordinate descent on the squared residual. The vectors
 * hold the per-sample weights the reference computed from class weights that
 * it does not record; any non-negative solution gives the loss class the same
 * per-sample weights on these rows, which is what the check needs.
 */
export function classWeightsForRows(y: Matrix, s: readonly number[]): number[] {
  const C = y[0]!.length;
  const w = new Array<number>(C).fill(0);
  const r = s.slice(); // residual s − Y·w
  const colNorm = Array.from({ length: C }, (_, c) => y.reduce((t, row) => t + row[c]! * row[c]!, 0));
  for (let sweep = 0; sweep < 20000; sweep++) {
    let moved = 0;
    for (let c = 0; c < C; c++) {
      if (colNorm[c] === 0) continue;
      const step = y.reduce((t, row, i) => t + row[c]! * r[i]!, 0) / colNorm[c]!;
      const next = Math.max(0, w[c]! + step);
      const d = next - w[c]!;
      if (d === 0) continue;
      w[c] = next;
      y.forEach((row, i) => (r[i] = r[i]! - row[c]! * d));
      moved = Math.max(moved, Math.abs(d));
    }
    if (moved < 1e-13) break;
  }
  const worst = r.reduce((m, v, i) => Math.max(m, Math.abs(v) / Math.max(Math.abs(s[i]!), 1e-30)), 0);
  if (worst > 1e-6) throw new CaseFormatError(`the per-sample weights are not a sum of non-negative class weights (relative residual ${worst})`);
  return w;
}

/**
 * With per-sample weights from labels (rows of equal values, 0 on rows with no
 * positive label), the compile-ready class with the sum rule and matching class
 * weights must give the same per-sample loss and the same batch-mean gradient
 * (its fused closed form).
 */
function checkWeightedClass(
  check: Checker,
  x: Matrix,
  y: Matrix,
  weight: Matrix,
  posWeight: number[] | null,
  perSample: unknown,
  gradMean: unknown,
): void {
  const loss = new WeightedBinaryCrossentropy({
    classWeights: classWeightsForRows(y, weight.map((row) => row[0]!)),
    combine: 'sum',
    emptyRowWeight: 0,
    ...(posWeight === null ? {} : { posWeight }),
  });
  try {
    check.close('WeightedBinaryCrossentropy, sum rule (per sample)', valueOf(() => loss(tf.tensor2d(y), tf.tensor2d(x))), perSample);
    const { grad } = valueAndGrad(x, (t) => tf.mean(loss(tf.tensor2d(y), t)));
    check.close('WeightedBinaryCrossentropy, sum rule (gradient of the batch mean)', grad, gradMean);
  } finally {
    loss.dispose();
  }
}

/** The `focal` family: torchvision's `sigmoid_focal_loss`, and the class-balanced focal loss. */
export async function runFocal(raw: unknown): Promise<CaseResult[]> {
  const out: CaseResult[] = [];
  for (const c of cases('focal', raw)) {
    const name = String(c['name']);
    checkFields(name, c, ['name', 'logits', 'targets', 'alpha', 'gamma', 'none', 'grad_mean', 'cb_weights', 'cb_focal_sum_over_positives']);
    const x = c['logits'] as Matrix;
    const y = c['targets'] as Matrix;
    const gamma = c['gamma'] as number;
    const alpha = c['alpha'] as number;
    out.push(
      await runCase(name, (check) => {
        check.close('none', valueOf(() => sigmoidFocalLoss(y, x, { gamma, alpha, reduction: 'none' })), c['none']);
        const { grad } = valueAndGrad(x, (t) => sigmoidFocalLoss(y, t, { gamma, alpha, reduction: 'mean' }));
        check.close('grad_mean', grad, c['grad_mean']);
        const cb = valueOf(() =>
          sigmoidFocalLoss(y, x, { gamma, alpha: -1, weights: c['cb_weights'] as Matrix, reduction: 'sum-over-positives' }),
        );
        check.close('cb_focal_sum_over_positives', cb, c['cb_focal_sum_over_positives']);
        // The same through the compile-ready class, as its docs give the recipe: sum rule, normalizeBy 'positives'.
        const W = c['cb_weights'] as Matrix;
        const loss = new WeightedBinaryFocalCrossentropy({
          classWeights: classWeightsForRows(y, W.map((row) => row[0]!)),
          combine: 'sum',
          emptyRowWeight: 0,
          gamma,
          normalizeBy: 'positives',
        });
        try {
          const mean = valueOf(() => tf.mean(loss(tf.tensor2d(y), tf.tensor2d(x))));
          check.close('WeightedBinaryFocalCrossentropy, normalizeBy positives (batch mean)', mean, c['cb_focal_sum_over_positives']);
        } finally {
          loss.dispose();
        }
      }),
    );
  }
  return out;
}

/** The `softmax_ce` family: PyTorch's `cross_entropy` with class weights, both batch conventions. */
export async function runSoftmaxCe(raw: unknown): Promise<CaseResult[]> {
  const out: CaseResult[] = [];
  for (const c of cases('softmax_ce', raw)) {
    const name = String(c['name']);
    checkFields(name, c, ['name', 'logits', 'labels', 'class_weights', 'none', 'mean_over_batch', 'torch_mean_over_weight_sum', 'grad_mean_over_batch']);
    const x = c['logits'] as Matrix;
    const labels = c['labels'] as number[];
    const classWeights = c['class_weights'] as number[];
    out.push(
      await runCase(name, (check) => {
        check.close('none', valueOf(() => softmaxCrossEntropy(labels, x, { classWeights, reduction: 'none' })), c['none']);
        const { value, grad } = valueAndGrad(x, (t) => softmaxCrossEntropy(labels, t, { classWeights, reduction: 'mean' }));
        check.close('mean_over_batch', value, c['mean_over_batch']);
        check.close('grad_mean_over_batch', grad, c['grad_mean_over_batch']);
        check.close(
          'torch_mean_over_weight_sum',
          valueOf(() => softmaxCrossEntropy(labels, x, { classWeights, reduction: 'weighted-mean' })),
          c['torch_mean_over_weight_sum'],
        );
      }),
    );
  }
  return out;
}
