import * as tf from '@tensorflow/tfjs-core';
import {
  EmptyClassError,
  InvalidCountError,
  InvalidOptionError,
  ShapeMismatchError,
  type ClassCounts,
  type EmptyClassPolicy,
} from '@tfjs-imbalance/weight-schemes';
import { checkCounts, checkOptionNames, checkRange, describe, checkFactoryCalled } from '@tfjs-imbalance/weight-schemes/internal';
import { binaryInputs } from './binary-cross-entropy.js';
import { distributionBalancedElements, fusedDistributionBalancedRows, type DistributionBalancedPriors } from './fused.js';
import { distributionBalancedKernel, jsElements, jsRows } from './js-kernels.js';
import { REDUCTIONS, checkReduction, reduce, type Reduction } from './reduction.js';
import type { TensorInput } from './tensor-input.js';
import { WeightedLoss, type WeightedLossArgs } from './weighted-loss.js';

/** The parameters of the Distribution-Balanced loss; the defaults are the official COCO-MLT configuration. */
export interface DistributionBalancedParams {
  /** The weight floor α of the re-balancing weight α + σ(β·(r − μ)). Defaults to `0.1`. */
  readonly alpha?: number;
  /** The slope β > 0 of the re-balancing weight. Defaults to `10`. */
  readonly beta?: number;
  /** The centre μ of the re-balancing weight. Defaults to `0.2`. */
  readonly mu?: number;
  /** The scale κ ≥ 0 of the negative-tolerant bias −κ·log(N/n_c − 1). Defaults to `0.05`. */
  readonly kappa?: number;
  /** The negative-tolerant λ ≥ 1: negatives' logits are multiplied by λ and their weights divided by it. Defaults to `2`. */
  readonly lambda?: number;
  /** Whether the focal modulator balance·(1 − p_t)^γ multiplies the loss. Defaults to `true`. */
  readonly focal?: boolean;
  /** The focal γ ≥ 0. Defaults to `2`. */
  readonly gamma?: number;
  /** The focal loss's constant factor. Defaults to `2`. */
  readonly balance?: number;
}

/** The class counts the loss is balanced against. */
export interface DistributionCounts {
  /** n_c, the number of training samples with class c, one per class. */
  readonly classCounts: readonly number[];
  /** N, the number of training samples; every n_c must be below it. */
  readonly trainNum: number;
  /** What a class with a count of 0 gets: an error, the rarest counted class's count (`'max'`: the largest weight), or `{ value: n }`. Defaults to `'error'`. */
  readonly emptyClass?: EmptyClassPolicy;
}

/** Arguments of {@link sigmoidDistributionBalancedLoss}. */
export interface DistributionBalancedLossArgs extends DistributionBalancedParams, DistributionCounts {
  /** Weights that broadcast to [N, C] (per element, per sample [N, 1] or per class [C]). Defaults to no weighting. */
  readonly weights?: TensorInput;
  /** How the element-wise loss is reduced. Defaults to `'mean'`, as the official code. */
  readonly reduction?: Reduction;
  /** Whether to read the inputs back and reject NaN, Infinity and labels outside [0, 1]. Defaults to `true`. */
  readonly validate?: boolean;
}

const PARAMS = ['alpha', 'beta', 'mu', 'kappa', 'lambda', 'focal', 'gamma', 'balance'] as const;

/** Checks the DB parameters and fills in the defaults. @internal */
export function checkDbParams(argument: string, p: DistributionBalancedParams): Required<DistributionBalancedParams> {
  if (p.focal !== undefined && typeof p.focal !== 'boolean') {
    throw new InvalidOptionError(`${argument}.focal`, `must be true or false, got ${describe(p.focal)}.`);
  }
  return {
    alpha: checkRange(`${argument}.alpha`, p.alpha ?? 0.1, { min: 0, hint: 'The official default is 0.1.' }),
    beta: checkRange(`${argument}.beta`, p.beta ?? 10, { min: 0, minExclusive: true, max: 1000, hint: 'The official default is 10.' }),
    mu: checkRange(`${argument}.mu`, p.mu ?? 0.2, { min: 0, max: 10, hint: 'The official default is 0.2.' }),
    kappa: checkRange(`${argument}.kappa`, p.kappa ?? 0.05, { min: 0, max: 10, hint: 'The official default is 0.05; 0 turns the bias off.' }),
    lambda: checkRange(`${argument}.lambda`, p.lambda ?? 2, { min: 1, max: 100, hint: 'The official default is 2; 1 turns the negative-tolerant scaling off.' }),
    focal: p.focal ?? true,
    gamma: checkRange(`${argument}.gamma`, p.gamma ?? 2, { min: 0, max: 20, hint: 'The official default is 2.' }),
    balance: checkRange(`${argument}.balance`, p.balance ?? 2, { min: 0, minExclusive: true, max: 100, hint: 'The official default is 2.' }),
  };
}

