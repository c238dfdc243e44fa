import * as fc from 'fast-check';
import * as tf from '@tensorflow/tfjs-core';
import * as tfd from '@tensorflow/tfjs-data';
import * as tfl from '@tensorflow/tfjs-layers';
import { countMultiHot, sampleWeights } from '@tfjs-imbalance/weight-schemes';
import {
  DistributionBalancedLoss,
  asymmetricLoss,
  distributionBalancedLoss,
  lossFromConfig,
  sigmoidAsymmetricLoss,
  sigmoidDistributionBalancedLoss,
} from '@tfjs-imbalance/weighted-loss';
import { asymmetricElements, distributionBalancedElements, fusedAsymmetricRows, fusedDistributionBalancedRows } from './tensor-route-ops';
import { sampleWeightCallback } from '@tfjs-imbalance/sample-weight-callback';
import { useTensorRoute } from '../../../jest.tensor-route';

/** The official formulas, term by term, differentiated by tfjs' autodiff (the fused ops must agree). */
function aslReference(y: tf.Tensor, x: tf.Tensor, gneg: number, gpos: number, clip: number, eps: number, detach = false): tf.Tensor {
  const s = tf.sigmoid(x);
  let sn = tf.sub(1, s);
  if (clip > 0) sn = tf.minimum(tf.add(sn, clip), 1);
  let loss = tf.add(tf.mul(y, tf.log(tf.maximum(s, eps))), tf.mul(tf.sub(1, y), tf.log(tf.maximum(sn, eps))));
  if (gneg > 0 || gpos > 0) {
    const pt = tf.add(tf.mul(s, y), tf.mul(sn, tf.sub(1, y)));
    const w = tf.pow(tf.sub(1, pt), tf.add(tf.mul(y, gpos), tf.mul(tf.sub(1, y), gneg)));
    // The official default (disable_torch_grad_focal_loss=True): the weight as a constant, off the tape.
    loss = tf.mul(loss, detach ? tf.tensor(w.dataSync(), w.shape) : w);
  }
  return tf.neg(loss);
}

function dbReference(y: tf.Tensor, x: tf.Tensor, counts: number[], N: number, p: { alpha: number; beta: number; mu: number; kappa: number; lambda: number; gamma: number; balance: number; focal: boolean }): tf.Tensor {
  const inv = tf.tensor1d(counts.map((n) => 1 / n));
  const repeat = tf.sum(tf.mul(y, inv), 1, true);
  const w0 = tf.add(tf.sigmoid(tf.mul(tf.sub(tf.div(inv, repeat), p.mu), p.beta)), p.alpha);
  let z = tf.add(x, tf.tensor1d(counts.map((n) => -Math.log(N / n - 1) * p.kappa)));
  z = tf.add(tf.mul(tf.mul(z, tf.sub(1, y)), p.lambda), tf.mul(z, y));
  const w = tf.add(tf.mul(tf.div(w0, p.lambda), tf.sub(1, y)), tf.mul(w0, y));
  const bce = tf.add(tf.sub(tf.relu(z), tf.mul(z, y)), tf.log1p(tf.exp(tf.neg(tf.abs(z)))));
  let loss = tf.mul(w, bce);
  if (p.focal) loss = tf.mul(tf.mul(tf.pow(tf.sub(1, tf.exp(tf.neg(bce))), p.gamma), loss), p.balance);
  return loss;
}

const shape = { N: 5, C: 4 };
const batch = fc.record({
  x: fc.array(fc.float({ min: -8, max: 8, noNaN: true }), { minLength: shape.N * shape.C, maxLength: shape.N * shape.C }),
  y: fc.array(fc.constantFrom(0, 1), { minLength: shape.N * shape.C, maxLength: shape.N * shape.C }),
});
/** Compares with the reference; tfjs' autodiff of pow(0, 0) is NaN where PyTorch's pow backward gives 0, so a NaN reference counts as 0. */
const close = (a: tf.Tensor, b: tf.Tensor, tol = 2e-4) => {
  const u = a.dataSync();
  const v = Array.from(b.dataSync(), (x) => (Number.isNaN(x) ? 0 : x));
  u.forEach((val, i) => expect(Math.abs(val - v[i]!)).toBeLessThanOrEqual(tol * (1 + Math.abs(v[i]!))));
};

