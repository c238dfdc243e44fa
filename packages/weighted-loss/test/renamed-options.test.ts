// Options renamed for one vocabulary across the packages keep their former names for one minor, with the same
// result, and giving both names is an error that says which one to keep.
import * as tf from '@tensorflow/tfjs-core';
import { countMultiHot } from '@tfjs-imbalance/weight-schemes';
import {
  asymmetricLoss,
  distributionBalancedLoss,
  logitAdjustedCrossEntropy,
  lossFromConfig,
  sigmoidAsymmetricLoss,
  sigmoidDistributionBalancedLoss,
  weightedCategoricalCrossentropy,
} from '@tfjs-imbalance/weighted-loss';

const y = [
  [1, 0, 1],
  [0, 1, 0],
  [1, 0, 0],
  [0, 0, 1],
];
const x = [
  [0.3, -1.2, 2.0],
  [-0.4, 0.8, -2.2],
  [1.5, 0.1, -0.3],
  [-1.0, -0.5, 0.7],
];
const value = (t: tf.Tensor) => {
  const v = t.dataSync()[0]!;
  t.dispose();
  return v;
};

describe('renamed options', () => {
  it('counts (formerly classCounts): the Distribution-Balanced function and class, and the logit adjustment', () => {
    const counts = countMultiHot(y);
    expect(value(sigmoidDistributionBalancedLoss(y, x, { classCounts: counts.positives, trainNum: counts.samples }))).toBe(
      value(sigmoidDistributionBalancedLoss(y, x, { counts: counts.positives, trainNum: counts.samples })),
    );
    // countMultiHot's counts carry N, as the class takes them.
    expect(value(sigmoidDistributionBalancedLoss(y, x, { counts }))).toBe(value(sigmoidDistributionBalancedLoss(y, x, { counts: counts.positives, trainNum: counts.samples })));
    const [a, b] = [distributionBalancedLoss({ classCounts: counts }), distributionBalancedLoss({ counts })];
    const perSample = (l: typeof a) => tf.tidy(() => Array.from(l(tf.tensor2d(y), tf.tensor2d(x)).dataSync()));
    expect(perSample(a)).toEqual(perSample(b));
    // A config saved by 0.1 (classCounts) loads; a new one records counts.
    expect(b.getConfig().config['counts']).toEqual(counts);
    const old = lossFromConfig({ className: 'DistributionBalancedLoss', config: { numClasses: 3, classWeights: [1, 1, 1], classCounts: counts } as never });
    expect(perSample(old as typeof a)).toEqual(perSample(b));
    [a, b, old].forEach((l) => l.dispose());
    const labels = [0, 2, 1, 2];
    expect(value(logitAdjustedCrossEntropy(labels, x, { classCounts: [5, 2, 1] }))).toBe(value(logitAdjustedCrossEntropy(labels, x, { counts: [5, 2, 1] })));
    expect(() => sigmoidDistributionBalancedLoss(y, x, { counts, classCounts: counts })).toThrow('args.classCounts: is the former name of counts, and both were given. Pass counts only.');
    expect(() => distributionBalancedLoss({ counts: counts.positives as never })).toThrow('args.counts: is a list of class counts, but the Distribution-Balanced loss also needs N');
  });

  it('epsilon (formerly eps) of the Asymmetric Loss', () => {
    expect(value(sigmoidAsymmetricLoss(y, x, { eps: 0.2 }))).toBe(value(sigmoidAsymmetricLoss(y, x, { epsilon: 0.2 })));
    // A positive at p = σ(−3) ≈ 0.047 is floored at ε = 0.2: the option takes effect.
    expect(value(sigmoidAsymmetricLoss([[1]], [[-3]], { epsilon: 0.2 }))).toBeCloseTo(-Math.log(0.2) * (1 - 1 / (1 + Math.exp(3))), 5);
    const loss = asymmetricLoss({ numClasses: 3, eps: 0.2 });
    expect(loss.params.epsilon).toBe(0.2);
    // The class records one name, so its config rebuilds it.
    const config = loss.getConfig();
    expect(config.config['eps']).toBeUndefined();
    const copy = lossFromConfig(config) as typeof loss;
    expect(copy.params.epsilon).toBe(0.2);
    expect(() => asymmetricLoss({ numClasses: 3, eps: 0.2, epsilon: 1e-4 })).toThrow('args.eps: is the former name of epsilon');
    [loss, copy].forEach((l) => l.dispose());
  });
});

describe('a config keeps only the new names', () => {
  it('a logit adjustment given as classCounts is recorded as counts', () => {
    const loss = weightedCategoricalCrossentropy({ numClasses: 3, logitAdjustment: { classCounts: [5, 3, 2], tau: 1 } });
    expect(loss.getConfig().config['logitAdjustment']).toEqual({ counts: [5, 3, 2], tau: 1 });
    const copy = lossFromConfig(JSON.parse(JSON.stringify(loss.getConfig())));
    const out = (l: typeof copy) => tf.tidy(() => Array.from(l(tf.tensor1d([0, 2, 1, 2]), tf.tensor2d(x)).dataSync()));
    expect(out(copy)).toEqual(out(loss));
    [loss, copy].forEach((l) => l.dispose());
  });
});
