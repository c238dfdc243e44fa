import * as tf from '@tensorflow/tfjs-core';
import type { Callback, LayersModel } from '@tensorflow/tfjs-layers';
import { sampleWeightCallback } from '@tfjs-imbalance/sample-weight-callback';
import {
  InvalidOptionError,
  posWeight,
  priorBias,
  type ClassCounts,
  type CombineRule,
  type SchemeConfig,
  type SchemeName,
} from '@tfjs-imbalance/weight-schemes';
import { checkConstraint, checkDeclared, checkOneOf, checkOptionNames, checkRange, describe, optionNames, parseScheme } from '@tfjs-imbalance/weight-schemes/internal';
import {
  asymmetricLoss,
  binaryCrossEntropy,
  distributionBalancedLoss,
  weightedBinaryCrossentropy,
  weightedBinaryFocalCrossentropy,
  type WeightedLoss,
} from '@tfjs-imbalance/weighted-loss';

/**
 * The loss a treatment trains with. All take logits.
 * - `'bce'`: binary cross-entropy, re-weighted by `scheme` (PyTorch's `weight`).
 * - `'focal'`: the sigmoid focal loss (Lin et al. 2017), re-weighted by `scheme`.
 * - `'db'`: the Distribution-Balanced loss (Wu et al. 2020) with the official DB-focal settings.
 * - `'asl'`: the Asymmetric Loss (Ridnik et al. 2021) with the official defaults.
 * - `'logit-adjusted'`: binary cross-entropy on x + τ·log(π/(1 − π)), each class's prior log-odds
 *   added during training only (logit adjustment, Menon et al. 2021, per class), so the raw logits
 *   are shifted up by τ·log((1 − π)/π). With per-class sigmoid outputs this is prior-bias
 *   initialisation in disguise: the shift adds to the last layer's bias, so training is the same
 *   as plain training with τ·log(π/(1 − π)) added to that bias at the start, and the logits differ
 *   by the shift alone (a test checks this to float32 rounding). It is not in
 *   {@link DEFAULT_TREATMENTS}: under per-class thresholds it is the `priorBias` run read
 *   differently, and where the search reads raw logits at 0.5 (early stopping, `at05`, classes
 *   the threshold guards keep at 0.5) the shift only makes it look worse. Its raw logits suit a
 *   rule that reads them at 0.5. On a model whose bias already starts at the prior log-odds it
 *   counts the prior twice.
 */
export type TreatmentLoss = 'bce' | 'focal' | 'db' | 'asl' | 'logit-adjusted';

/**
 * One configuration {@link compareTreatments} trains: a loss, its class
 * weights and its schedule. Plain data, so it can be logged, saved and passed
 * back to {@link trainingSetup}.
 */
export interface Treatment {
  /** A unique name for reports. Required. */
  readonly name: string;
  /** The loss; see {@link TreatmentLoss}. Defaults to `'bce'`. */
  readonly loss?: TreatmentLoss;
  /**
   * The class-weight scheme for `'bce'` and `'focal'`, or `'best'`: the
   * scheme of the best `'bce'` treatment with a scheme run before this one
   * (for "the best re-weighting, with the focal loss"). Defaults to `'none'`.
   */
  readonly scheme?: SchemeConfig | SchemeName | 'best';
  /**
   * How a row's positive classes' weights combine: `'sum'` (the reference),
   * `'mean'` or `'max'`. Defaults to `'sum'` with a scheme and `'max'`
   * without one, so that unweighted training weighs every row 1 (a sum of
   * uniform weights would weigh a row by its number of labels).
   */
  readonly combine?: CombineRule;
  /** PyTorch's `pos_weight`, (N − n_c)/n_c per class. Defaults to `false`. */
  readonly posWeight?: boolean;
  /** The focal loss's γ. Defaults to `2`. */
  readonly gamma?: number;
  /** Deferred re-weighting (DRW, Cao et al. 2019): uniform weights before this epoch (0-based). Defaults to `0`. */
  readonly deferUntilEpoch?: number;
  /**
   * Set the bias of the model's last layer to each class's prior log-odds
   * log(n_c/(N − n_c)) before training (Lin et al. 2017), instead of the
   * factory's initial bias. Defaults to `false`.
   */
  readonly priorBias?: boolean;
  /** The strength τ of `'logit-adjusted'`. Defaults to `1`. */
  readonly tau?: number;
}