/**
 * Checks class counts and N, fills empty classes by the policy, and returns
 * 1/n_c and the negative-tolerant bias −κ·log(N/n_c − 1) per class. @internal
 */
export function dbPriors(argument: string, d: DistributionCounts, kappa: number): { inverse: number[]; bias: number[] } {
  const counts = checkCounts(`${argument}.classCounts`, d.classCounts, true);
  const N = d.trainNum;
  if (typeof N !== 'number' || !Number.isFinite(N) || N <= 0) {
    throw new InvalidCountError(`${argument}.trainNum`, `must be the number of training samples, a finite count > 0, got ${describe(N)}.`);
  }
  const empty = counts.flatMap((n, i) => (n === 0 ? [i] : []));
  let filled = [...counts];
  if (empty.length > 0) {
    const policy = d.emptyClass ?? 'error';
    const seen = counts.filter((n) => n > 0);
    if (policy === 'error' || (policy === 'max' && seen.length === 0)) {
      throw new EmptyClassError(
        `${argument}.classCounts`,
        empty,
        `class${empty.length > 1 ? 'es' : ''} ${empty.join(', ')} ${empty.length > 1 ? 'have' : 'has'} a count of 0, so 1/n_c is infinite. ` +
          "Check the class order, count more data, or set emptyClass: 'max' (the rarest class's count) or { value: n }.",
      );
    }
    const fill = policy === 'max' ? Math.min(...seen) : checkRange(`${argument}.emptyClass.value`, policy.value, { min: 0, minExclusive: true });
    filled = counts.map((n) => (n === 0 ? fill : n));
  }
  const big = filled.findIndex((n) => n >= N);
  if (big >= 0) {
    throw new InvalidCountError(
      `${argument}.trainNum`,
      `is ${N} but class ${big} has ${filled[big]} samples; N must exceed every n_c (the bias is −κ·log(N/n_c − 1)). ` +
        'Pass the number of training samples, not the number of positive labels.',
    );
  }
  return { inverse: filled.map((n) => 1 / n), bias: filled.map((n) => -kappa * Math.log(N / n - 1)) };
}

/**
 * The Distribution-Balanced loss of Wu et al. (ECCV 2020) for multi-label
 * long-tailed data: each (sample, class) cell is re-weighted by how much more
 * often the sample is drawn through its other labels than through this one
 * (r = (1/n_c) / Σ_j y_j/n_j, smoothed to α + σ(β·(r − μ))), and the
 * negative-tolerant regularisation adds the bias −κ·log(N/n_c − 1) and scales
 * negatives' logits by λ (their weights by 1/λ), so the many negatives of a
 * rare class stop pushing it down. With `focal` (the default) it is the
 * "DB-focal" of the paper.
 *
 * The official code also divides κ by λ in the bias; its authors called that
 * a bug, so it is not done here (the reference vectors follow the fix).
 * With w = α + σ(β·(r − μ)) (1 + α for a row with no label), z = x + b,
 * m = λ·(1 − y) + y, z' = m·z and w' = w·((1 − y)/λ + y):
 *
 *   ℓ = BCEwithLogits(z', y) = max(z', 0) − z'·y + log1p(exp(−|z'|)),
 *   L = w'·ℓ, or balance·w'·(1 − p_t)^γ·ℓ with p_t = exp(−ℓ) when focal;
 *   ∂L/∂x = m·w'·(σ(z') − y)·[1, or balance·((1 − p_t)^γ + γ·(1 − p_t)^γ·p_t·ℓ/(1 − p_t))]
 *
 * 1 − p_t is −expm1(−ℓ), exact for small ℓ. Forward and backward run in one
 * pass over the batch, in closed form.
 *
 * @param yTrue - Multi-hot targets in [0, 1], shape [N, C].
 * @param logits - Logits, shape [N, C].
 * @param args - The class counts and N, and see {@link DistributionBalancedLossArgs}.
 * @returns The loss, reduced as asked (the mean by default).
 *
 * @example The official COCO-MLT configuration
 * ```ts
 * sigmoidDistributionBalancedLoss([[1, 0, 1]], [[0.3, -1.2, 2.0]], { classCounts: [4000, 300, 80], trainNum: 8000 });
 * ```
 */
