import * as tf from '@tensorflow/tfjs-core';
import { InvalidOptionError, ShapeMismatchError, type ClassCounts, type EmptyClassPolicy } from '@tfjs-imbalance/weight-schemes';
import { type BatchWeights, checkFactoryCalled, defineFields, describe, lossOp, renamedOption, WeightedLoss, type WeightedLossArgs, type WeightedLossConfig } from '../kit.js';
import { DISTRIBUTION_BALANCED_PARAMS, checkDbParams, dbPriors, type DistributionBalancedParams, type ResolvedDistributionBalancedParams } from './params.js';
import { distributionBalancedMath } from './terms.js';
import { restoreLoss } from '../../weighted-loss/restore.js';
import { softLabelsOnDevice } from '../../weighted-loss/label-checks.js';

/**
 * Arguments of {@link DistributionBalancedLoss}: the DB parameters, the
 * class counts (optional: the sample-weight callback can set them during
 * `fit`), and the weighting arguments every loss class takes. `scheme`
 * defaults to `'none'` (DB does its own re-balancing) and `combine` to
 * `'mean'`, so every sample weighs 1 unless asked otherwise.
 */
export interface DistributionBalancedLossClassArgs extends WeightedLossArgs, DistributionBalancedParams {
  /**
   * The training set's class counts, `countMultiHot(yTrain)`: `positives`
   * are n_c, `samples` is N. The loss balances against them (and a `scheme`
   * computes class weights from them). Defaults to none: uniform counts
   * (r = 1/k, no bias) until `setClassCounts` or the callback sets them.
   */
  readonly counts?: ClassCounts;
  /**
   * The former name of `counts`.
   * @deprecated Use `counts`, the name every package uses for class counts. Removed in 0.3.
   */
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
 * const loss = distributionBalancedLoss({ counts: countMultiHot(yRows) });
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
  declare readonly params: ResolvedDistributionBalancedParams;
  declare private readonly emptyPolicy: EmptyClassPolicy;
  declare private priors: { inverse: number[]; bias: number[] };
  /** The priors as tensors for the tensor route (wasm, WebGL): made on first use, replaced when the counts change, freed by `dispose`. */
  declare private priorTensors: { inverse: tf.Tensor; bias: tf.Tensor } | undefined;
  declare private countsSet: ClassCounts | undefined;

  /**
   * @param args - See {@link DistributionBalancedLossClassArgs}.
   */
  constructor(args: DistributionBalancedLossClassArgs) {
    checkFactoryCalled('distributionBalancedLoss', args, 'model.compile({ loss: distributionBalancedLoss({ counts }) })');
    if (args === null || typeof args !== 'object') {
      throw new InvalidOptionError('args', `must be an object such as { counts } or { numClasses }, got ${describe(args)}.`);
    }
    const params = checkDbParams('args', args);
    if ((args.from ?? 'logits') !== 'logits') {
      throw new InvalidOptionError('args.from', "must be 'logits': the Distribution-Balanced loss is defined on logits. Drop the output activation.");
    }
    const emptyPolicy = args.emptyClass ?? 'max';
    const given = renamedOption<ClassCounts>('args', args, 'counts');
    if (given !== undefined && Array.isArray(given.value)) {
      throw new InvalidOptionError(
        `args.${given.name}`,
        'is a list of class counts, but the Distribution-Balanced loss also needs N, the number of training samples: pass countMultiHot(yTrain).',
      );
    }
    const counts = given?.value;
    const priors = counts === undefined ? undefined : dbPriors('args', { [given!.name]: counts, emptyClass: emptyPolicy }, params.kappa);
    const C = counts?.positives.length ?? args.numClasses;
    const { classCounts: _c, counts: _n, emptyClass: _e, ...rest } = args;
    // The counts also feed a scheme's class weights (uniform with the default 'none'), unless the weights are given.
    const forWeights = counts !== undefined && args.classWeights === undefined ? { counts } : {};
    super(
      { ...rest, ...forWeights, ...(C === undefined ? {} : { numClasses: C }), scheme: args.scheme ?? 'none', combine: args.combine ?? 'mean' },
      'distribution_balanced_loss',
      [...DISTRIBUTION_BALANCED_PARAMS, 'classCounts', 'emptyClass'],
    );
    const n = this.numClasses;
    const current = priors ?? { inverse: new Array<number>(n).fill(1), bias: new Array<number>(n).fill(0) };
    defineFields(this, { params, emptyPolicy, priors: current, priorTensors: undefined, countsSet: counts });
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
    this.priors = dbPriors('', { counts, emptyClass: this.emptyPolicy }, this.params.kappa);
    this.releasePriorTensors();
    this.countsSet = { positives: [...counts.positives], samples: counts.samples, emptyRows: counts.emptyRows };
  }

  /** @returns The counts last set, if any. */
  getClassCounts(): ClassCounts | undefined {
    return this.countsSet;
  }

  /** 0/1 labels take a cheaper exact form: tell the label checks to find out. */
  protected override softLabels(yTrue: tf.Tensor): tf.Tensor {
    return softLabelsOnDevice(yTrue);
  }

  protected override weightedPerSample(yTrue: tf.Tensor, yPred: tf.Tensor, batch: BatchWeights): tf.Tensor {
    const { inverse, bias } = this.priors;
    // The priors' tensors are made once per set of counts, on first use by the tensor route.
    const tensors = () => (this.priorTensors ??= { inverse: tf.keep(tf.tensor1d(inverse)), bias: tf.keep(tf.tensor1d(bias)) });
    // Labels checked this call and all 0 or 1 (and not smoothed): the cheaper exact 1 − p_t.
    const math = distributionBalancedMath(this.params, { inverse, bias, tensors }, batch.binary && this.labelSmoothing === 0);
    return lossOp(yPred, () => ({ y: this.smoothed(yTrue), scale: tf.mul(batch.weights().sw, 1 / this.numClasses) }), math);
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

  protected override configWith(classWeights: number[], emptyRowWeightValue: number | undefined): WeightedLossConfig {
    const base = super.configWith(classWeights, emptyRowWeightValue);
    return { ...base, config: { ...base.config, ...(this.countsSet === undefined ? {} : { counts: this.countsSet }) } };
  }

  /**
   * Rebuilds a loss from {@link WeightedLoss.getConfig}'s `config`.
   *
   * @param _cls - Unused (the `tf.serialization` signature).
   * @param config - The config.
   * @returns A new loss.
   */
  static fromConfig(_cls: unknown, config: DistributionBalancedLossClassArgs): DistributionBalancedLoss {
    return restoreLoss(config, (args) => new DistributionBalancedLoss(args));
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
 * const loss = distributionBalancedLoss({ counts: countMultiHot(yRows), focal: false });
 * ```
 */
export function distributionBalancedLoss(args: DistributionBalancedLossClassArgs): DistributionBalancedLoss {
  return new DistributionBalancedLoss(args);
}