const TREATMENT_KEYS = optionNames<Treatment>()('name', 'loss', 'scheme', 'combine', 'posWeight', 'gamma', 'deferUntilEpoch', 'priorBias', 'tau');
const LOSSES: readonly TreatmentLoss[] = ['bce', 'focal', 'db', 'asl', 'logit-adjusted'];

/**
 * The built-in list, in the order it runs: plain training first (the
 * baseline every other run is measured against), prior-bias
 * initialisation, the GumGum write-up's schemes (INS, ISNS, ENS at β 0.99
 * and 0.999) on binary cross-entropy, the focal loss alone and with the best
 * of those schemes, and the Distribution-Balanced and Asymmetric losses.
 * Logit-adjusted binary cross-entropy is left out: under per-class
 * thresholds it is the prior-bias run (see {@link TreatmentLoss}); add
 * `{ name: 'logit-adjusted', loss: 'logit-adjusted' }` to run it anyway.
 */
export const DEFAULT_TREATMENTS: readonly Treatment[] = deepFreeze([
  { name: 'plain' },
  { name: 'prior-bias', priorBias: true },
  { name: 'ins', scheme: 'ins' },
  { name: 'isns', scheme: 'isns' },
  { name: 'ens-0.99', scheme: { name: 'ens', beta: 0.99 } },
  { name: 'ens-0.999', scheme: { name: 'ens', beta: 0.999 } },
  { name: 'focal', loss: 'focal' },
  { name: 'best-scheme+focal', loss: 'focal', scheme: 'best' },
  { name: 'db', loss: 'db' },
  { name: 'asl', loss: 'asl' },
] satisfies Treatment[]);

/** Freezes a list of plain treatments and everything in them, so no caller can change the defaults. */
function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

/** Checks one treatment; the argument name goes into every message. @internal */
export function checkTreatment(argument: string, t: Treatment): void {
  if (t === null || typeof t !== 'object') throw new InvalidOptionError(argument, `must be a treatment such as { name: 'ins', scheme: 'ins' }, got ${describe(t)}.`);
  checkOptionNames(argument, t, TREATMENT_KEYS);
  checkConstraint(`${argument}.name`, t.name, { text: {} });
  const loss = checkOneOf(`${argument}.loss`, t.loss ?? 'bce', LOSSES);
  const scheme = t.scheme ?? 'none';
  if (scheme !== 'best') parseScheme(scheme, `${argument}.scheme`);
  const weighted = scheme !== 'none' || t.posWeight === true || (t.deferUntilEpoch ?? 0) > 0;
  if (weighted && (loss === 'db' || loss === 'asl' || loss === 'logit-adjusted')) {
    throw new InvalidOptionError(
      argument,
      `"${t.name}": scheme, posWeight and deferUntilEpoch apply to loss 'bce' or 'focal', not '${loss}' (it weighs classes its own way). Drop them, or use loss 'bce'.`,
    );
  }
  if (t.gamma !== undefined) checkRange(`${argument}.gamma`, t.gamma, { min: 0, max: 10 });
  if (t.tau !== undefined) checkRange(`${argument}.tau`, t.tau, { min: 0, max: 10 });
  checkDeclared(argument, t, { deferUntilEpoch: { whole: { min: 0 } }, posWeight: 'boolean', priorBias: 'boolean' });
}

