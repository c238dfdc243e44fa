import * as tf from '@tensorflow/tfjs-core';
import {
  AsymmetricLoss,
  DistributionBalancedLoss,
  WeightedCategoricalCrossentropy,
  adjustLogits,
  logitAdjustedCrossEntropy,
  sigmoidAsymmetricLoss,
  sigmoidDistributionBalancedLoss,
  type Reduction,
  type WeightedLoss,
} from '@tfjs-imbalance/weighted-loss';
import { checkFields, runCase, type CaseResult, type Checker } from '../compare.js';
import { cases, valueAndGrad } from './losses.js';

type Matrix = number[][];

/**
 * Checks a compile-ready loss class on the case: its batch mean (what tfjs
 * trains on) and that mean's gradient against the expected values; disposes the loss.
 */
function checkClass(check: Checker, name: string, loss: WeightedLoss, y: tf.Tensor, x: Matrix, value: unknown, grad: unknown): void {
  try {
    const got = valueAndGrad(x, (t) => tf.mean(loss(y, t)));
    check.close(`${name} (batch mean)`, got.value, value);
    check.close(`${name} (gradient)`, got.grad, grad);
  } finally {
    loss.dispose();
    y.dispose();
  }
}

/** The `asl` family: the official AsymmetricLoss, element-wise, summed (with its gradient) and averaged; and the loss class. */
export async function runAsl(raw: unknown): Promise<CaseResult[]> {
  const out: CaseResult[] = [];
  for (const c of cases('asl', raw)) {
    const name = String(c['name']);
    checkFields(name, c, ['name', 'logits', 'targets', 'gamma_neg', 'gamma_pos', 'clip', 'eps', 'none', 'sum', 'mean', 'grad_sum', 'grad_sum_detached']);
    const x = c['logits'] as Matrix;
    const y = c['targets'] as Matrix;
    const params = { gammaNeg: c['gamma_neg'] as number, gammaPos: c['gamma_pos'] as number, clip: c['clip'] as number, epsilon: c['eps'] as number };
    out.push(
      await runCase(name, (check) => {
        // grad_sum_detached is the official training gradient (the default); grad_sum flows through the focusing weight.
        for (const [field, detachFocusing] of [['grad_sum_detached', true], ['grad_sum', false]] as const) {
          const asl = (reduction: Reduction) => (t: tf.Tensor) => sigmoidAsymmetricLoss(y, t, { ...params, ...(detachFocusing ? {} : { detachFocusing }), reduction });
          check.close('none', tf.tidy(() => asl('none')(tf.tensor2d(x)).arraySync()), c['none']);
          const { value, grad } = valueAndGrad(x, asl('sum'));
          check.close('sum', value, c['sum']);
          check.close(field, grad, c[field]);
          check.close('mean', tf.tidy(() => asl('mean')(tf.tensor2d(x)).arraySync()), c['mean']);
          // The compile-ready class: per sample, the sum over the classes; its batch mean is the official sum / N.
          const perRow = (c[field] as Matrix).map((r) => r.map((v) => v / x.length));
          const loss = new AsymmetricLoss({ numClasses: x[0]!.length, ...params, ...(detachFocusing ? {} : { detachFocusing }) });
          checkClass(check, 'AsymmetricLoss', loss, tf.tensor2d(y), x, (c['sum'] as number) / x.length, perRow);
        }
      }),
    );
  }
  return out;
}

/** The `db` family: the Distribution-Balanced loss (corrected bias), element-wise, mean, sum and d(mean)/dx; and the loss class. */
export async function runDb(raw: unknown): Promise<CaseResult[]> {
  const out: CaseResult[] = [];
  for (const c of cases('db', raw)) {
    const name = String(c['name']);
    checkFields(name, c, ['name', 'logits', 'targets', 'class_counts', 'train_num', 'params', 'weights', 'none', 'mean', 'sum', 'grad_mean']);
    const x = c['logits'] as Matrix;
    const y = c['targets'] as Matrix;
    const p = c['params'] as Record<string, number | boolean>;
    checkFields(`${name}.params`, p, ['alpha', 'beta', 'mu', 'kappa', 'lambda', 'gamma', 'balance', 'focal']);
    const params = {
      alpha: p['alpha'] as number,
      beta: p['beta'] as number,
      mu: p['mu'] as number,
      kappa: p['kappa'] as number,
      lambda: p['lambda'] as number,
      gamma: p['gamma'] as number,
      balance: p['balance'] as number,
      focal: p['focal'] as boolean,
    };
    const counts = { counts: c['class_counts'] as number[], trainNum: c['train_num'] as number };
    out.push(
      await runCase(name, (check) => {
        const db = (reduction: Reduction) => (t: tf.Tensor) => sigmoidDistributionBalancedLoss(y, t, { ...params, ...counts, reduction });
        check.close('none', tf.tidy(() => db('none')(tf.tensor2d(x)).arraySync()), c['none']);
        check.close('sum', tf.tidy(() => db('sum')(tf.tensor2d(x)).arraySync()), c['sum']);
        const { value, grad } = valueAndGrad(x, db('mean'));
        check.close('mean', value, c['mean']);
        check.close('grad_mean', grad, c['grad_mean']);
        // The compile-ready class with the same counts: its batch mean is the official mean, with the same gradient.
        const loss = new DistributionBalancedLoss({ ...params, counts: { positives: counts.counts, samples: counts.trainNum, emptyRows: 0 } });
        checkClass(check, 'DistributionBalancedLoss', loss, tf.tensor2d(y), x, c['mean'], c['grad_mean']);
      }),
    );
  }
  return out;
}

/** The `logit_adjusted_ce` family: cross_entropy(x + τ·log prior, y), its gradient, the post-hoc x − τ·log prior, and the loss class. */
export async function runLogitAdjusted(raw: unknown): Promise<CaseResult[]> {
  const out: CaseResult[] = [];
  for (const c of cases('logit_adjusted_ce', raw)) {
    const name = String(c['name']);
    checkFields(name, c, ['name', 'logits', 'labels', 'class_counts', 'tau', 'none', 'mean', 'grad_mean', 'posthoc_logits']);
    const x = c['logits'] as Matrix;
    const labels = c['labels'] as number[];
    const adj = { counts: c['class_counts'] as number[], tau: c['tau'] as number };
    out.push(
      await runCase(name, (check) => {
        check.close('none', tf.tidy(() => logitAdjustedCrossEntropy(labels, x, { ...adj, reduction: 'none' }).arraySync()), c['none']);
        const { value, grad } = valueAndGrad(x, (t) => logitAdjustedCrossEntropy(labels, t, adj));
        check.close('mean', value, c['mean']);
        check.close('grad_mean', grad, c['grad_mean']);
        check.close('posthoc_logits', tf.tidy(() => adjustLogits(x, adj).arraySync()), c['posthoc_logits']);
        const loss = new WeightedCategoricalCrossentropy({ numClasses: x[0]!.length, logitAdjustment: adj });
        checkClass(check, 'WeightedCategoricalCrossentropy (logitAdjustment)', loss, tf.tensor1d(labels), x, c['mean'], c['grad_mean']);
      }),
    );
  }
  return out;
}