export function sigmoidDistributionBalancedLoss(yTrue: TensorInput, logits: TensorInput, args: DistributionBalancedLossArgs): tf.Tensor {
  if (args === null || typeof args !== 'object') {
    throw new InvalidOptionError('args', `must be an object such as { classCounts, trainNum }, got ${describe(args)}.`);
  }
  checkOptionNames('args', args, [...PARAMS, 'classCounts', 'trainNum', 'emptyClass', 'weights', 'reduction', 'validate']);
  const params = checkDbParams('args', args);
  const { inverse, bias } = dbPriors('args', args, params.kappa);
  const reduction = checkReduction('args.reduction', args.reduction ?? 'mean', REDUCTIONS);
  return tf.tidy(() => {
    const { y, x, w } = binaryInputs(yTrue, logits, args.weights, 'logits', args.validate ?? true);
    const C = x.shape[x.rank - 1]!;
    if (C !== inverse.length) {
      throw new ShapeMismatchError(
        'args.classCounts',
        `has ${inverse.length} counts (shape [${inverse.length}]) but the logits have ${C} classes (shape [${x.shape.join(', ')}]); pass one count per class.`,
      );
    }
    // On cpu the data is already in JS and one pass beats ~40 kernels; elsewhere (wasm, WebGL) the kernels win.
    const el =
      tf.getBackend() === 'cpu'
        ? jsElements(x, y, distributionBalancedKernel(params, inverse, bias))
        : distributionBalancedElements(y, x, params, { inverse: tf.tensor1d(inverse), bias: tf.tensor1d(bias) });
    return reduce(w === undefined ? el : tf.mul(el, w), reduction);
  });
}

/**
 * Arguments of {@link DistributionBalancedLoss}: the DB parameters, the
 * class counts (optional: the sample-weight callback can set them during
 * `fit`), and the weighting arguments every loss class takes. `scheme`
 * defaults to `'none'` (DB does its own re-balancing) and `combine` to
 * `'mean'`, so every sample weighs 1 unless asked otherwise.
 */
export interface DistributionBalancedLossClassArgs extends WeightedLossArgs, DistributionBalancedParams {
  /** The training set's class counts: `positives` are n_c, `samples` is N. Defaults to none: uniform counts (r = 1/k, no bias) until `setClassCounts` or the callback sets them. */
  readonly classCounts?: ClassCounts;
  /** What a class with a count of 0 gets. Defaults to `'max'` (the rarest counted class's count), since online counts may not have seen every class yet. */
  readonly emptyClass?: EmptyClassPolicy;
}

/**
 * The Distribution-Balanced loss for `model.compile({ loss })`. Each sample's
 * loss is the mean of its element losses (so tfjs' batch mean is the
 * official mean), times the sample's weight from `yTrue`. The class counts
 * can change during training: {@link DistributionBalancedLoss.setClassCounts},
 * or the sample-weight callback (online, once or per epoch), updates them
 * during `fit`. Logits only.
 *
 * @example Counts known up front
 * ```ts
 * const loss = distributionBalancedLoss({ classCounts: countMultiHot(yRows) });
 * model.compile({ optimizer: 'adam', loss });
 * ```
 *
 * @example Counts learnt online by the callback
 * ```ts
 * const loss = distributionBalancedLoss({ numClasses: 29 });
 * await model.fit(x, y, { callbacks: [sampleWeightCallback({ losses: loss, online: true })] });
 * ```
 */
export class DistributionBalancedLoss extends WeightedLoss {
  /** The name under which the class is registered with `tf.serialization`. */
  static readonly className = 'DistributionBalancedLoss';
  /** α, β, μ, κ, λ, focal, γ and balance. */
  declare readonly params: Required<DistributionBalancedParams>;
  declare private readonly emptyPolicy: EmptyClassPolicy;
  declare private priors: { inverse: number[]; bias: number[] };
  /** The priors as tensors for the tensor route (wasm, WebGL): made on first use, replaced when the counts change, freed by `dispose`. */
  declare private priorTensors: DistributionBalancedPriors | undefined;
  declare private countsSet: ClassCounts | undefined;

  /**
   * @param args - See {@link DistributionBalancedLossClassArgs}.
   */
  constructor(args: DistributionBalancedLossClassArgs) {
    checkFactoryCalled('distributionBalancedLoss', args, 'model.compile({ loss: distributionBalancedLoss({ classCounts }) })');
    if (args === null || typeof args !== 'object') {
      throw new InvalidOptionError('args', `must be an object such as { classCounts } or { numClasses }, got ${describe(args)}.`);
    }
    const params = checkDbParams('args', args);
    if ((args.from ?? 'logits') !== 'logits') {
      throw new InvalidOptionError('args.from', "must be 'logits': the Distribution-Balanced loss is defined on logits. Drop the output activation.");
    }
    const emptyPolicy = args.emptyClass ?? 'max';
    const C = args.classCounts?.positives.length ?? args.numClasses;
    const priors =
      args.classCounts === undefined
        ? undefined
        : dbPriors('args', { classCounts: args.classCounts.positives, trainNum: args.classCounts.samples, emptyClass: emptyPolicy }, params.kappa);
    const { classCounts: _c, emptyClass: _e, ...rest } = args;
    super(
      { ...rest, ...(C === undefined ? {} : { numClasses: C }), scheme: args.scheme ?? 'none', combine: args.combine ?? 'mean' },
      'distribution_balanced_loss',
      [...PARAMS, 'classCounts', 'emptyClass'],
    );
    const n = this.numClasses;
    const current = priors ?? { inverse: new Array<number>(n).fill(1), bias: new Array<number>(n).fill(0) };
    for (const [k, v] of Object.entries({ params, emptyPolicy, priors: current, priorTensors: undefined, countsSet: args.classCounts })) {
      Object.defineProperty(this, k, { value: v, writable: true });
    }
    if (args.classCounts !== undefined) (this.args as Record<string, unknown>)['classCounts'] = args.classCounts;
  }