describe('fused long-tail losses equal autodiff of the official formulas (property)', () => {
  it('Asymmetric Loss: value and gradient', () => {
    fc.assert(
      fc.property(batch, fc.constantFrom(0, 1, 2.5, 4), fc.constantFrom(0, 0.5, 1), fc.constantFrom(0, 0.05, 0.2), fc.boolean(), (d, gneg, gpos, clip, detach) => {
        tf.tidy(() => {
          const x = tf.tensor2d(d.x, [shape.N, shape.C]);
          const y = tf.tensor2d(d.y, [shape.N, shape.C]);
          const ours = tf.valueAndGrad((t: tf.Tensor) => sigmoidAsymmetricLoss(y, t, { gammaNeg: gneg, gammaPos: gpos, clip, ...(detach ? {} : { detachFocusing: false }) }) as tf.Scalar)(x);
          const ref = tf.valueAndGrad((t: tf.Tensor) => tf.sum(aslReference(y, t, gneg, gpos, clip, 1e-8, detach)) as tf.Scalar)(x);
          close(ours.value, ref.value);
          close(ours.grad, ref.grad);
        });
      }),
      { numRuns: 60 },
    );
  });

  it('Asymmetric Loss, tensor route (wasm, WebGL): value and gradient of the fused op', () => {
    fc.assert(
      fc.property(batch, fc.constantFrom(0, 0.5, 1, 2.5, 4), fc.constantFrom(0, 0.5, 1, 2), fc.constantFrom(0, 1e-9, 0.05, 0.2), fc.boolean(), (d, gneg, gpos, clip, detach) => {
        // Through the focusing weight the tensor route needs γ− ≥ 1 (asymmetricTensorRoute); detached, any γ−.
        fc.pre(detach || gneg >= 1);
        tf.tidy(() => {
          const x = tf.tensor2d(d.x, [shape.N, shape.C]);
          const y = tf.tensor2d(d.y, [shape.N, shape.C]);
          const params = { gammaNeg: gneg, gammaPos: gpos, clip, epsilon: 1e-8, detachFocusing: detach };
          const ones = tf.ones([shape.N, 1]);
          const rows = tf.valueAndGrad((t: tf.Tensor) => tf.sum(fusedAsymmetricRows(t, () => ({ y, scale: ones }), params)) as tf.Scalar)(x);
          const elements = tf.valueAndGrad((t: tf.Tensor) => tf.sum(asymmetricElements(y, t, params)) as tf.Scalar)(x);
          const binaryRows = tf.valueAndGrad((t: tf.Tensor) => tf.sum(fusedAsymmetricRows(t, () => ({ y, scale: ones }), params, true)) as tf.Scalar)(x);
          const ref = tf.valueAndGrad((t: tf.Tensor) => tf.sum(aslReference(y, t, gneg, gpos, clip, 1e-8, detach)) as tf.Scalar)(x);
          for (const ours of [rows, elements, binaryRows]) {
            close(ours.value, ref.value);
            close(ours.grad, ref.grad);
          }
        });
      }),
      { numRuns: 60 },
    );
  });

  it('Asymmetric Loss, tensor route for 0/1 labels: confident wrong positives keep their float64 value (was 40.63 for 41.00)', () => {
    // float64 reference: −log σ(x)·(1 − σ(x))^γ+ per positive.
    const exact = (xs: number[], gpos: number) => xs.reduce((a, x) => a + Math.log1p(Math.exp(-x)) * (1 / (1 + Math.exp(x))) ** gpos, 0);
    for (const [xs, gpos] of [[[-17, -14, -10], 1], [[-14], 1], [[-16.5], 0]] as const) {
      const got = tf.tidy(() => {
        const x = tf.tensor2d([[...xs]]);
        const y = tf.onesLike(x);
        return tf.sum(fusedAsymmetricRows(x, () => ({ y, scale: tf.ones([1, 1]) }), { gammaNeg: 4, gammaPos: gpos, clip: 0.05, epsilon: 1e-8, detachFocusing: true }, true)).dataSync()[0]!;
      });
      const want = exact([...xs], gpos);
      expect(Math.abs(got - want)).toBeLessThanOrEqual(1e-4 * want);
    }
  });

  it('Distribution-Balanced loss: value and gradient, focal or not', () => {
    const counts = [900, 300, 60, 12];
    fc.assert(
      fc.property(batch, fc.constantFrom(0, 1, 2), fc.constantFrom(1, 2, 5), fc.boolean(), (d, gamma, lambda, focal) => {
        tf.tidy(() => {
          const p = { alpha: 0.1, beta: 10, mu: 0.2, kappa: 0.05, lambda, gamma, balance: 2, focal };
          const x = tf.tensor2d(d.x, [shape.N, shape.C]);
          const y = tf.tensor2d(d.y, [shape.N, shape.C]);
          const ours = tf.valueAndGrad((t: tf.Tensor) => sigmoidDistributionBalancedLoss(y, t, { ...p, counts: counts, trainNum: 2000 }) as tf.Scalar)(x);
          const ref = tf.valueAndGrad((t: tf.Tensor) => tf.mean(dbReference(y, t, counts, 2000, p)) as tf.Scalar)(x);
          close(ours.value, ref.value);
          close(ours.grad, ref.grad);
        });
      }),
      { numRuns: 60 },
    );
  });
});

