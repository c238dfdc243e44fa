import * as tf from '@tensorflow/tfjs-core';
import {
  WeightedBinaryCrossentropy,
  WeightedCategoricalCrossentropy,
  WeightedCategoricalFocalCrossentropy,
  binaryCrossEntropy,
  sigmoidFocalLoss,
  softmaxCrossEntropy,
  softmaxFocalLoss,
} from '@tfjs-imbalance/weighted-loss';
import { CaseFormatError, checkFields, runCase, type CaseResult, type Checker } from '../compare.js';
import { cases } from './losses.js';

type Json = Record<string, unknown>;
type Nested = number | Nested[];

/** The value of `f` at a fresh tensor of `x` (any rank) and d(value)/dx, as nested arrays. */
function valueAndGradNd(x: Nested, f: (t: tf.Tensor) => tf.Tensor): { value: unknown; grad: unknown } {
  return tf.tidy(() => {
    const { value, grad } = tf.valueAndGrad((t: tf.Tensor) => f(t) as tf.Scalar)(tf.tensor(x as number[]));
    return { value: value.arraySync(), grad: grad.arraySync() };
  });
}

function valueOf(f: () => tf.Tensor): unknown {
  return tf.tidy(() => f().arraySync());
}

/** Runs `body` with a loss class, and frees it. */
function withLoss<L extends { dispose(): void }>(make: () => L, body: (loss: L) => void): void {
  const loss = make();
  try {
    body(loss);
  } finally {
    loss.dispose();
  }
}

const FIELDS: Record<string, readonly string[]> = {
  bce: ['kind', 'name', 'logits', 'targets', 'weight', 'pos_weight', 'none', 'mean', 'grad_mean', 'per_position'],
  sigmoid_focal: ['kind', 'name', 'logits', 'targets', 'alpha', 'gamma', 'none', 'grad_mean'],
  softmax_ce: ['kind', 'name', 'logits', 'labels', 'class_weights', 'ignore_index', 'none', 'torch_mean', 'keras_mean', 'grad_keras_mean'],
  softmax_focal: ['kind', 'name', 'logits', 'labels', 'alpha', 'gamma', 'label_smoothing', 'none', 'mean', 'grad_mean'],
};

function checkBce(check: Checker, c: Json): void {
  const x = c['logits'] as Nested;
  const y = c['targets'] as Nested;
  const args = {
    ...(c['weight'] === null ? {} : { weights: c['weight'] as number[] }),
    ...(c['pos_weight'] === null ? {} : { posWeight: c['pos_weight'] as number[] }),
  };
  check.close('none', valueOf(() => binaryCrossEntropy(y as number[], x as number[], { ...args, reduction: 'none' })), c['none']);
  const { value, grad } = valueAndGradNd(x, (t) => binaryCrossEntropy(y as number[], t, { ...args, reduction: 'mean' }));
  check.close('mean', value, c['mean']);
  check.close('grad_mean', grad, c['grad_mean']);
  check.close('per_position', valueOf(() => binaryCrossEntropy(y as number[], x as number[], { ...args, reduction: 'per-sample' })), c['per_position']);
  // The compile-ready class on per-position outputs: no sample weights, per-class pos_weight.
  const pw = c['pos_weight'] as Nested[] | null;
  if (c['weight'] === null && (pw === null || typeof pw[0] === 'number')) {
    const C = (tf.tidy(() => tf.tensor(x as number[]).shape) as number[]).at(-1)!;
    withLoss(
      () => new WeightedBinaryCrossentropy({ numClasses: C, combine: 'mean', ...(pw === null ? {} : { posWeight: pw as number[] }) }),
      (loss) => {
        check.close('WeightedBinaryCrossentropy (per position)', valueOf(() => loss(tf.tensor(y as number[]), tf.tensor(x as number[]))), c['per_position']);
        const { grad: g } = valueAndGradNd(x, (t) => tf.mean(loss(tf.tensor(y as number[]), t)));
        check.close('WeightedBinaryCrossentropy (gradient of the mean, per element)', g, c['grad_mean']);
      },
    );
  }
}