  /**
   * Sets the class counts the loss balances against (n_c and N); the next
   * batch uses them. The sample-weight callback calls it with the counts it
   * computes weights from.
   *
   * @param counts - The training counts: `positives` per class and `samples`.
   */
  setClassCounts(counts: ClassCounts): void {
    if (counts === null || typeof counts !== 'object' || !Array.isArray(counts.positives)) {
      throw new InvalidOptionError('counts', `expected { positives, samples, emptyRows } such as countMultiHot gives, got ${describe(counts)}.`);
    }
    if (counts.positives.length !== this.numClasses) {
      throw new ShapeMismatchError(
        'counts.positives',
        `has ${counts.positives.length} classes (shape [${counts.positives.length}]) but the loss has ${this.numClasses}; count the classes the model predicts.`,
      );
    }
    this.priors = dbPriors('counts', { classCounts: counts.positives, trainNum: counts.samples, emptyClass: this.emptyPolicy }, this.params.kappa);
    this.releasePriorTensors();
    this.countsSet = { positives: [...counts.positives], samples: counts.samples, emptyRows: counts.emptyRows };
  }

  /** @returns The counts last set, if any. */
  getClassCounts(): ClassCounts | undefined {
    return this.countsSet;
  }

  protected override weightedPerSample(
    yTrue: tf.Tensor,
    yPred: tf.Tensor,
    weights: () => { positives: tf.Tensor; sw: tf.Tensor },
  ): tf.Tensor {
    const prepare = () => ({ y: this.smoothed(yTrue), scale: tf.mul(weights().sw, 1 / this.numClasses) });
    const { inverse, bias } = this.priors;
    if (tf.getBackend() !== 'cpu') {
      // Labels checked this call and all 0 or 1 (and not smoothed): the cheaper exact 1 − p_t.
      const binary = this.binaryBatch && this.labelSmoothing === 0;
      this.priorTensors ??= { inverse: tf.keep(tf.tensor1d(inverse)), bias: tf.keep(tf.tensor1d(bias)) };
      return fusedDistributionBalancedRows(yPred, prepare, this.params, this.priorTensors, binary);
    }
    return jsRows(yPred, prepare, distributionBalancedKernel(this.params, inverse, bias));
  }

  /** Frees the class weights and the priors' tensors. */
  override dispose(): void {
    this.releasePriorTensors();
    super.dispose();
  }

  private releasePriorTensors(): void {
    if (this.priorTensors !== undefined) tf.dispose([this.priorTensors.inverse, this.priorTensors.bias]);
    this.priorTensors = undefined;
  }

  protected override configWith(classWeights: number[], emptyRowWeightValue: number | undefined): ReturnType<WeightedLoss['getConfig']> {
    const base = super.configWith(classWeights, emptyRowWeightValue);
    return { ...base, config: { ...base.config, ...(this.countsSet === undefined ? {} : { classCounts: this.countsSet }) } };
  }

  /**
   * Rebuilds a loss from {@link WeightedLoss.getConfig}'s `config`.
   *
   * @param _cls - Unused (the `tf.serialization` signature).
   * @param config - The config.
   * @returns A new loss.
   */
  static fromConfig(_cls: unknown, config: DistributionBalancedLossClassArgs): DistributionBalancedLoss {
    return new DistributionBalancedLoss(config);
  }
}

/**
 * Creates a {@link DistributionBalancedLoss} for `model.compile`.
 *
 * @param args - See {@link DistributionBalancedLossClassArgs}.
 * @returns The loss, a function `model.compile` takes as it is.
 *
 * @example
 * ```ts
 * const loss = distributionBalancedLoss({ classCounts: countMultiHot(yRows), focal: false });
 * ```
 */
export function distributionBalancedLoss(args: DistributionBalancedLossClassArgs): DistributionBalancedLoss {
  return new DistributionBalancedLoss(args);
}