describe('the tensor route of the Distribution-Balanced loss (wasm, WebGL) equals autodiff of the official formulas (property)', () => {
  const counts = [900, 300, 60, 12];
  const N = 2000;
  const priors = { inverse: counts.map((n) => 1 / n), bias: counts.map((n) => -0.05 * Math.log(N / n - 1)) };
  const asTensors = () => ({ inverse: tf.tensor1d(priors.inverse), bias: tf.tensor1d(priors.bias) });
  const soft = fc.array(fc.float({ min: 0, max: 1, noNaN: true }), { minLength: shape.N * shape.C, maxLength: shape.N * shape.C });
  it.each([
    ['0/1 labels, the 1 − p_t of the binary form', true],
    ['soft labels, the general form', false],
  ] as const)('%s', (_what, binary) => {
    fc.assert(
      fc.property(batch, soft, fc.constantFrom(0, 1, 2), fc.constantFrom(1, 2, 5), fc.boolean(), (d, ys, gamma, lambda, focal) => {
        tf.tidy(() => {
          const p = { alpha: 0.1, beta: 10, mu: 0.2, kappa: 0.05, lambda, gamma, balance: 2, focal };
          const x = tf.tensor2d(d.x, [shape.N, shape.C]);
          const y = tf.tensor2d(binary ? d.y : ys, [shape.N, shape.C]);
          const ones = tf.ones([shape.N, 1]);
          const rows = tf.valueAndGrad((t: tf.Tensor) => tf.sum(fusedDistributionBalancedRows(t, () => ({ y, scale: ones }), p, asTensors(), binary)) as tf.Scalar)(x);
          const ref = tf.valueAndGrad((t: tf.Tensor) => tf.sum(dbReference(y, t, counts, N, p)) as tf.Scalar)(x);
          close(rows.value, ref.value);
          close(rows.grad, ref.grad);
          if (!binary) {
            const elements = tf.valueAndGrad((t: tf.Tensor) => tf.sum(distributionBalancedElements(y, t, p, asTensors())) as tf.Scalar)(x);
            close(elements.value, ref.value);
            close(elements.grad, ref.grad);
          }
        });
      }),
      { numRuns: 50 },
    );
  });
});