/** What trains one treatment: the loss for `model.compile`, the callbacks for `fit`, and a step that prepares the model. */
export interface TrainingSetup {
  /** The loss to pass to `model.compile`. A {@link WeightedLoss} except for `'logit-adjusted'`; free it with {@link TrainingSetup.dispose}. */
  readonly loss: WeightedLoss | ((yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Tensor);
  /** Callbacks to add to `fit` (the sample-weight callback for DRW); may be empty. */
  readonly callbacks: Callback[];
  /** Prepares a fresh model before `compile` (sets its last bias for `priorBias`). */
  prepare(model: LayersModel): void;
  /** Frees the loss's tensors. */
  dispose(): void;
}

/**
 * The loss, callbacks and model preparation of one treatment, from the
 * training set's class counts: what {@link compareTreatments} trains each
 * candidate with, to train the selected one again on more data.
 *
 * @param treatment - The treatment (a `scheme: 'best'` must be resolved first: pass the selected run's `treatment`, which is).
 * @param counts - The training set's class counts (`countMultiHot(yTrain)`).
 * @returns The loss, callbacks and preparation step.
 *
 * @example Train the selected treatment on train + validation
 * ```ts
 * const setup = trainingSetup(comparison.selected.treatment, countMultiHot(yAll));
 * const model = makeModel();
 * setup.prepare(model);
 * model.compile({ optimizer: tf.train.adam(1e-3), loss: setup.loss });
 * await model.fit(xAll, yAll, { epochs: comparison.selected.bestEpoch + 1, callbacks: setup.callbacks });
 * setup.dispose();
 * ```
 */
export function trainingSetup(treatment: Treatment, counts: ClassCounts): TrainingSetup {
  checkTreatment('treatment', treatment);
  if (treatment.scheme === 'best') {
    throw new InvalidOptionError('treatment.scheme', `is 'best', which only compareTreatments can resolve. Pass a run's treatment (its scheme is resolved), or a scheme such as 'ins'.`);
  }
  const C = counts.positives.length;
  const scheme = treatment.scheme ?? 'none';
  const loss = treatment.loss ?? 'bce';
  const defer = treatment.deferUntilEpoch ?? 0;
  const common = {
    numClasses: C,
    combine: treatment.combine ?? (scheme === 'none' ? 'max' : 'sum'),
    ...(treatment.posWeight === true ? { posWeight: posWeight(counts, { emptyClass: 'max' }) } : {}),
  };
  let made: TrainingSetup['loss'];
  let weighted: WeightedLoss | undefined;
  if (loss === 'db') made = weighted = distributionBalancedLoss({ numClasses: C, counts });
  else if (loss === 'asl') made = weighted = asymmetricLoss({ numClasses: C });
  else if (loss === 'logit-adjusted') {
    const shift = tf.tensor1d(priorBias(counts).map((b) => (treatment.tau ?? 1) * b));
    const fn = (yTrue: tf.Tensor, yPred: tf.Tensor) =>
      tf.tidy(() => binaryCrossEntropy(yTrue, tf.add(yPred, shift), { from: 'logits', reduction: 'mean', validate: false }));
    made = Object.assign(fn, { dispose: () => shift.dispose() });
  } else {
    const args = { ...common, ...(defer === 0 ? { scheme, counts } : {}) };
    made = weighted = loss === 'focal' ? weightedBinaryFocalCrossentropy({ ...args, gamma: treatment.gamma ?? 2 }) : weightedBinaryCrossentropy(args);
  }
  const callbacks: Callback[] = defer > 0 && weighted !== undefined ? [sampleWeightCallback({ losses: weighted, scheme, counts, deferUntilEpoch: defer })] : [];
  return {
    loss: made,
    callbacks,
    prepare(model) {
      if (treatment.priorBias === true) setLastBias(model, priorBias(counts));
    },
    dispose() {
      (made as { dispose?: () => void }).dispose?.();
    },
  };
}

/**
 * The bias `priorBias` sets: the last layer's bias of one value per output
 * (or `width` values), and its index among that layer's weights. @internal
 */
export function biasToSet(argument: string, model: LayersModel, width = model.outputs[0]!.shape.at(-1)!) {
  for (let i = model.layers.length - 1; i >= 0; i--) {
    const layer = model.layers[i]!;
    const k = layer.weights.findIndex((w) => /bias/i.test(w.name) && w.shape.length === 1 && w.shape[0] === width);
    if (k >= 0) return { layer, k };
  }
  throw new InvalidOptionError(argument, `is true, but the model has no layer with a bias of ${width} values (one per class). Give the output layer a bias (useBias: true), or drop priorBias.`);
}

/** Sets the bias of the model's last layer that has one of the output's width. */
function setLastBias(model: LayersModel, values: readonly number[]): void {
  const { layer, k } = biasToSet('treatment.priorBias', model, values.length);
  const weights = layer.getWeights();
  tf.tidy(() => layer.setWeights(weights.map((w, j) => (j === k ? tf.tensor1d(values as number[]) : w))));
}