function checkSoftmaxCe(check: Checker, c: Json): void {
  const x = c['logits'] as Nested;
  const labels = c['labels'] as number[];
  const cw = c['class_weights'] as number[] | null;
  const ignore = c['ignore_index'] as number | null;
  const args = { ...(cw === null ? {} : { classWeights: cw }), ...(ignore === null ? {} : { ignoreIndex: ignore }) };
  check.close('none', valueOf(() => softmaxCrossEntropy(labels, x as number[], { ...args, reduction: 'none' })), c['none']);
  check.close('torch_mean', valueOf(() => softmaxCrossEntropy(labels, x as number[], { ...args, reduction: 'weighted-mean' })), c['torch_mean']);
  const { value, grad } = valueAndGradNd(x, (t) => softmaxCrossEntropy(labels, t, { ...args, reduction: 'mean' }));
  check.close('keras_mean', value, c['keras_mean']);
  check.close('grad_keras_mean', grad, c['grad_keras_mean']);
  // The compile-ready class: tfjs' mean of its per-position output is Keras' masked mean.
  const C = (cw ?? []).length || (tf.tidy(() => tf.tensor(x as number[]).shape) as number[]).at(-1)!;
  withLoss(
    () => new WeightedCategoricalCrossentropy({ ...(cw === null ? { numClasses: C } : { classWeights: cw }), ...(ignore === null ? {} : { ignoreClass: ignore }) }),
    (loss) => {
      const { value: v, grad: g } = valueAndGradNd(x, (t) => tf.mean(loss(tf.tensor(labels), t)));
      check.close('WeightedCategoricalCrossentropy (batch mean)', v, c['keras_mean']);
      check.close('WeightedCategoricalCrossentropy (gradient of the batch mean)', g, c['grad_keras_mean']);
    },
  );
}

function checkSoftmaxFocal(check: Checker, c: Json): void {
  const x = c['logits'] as Nested;
  const labels = c['labels'] as number[];
  const p = { gamma: c['gamma'] as number, alpha: c['alpha'] as number | number[], labelSmoothing: c['label_smoothing'] as number };
  check.close('none', valueOf(() => softmaxFocalLoss(labels, x as number[], { ...p, reduction: 'none' })), c['none']);
  const { value, grad } = valueAndGradNd(x, (t) => softmaxFocalLoss(labels, t, { ...p, reduction: 'mean' }));
  check.close('mean', value, c['mean']);
  check.close('grad_mean', grad, c['grad_mean']);
  const C = (tf.tidy(() => tf.tensor(x as number[]).shape) as number[]).at(-1)!;
  withLoss(
    () => new WeightedCategoricalFocalCrossentropy({ numClasses: C, ...p }),
    (loss) => {
      check.close('WeightedCategoricalFocalCrossentropy (per position)', valueOf(() => loss(tf.tensor(labels), tf.tensor(x as number[]))), c['none']);
      const { grad: g } = valueAndGradNd(x, (t) => tf.mean(loss(tf.tensor(labels), t)));
      check.close('WeightedCategoricalFocalCrossentropy (gradient of the batch mean)', g, c['grad_mean']);
    },
  );
}

/**
 * The `positions` family: losses on per-position outputs, class axis last
 * ([N, T, C], [N, H, W, C]), against PyTorch (BCE with every `weight` and
 * `pos_weight` broadcast, cross-entropy with `ignore_index`), torchvision's
 * focal loss and Keras' categorical focal loss; functional forms and the
 * compile-ready classes.
 */
export async function runPositions(raw: unknown): Promise<CaseResult[]> {
  const out: CaseResult[] = [];
  for (const c of cases('positions', raw)) {
    const name = String(c['name']);
    const kind = String(c['kind']);
    const fields = FIELDS[kind];
    if (fields === undefined) throw new CaseFormatError(`${name}: unknown kind "${kind}" (known: ${Object.keys(FIELDS).join(', ')})`);
    checkFields(name, c, fields);
    out.push(
      await runCase(name, (check) => {
        if (kind === 'bce') checkBce(check, c);
        else if (kind === 'sigmoid_focal') {
          const x = c['logits'] as Nested;
          const y = c['targets'] as Nested;
          const p = { gamma: c['gamma'] as number, alpha: c['alpha'] as number };
          check.close('none', valueOf(() => sigmoidFocalLoss(y as number[], x as number[], { ...p, reduction: 'none' })), c['none']);
          check.close('grad_mean', valueAndGradNd(x, (t) => sigmoidFocalLoss(y as number[], t, { ...p, reduction: 'mean' })).grad, c['grad_mean']);
        } else if (kind === 'softmax_ce') checkSoftmaxCe(check, c);
        else checkSoftmaxFocal(check, c);
      }),
    );
  }
  return out;
}