describe('the long-tail loss classes equal the functional recipe (property)', () => {
  // Per sample: the class's loss is the row's weight from the weight-schemes recipe times the
  // functional form's row reduction (ASL: the sum over classes; DB: the mean), value and gradient.
  const recipe = fc.record({
    d: batch,
    classWeights: fc.array(fc.double({ min: 0.1, max: 5, noNaN: true }), { minLength: shape.C, maxLength: shape.C }),
    combine: fc.constantFrom('sum' as const, 'mean' as const, 'max' as const),
    emptyRowWeight: fc.constantFrom(0, 1, 2.5),
  });
  const check = (loss: { (y: tf.Tensor, x: tf.Tensor): tf.Tensor; dispose(): void }, ref: (y: tf.Tensor, x: tf.Tensor) => tf.Tensor, d: { x: number[]; y: number[] }) => {
    tf.tidy(() => {
      const x = tf.tensor2d(d.x, [shape.N, shape.C]);
      const y = tf.tensor2d(d.y, [shape.N, shape.C]);
      const ours = tf.valueAndGrad((t: tf.Tensor) => tf.mean(loss(y, t)) as tf.Scalar)(x);
      const theirs = tf.valueAndGrad((t: tf.Tensor) => tf.mean(ref(y, t)) as tf.Scalar)(x);
      close(ours.value, theirs.value);
      close(ours.grad, theirs.grad);
    });
    loss.dispose();
  };

  it('AsymmetricLoss = sample weight × Σ_c sigmoidAsymmetricLoss', () => {
    fc.assert(
      fc.property(recipe, fc.constantFrom(0, 0.05), ({ d, classWeights: cw, combine, emptyRowWeight }, clip) => {
        const rows = Array.from({ length: shape.N }, (_, i) => d.y.slice(i * shape.C, (i + 1) * shape.C));
        const sw = sampleWeights(rows, cw, { combine, emptyRowWeight }).map((w) => [w]);
        const loss = asymmetricLoss({ classWeights: cw, combine, emptyRowWeight, clip });
        check(loss, (y, t) => tf.sum(sigmoidAsymmetricLoss(y, t, { clip, weights: sw, reduction: 'none' }), 1), d);
      }),
      { numRuns: 40 },
    );
  });

  it('DistributionBalancedLoss = sample weight × mean_c sigmoidDistributionBalancedLoss', () => {
    const counts = [900, 300, 60, 12];
    fc.assert(
      fc.property(recipe, fc.boolean(), ({ d, classWeights: cw, combine, emptyRowWeight }, focal) => {
        const rows = Array.from({ length: shape.N }, (_, i) => d.y.slice(i * shape.C, (i + 1) * shape.C));
        const sw = sampleWeights(rows, cw, { combine, emptyRowWeight }).map((w) => [w]);
        const loss = distributionBalancedLoss({ classWeights: cw, combine, emptyRowWeight, focal, counts: { positives: counts, samples: 2000, emptyRows: 0 } });
        check(loss, (y, t) => tf.mean(sigmoidDistributionBalancedLoss(y, t, { focal, counts: counts, trainNum: 2000, weights: sw, reduction: 'none' }), 1), d);
      }),
      { numRuns: 40 },
    );
  });
});

describe('the long-tail loss classes in model.fit', () => {
  const N = 48;
  const rows = Array.from({ length: N }, (_, i) => [i % 4 !== 3 ? 1 : 0, i % 3 === 0 ? 1 : 0, i % 11 === 0 ? 1 : 0]);
  const feats = rows.map((r, i) => [r[0]! * 2 - 1 + Math.sin(i) * 0.3, r[1]! * 2 - 1, r[2]! * 2 - 1, Math.cos(i)]);

  function model(): tfl.LayersModel {
    return tfl.sequential({ layers: [tfl.layers.dense({ units: 3, inputShape: [4], kernelInitializer: tfl.initializers.glorotUniform({ seed: 3 }) })] });
  }

  /** DB (counts set online by the callback, so its priors change every batch) and ASL train 5 epochs; every tensor is freed at the end. */
  async function trainFiveEpochs(how: 'fit' | 'fitDataset'): Promise<void> {
    const start = tf.memory().numTensors;
    for (const make of [() => distributionBalancedLoss({ numClasses: 3 }), () => asymmetricLoss({ numClasses: 3 })]) {
      const m = model();
      const loss = make();
      const optimizer = tf.train.adam(0.05);
      m.compile({ optimizer, loss });
      const [x, y] = [tf.tensor2d(feats), tf.tensor2d(rows)];
      const tensors: number[] = [];
      const probe = new tfl.CustomCallback({ onEpochEnd: async () => void tensors.push(tf.memory().numTensors) });
      const callbacks = [sampleWeightCallback({ losses: loss, online: true }), probe];
      const h =
        how === 'fit'
          ? await m.fit(x, y, { epochs: 5, batchSize: 8, verbose: 0, callbacks })
          : await m.fitDataset(tfd.zip({ xs: tfd.array(feats), ys: tfd.array(rows) }).batch(8), { epochs: 5, verbose: 0, callbacks });
      const losses = h.history['loss'] as number[];
      expect(losses.every(Number.isFinite)).toBe(true);
      expect(losses.at(-1)!).toBeLessThan(losses[0]!);
      expect(new Set(tensors.slice(1)).size).toBe(1);
      if (loss instanceof DistributionBalancedLoss) expect(loss.getClassCounts()).toEqual(countMultiHot(rows));
      m.dispose();
      optimizer.dispose();
      loss.dispose();
      tf.dispose([x, y]);
    }
    expect(tf.memory().numTensors).toBe(start);
  }

  it.each(['fit', 'fitDataset'] as const)('%s: DB (counts set online by the callback) and ASL train 5 epochs without leaking', trainFiveEpochs);

  describe('on the tensor route (wasm, WebGL)', () => {
    useTensorRoute();
    it.each(['fit', 'fitDataset'] as const)('%s: the same, with the priors kept as tensors between batches and freed by dispose', trainFiveEpochs);
  });

  it('round-trip through JSON with their parameters and counts', () => {
    const db = distributionBalancedLoss({ counts: countMultiHot(rows), lambda: 3, focal: false });
    const asl = asymmetricLoss({ numClasses: 3, gammaNeg: 2, clip: 0 });
    const [x, y] = [tf.tensor2d(feats.map((r) => r.slice(0, 3))), tf.tensor2d(rows)];
    for (const l of [db, asl]) {
      const copy = lossFromConfig(JSON.parse(JSON.stringify(l.getConfig())));
      close(tf.tidy(() => copy(y, x)), tf.tidy(() => l(y, x)), 1e-6);
      copy.dispose();
      l.dispose();
    }
    tf.dispose([x, y]);
  });

  it('reject bad parameters and counts by name, with the fix', () => {
    const y = [[1, 0]];
    const x = [[0.2, -0.1]];
    expect(() => sigmoidDistributionBalancedLoss(y, x, { counts: [10, 5], trainNum: 8 })).toThrow(
      'args.trainNum: is 8 but class 0 has 10 samples; N must exceed every n_c',
    );
    expect(() => sigmoidDistributionBalancedLoss(y, x, { counts: [10, 0], trainNum: 20 })).toThrow("class 1 has a count of 0");
    expect(sigmoidDistributionBalancedLoss(y, x, { counts: [10, 0], trainNum: 20, emptyClass: 'max' }).dataSync()[0]).toBeGreaterThan(0);
    expect(() => sigmoidDistributionBalancedLoss(y, x, { counts: [10], trainNum: 20 })).toThrow('args.counts: has 1 counts (shape [1]) but the logits have 2 classes');
    expect(() => sigmoidDistributionBalancedLoss(y, x, { counts: [10, 5], trainNum: 20, lambda: 0.5 })).toThrow('args.lambda: must lie in [1, 100]');
    expect(() => sigmoidDistributionBalancedLoss(y, x, { counts: [10, 5], trainNum: 20, beta: 0 })).toThrow('args.beta');
    expect(() => sigmoidDistributionBalancedLoss(y, x, { counts: [10, 5], trainNum: 20, focal: 'yes' as never })).toThrow('args.focal: must be true or false');
    expect(() => sigmoidAsymmetricLoss(y, x, { clip: 1 })).toThrow('args.clip: must lie in [0, 1)');
    expect(() => sigmoidAsymmetricLoss(y, x, { gammaNeg: -1 })).toThrow('args.gammaNeg');
    expect(() => sigmoidAsymmetricLoss(y, x, { eps: 0 })).toThrow('args.eps');
    expect(() => asymmetricLoss({ numClasses: 2, from: 'probabilities' })).toThrow("args.from: must be 'logits'");
    const db = distributionBalancedLoss({ numClasses: 2 });
    expect(() => db.setClassCounts({ positives: [1, 2, 3], samples: 9, emptyRows: 0 })).toThrow('counts.positives: has 3 classes (shape [3]) but the loss has 2');
    db.dispose();
  });
});
