// The bad-input matrix: every row is a call that must throw the named error
// class with a message containing the fragment. test/matrix.test.ts runs it;
// src/render.ts turns it into docs/guides/errors.md, so the guide cannot drift.
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import * as tfd from '@tensorflow/tfjs-data';
import * as ws from '@tfjs-imbalance/weight-schemes';
import * as fb from '@tfjs-imbalance/fbeta-metric';
import * as wl from '@tfjs-imbalance/weighted-loss';
import * as cb from '@tfjs-imbalance/sample-weight-callback';

/** One bad input. */
export interface Row {
  /** The package. */
  readonly pkg: 'weight-schemes' | 'fbeta-metric' | 'weighted-loss' | 'sample-weight-callback';
  /** The call, as a user would write it (shown in the guide). */
  readonly call: string;
  /** What is wrong. */
  readonly what: string;
  /** The error class expected. */
  readonly error: string;
  /** A fragment the message must contain. */
  readonly fragment: string;
  /** Runs the call (sync or async); tensors it makes are disposed by the runner. */
  readonly run: () => unknown;
  /**
   * For a call that throws from inside `fit`: the same training with a plain
   * stand-in that throws at the same point. tfjs-layers' `fit` itself leaves
   * some tensors behind when a loss or callback throws (its batch slices, the
   * epoch logs); the row may leave no more than the stand-in does, so every
   * tensor of ours is still accounted for.
   */
  readonly tfjsBaseline?: () => Promise<unknown>;
}

const t2 = (rows: number[][]) => tf.tensor2d(rows);
/** A loss made for a row and disposed after it. */
const withLoss = <T>(make: () => wl.WeightedLoss, use: (l: wl.WeightedLoss) => T) => () => {
  const l = make();
  try {
    return use(l);
  } finally {
    l.dispose();
  }
};

/**
 * A row that trains: a one-layer model (two features, `units` outputs) compiled
 * with the first loss `make` returns, then `use(model, losses)`; disposes the
 * model and the losses. The runner disposes the tensors.
 */
const inFit =
  (
    make: () => wl.WeightedLoss[],
    use: (m: tfl.LayersModel, losses: wl.WeightedLoss[]) => Promise<unknown>,
    opts: { activation?: 'sigmoid'; metrics?: () => NonNullable<tfl.ModelCompileArgs['metrics']> } = {},
  ) =>
  async () => {
    const losses = make();
    const model = tfl.sequential({ layers: [tfl.layers.dense({ units: 2, inputShape: [2], ...(opts.activation ? { activation: opts.activation } : {}) })] });
    try {
      model.compile({ optimizer: 'sgd', loss: losses[0]!, ...(opts.metrics ? { metrics: opts.metrics() } : {}) });
      return await use(model, losses);
    } finally {
      model.dispose();
      losses.forEach((l) => l.dispose());
    }
  };
const X = () => tf.tensor2d([[1, 2], [3, 4]]);
const fit = (m: tfl.LayersModel, y: number[][] | tf.Tensor, callbacks: tfl.Callback[] = []) =>
  m.fit(X(), y instanceof tf.Tensor ? y : t2(y), { epochs: 1, verbose: 0, callbacks });
/** A two-output model ("tags", "topics") compiled with one loss for both, trained with `callbacks(loss)`. */
const twoOutputs = (callbacks: (loss: wl.WeightedLoss) => tfl.Callback[]) => async () => {
  const input = tfl.input({ shape: [2] });
  const outputs = ['tags', 'topics'].map((name) => tfl.layers.dense({ units: 2, name }).apply(input) as tfl.SymbolicTensor);
  const model = tfl.model({ inputs: input, outputs });
  const loss = wl.weightedBinaryCrossentropy({ numClasses: 2 });
  try {
    model.compile({ optimizer: 'sgd', loss });
    await model.fit(X(), [t2([[1, 0], [1, 0]]), t2([[0, 1], [0, 1]])], { epochs: 1, verbose: 0, callbacks: callbacks(loss) });
  } finally {
    model.dispose();
    loss.dispose();
  }
};
const bce2 = () => wl.weightedBinaryCrossentropy({ numClasses: 2 });
const fail = () => {
  throw new Error('stand-in');
};
/** A plain tfjs callback that throws at batch or epoch end (a `CustomCallback` would leave fewer tensors than a `Callback` subclass does). */
class Throwing extends tfl.Callback {
  constructor(private readonly where: 'trainBegin' | 'batchEnd' | 'epochEnd') {
    super();
  }
  override async onTrainBegin(): Promise<void> {
    if (this.where === 'trainBegin') fail();
  }
  override async onBatchEnd(): Promise<void> {
    if (this.where === 'batchEnd') fail();
  }
  override async onEpochEnd(): Promise<void> {
    fail();
  }
}
/** The stand-ins of {@link Row.tfjsBaseline}: the same one-layer training with a plain loss or callback that throws. */
const tfjsThrowing = (where: 'loss' | 'trainBegin' | 'batchEnd' | 'epochEnd') => async () => {
  const model = tfl.sequential({ layers: [tfl.layers.dense({ units: 2, inputShape: [2] })] });
  try {
    model.compile({ optimizer: 'sgd', loss: where === 'loss' ? fail : 'meanSquaredError' });
    await fit(model, [[1, 0], [1, 0]], where === 'loss' ? [] : [new Throwing(where)]);
  } finally {
    model.dispose();
  }
};

export const ROWS: readonly Row[] = [
  // weight-schemes: counting
  { pkg: 'weight-schemes', call: 'countMultiHot([])', what: 'no rows', error: 'EmptyInputError', fragment: 'got 0 rows', run: () => ws.countMultiHot([]) },
  { pkg: 'weight-schemes', call: 'countMultiHot([[1, 0], [1]])', what: 'ragged rows', error: 'ShapeMismatchError', fragment: 'row 1 has length 1 but row 0 has length 2', run: () => ws.countMultiHot([[1, 0], [1]]) },
  { pkg: 'weight-schemes', call: 'countMultiHot([[1, NaN]])', what: 'NaN in labels', error: 'NonFiniteValueError', fragment: 'is NaN', run: () => ws.countMultiHot([[1, Number.NaN]]) },
  { pkg: 'weight-schemes', call: 'countMultiHot([[2, 0]])', what: 'a label outside [0, 1]', error: 'OutOfRangeError', fragment: 'multi-hot labels must lie in [0, 1]', run: () => ws.countMultiHot([[2, 0]]) },
  { pkg: 'weight-schemes', call: 'countMultiHot(tf.tensor1d([0, 1]))', what: 'a rank-1 tensor', error: 'ShapeMismatchError', fragment: 'got shape [2]', run: () => ws.countMultiHot(tf.tensor1d([0, 1])) },
  { pkg: 'weight-schemes', call: 'countOneHot([[1, 1]])', what: 'two positives in a one-hot row', error: 'ShapeMismatchError', fragment: 'one-hot rows need exactly 1', run: () => ws.countOneHot([[1, 1]]) },
  { pkg: 'weight-schemes', call: 'countIndices([0, 5], 3)', what: 'a class index ≥ the number of classes', error: 'OutOfRangeError', fragment: 'index 1 is 5', run: () => ws.countIndices([0, 5], 3) },
  { pkg: 'weight-schemes', call: 'countIndices([0], 0)', what: 'zero classes', error: 'InvalidCountError', fragment: 'numClasses: must be a whole number ≥ 1', run: () => ws.countIndices([0], 0) },
  { pkg: 'weight-schemes', call: 'countStream([])', what: 'an empty stream', error: 'EmptyInputError', fragment: 'yielded no labelled rows', run: () => ws.countStream([]) },
  { pkg: 'weight-schemes', call: "countStream(batches, { numClases: 3 })", what: 'a misspelt option', error: 'InvalidOptionError', fragment: 'unknown option "numClases"', run: () => ws.countStream([[[1]]], { numClases: 3 } as never) },
  { pkg: 'weight-schemes', call: 'mergeCounts(countsOf2Classes, countsOf3Classes)', what: 'counts over different classes', error: 'ShapeMismatchError', fragment: 'has 3 classes but this counter has 2', run: () => ws.mergeCounts(ws.countMultiHot([[1, 0]]), ws.countMultiHot([[1, 0, 0]])) },
  // weight-schemes: schemes and weights
  { pkg: 'weight-schemes', call: "classWeights([10, -1], 'ins')", what: 'a negative count', error: 'InvalidCountError', fragment: 'counts must be whole numbers ≥ 0, got -1', run: () => ws.classWeights([10, -1], 'ins') },
  { pkg: 'weight-schemes', call: "classWeights([10, 2.5], 'ins')", what: 'a fractional count', error: 'InvalidCountError', fragment: 'got 2.5', run: () => ws.classWeights([10, 2.5], 'ins') },
  { pkg: 'weight-schemes', call: "classWeights([10, Infinity], 'ins')", what: 'an infinite count', error: 'NonFiniteValueError', fragment: 'expected a finite count, got Infinity', run: () => ws.classWeights([10, Infinity], 'ins') },
  { pkg: 'weight-schemes', call: "classWeights([10, 0], 'ins')", what: 'an empty class (the reference gives inf, then NaN)', error: 'EmptyClassError', fragment: 'class 1 has a count of 0', run: () => ws.classWeights([10, 0], 'ins') },
  { pkg: 'weight-schemes', call: "classWeights([10, 5], { name: 'ens', beta: 1 })", what: 'ENS β = 1', error: 'OutOfRangeError', fragment: 'scheme.beta: must lie in [0, 1), got 1', run: () => ws.classWeights([10, 5], { name: 'ens', beta: 1 }) },
  { pkg: 'weight-schemes', call: "classWeights([10, 5], 'ens')", what: 'ENS without β', error: 'InvalidOptionError', fragment: "scheme.beta: is required: ENS needs β, as in { name: 'ens', beta: 0.999 }", run: () => ws.classWeights([10, 5], 'ens' as never) },
  { pkg: 'weight-schemes', call: "classWeights([10, 5], { name: 'ens', beta: NaN })", what: 'ENS β NaN', error: 'NonFiniteValueError', fragment: 'scheme.beta: expected a finite number, got NaN', run: () => ws.classWeights([10, 5], { name: 'ens', beta: Number.NaN }) },
  { pkg: 'weight-schemes', call: "classWeights([10, 5], { name: 'ens', betta: 0.9 })", what: 'a misspelt scheme parameter', error: 'InvalidOptionError', fragment: 'unknown option "betta"', run: () => ws.classWeights([10, 5], { name: 'ens', betta: 0.9 } as never) },
  { pkg: 'weight-schemes', call: "classWeights([10, 5], 'inverse')", what: 'an unknown scheme', error: 'InvalidOptionError', fragment: 'unknown scheme "inverse"', run: () => ws.classWeights([10, 5], 'inverse' as never) },
  { pkg: 'weight-schemes', call: 'sampleWeights([[1, 0, 1]], [1, 2])', what: 'class weights for another number of classes', error: 'ShapeMismatchError', fragment: 'has 2 weights (shape [2]) but the labels have 3 classes', run: () => ws.sampleWeights([[1, 0, 1]], [1, 2]) },
  { pkg: 'weight-schemes', call: 'sampleWeights([[1, 0]], [1, NaN])', what: 'NaN in class weights', error: 'NonFiniteValueError', fragment: 'classWeights[1]: expected a finite number', run: () => ws.sampleWeights([[1, 0]], [1, Number.NaN]) },
  { pkg: 'weight-schemes', call: "sampleWeights(labels, w, { combine: 'median' })", what: 'an unknown combine rule', error: 'InvalidOptionError', fragment: "must be 'sum', 'mean' or 'max'", run: () => ws.sampleWeights([[1]], [1], { combine: 'median' } as never) },
  { pkg: 'weight-schemes', call: 'posWeight(counts, { emptyClass: { value: NaN } })', what: 'a NaN fill value (NaN weights before)', error: 'NonFiniteValueError', fragment: 'options.emptyClass.value', run: () => ws.posWeight({ positives: [0, 5], samples: 10, emptyRows: 0 }, { emptyClass: { value: Number.NaN } }) },
  { pkg: 'weight-schemes', call: 'posWeight(counts, { emptyClass: { value: -1 } })', what: 'a negative fill value', error: 'OutOfRangeError', fragment: 'options.emptyClass.value', run: () => ws.posWeight({ positives: [0, 5], samples: 10, emptyRows: 0 }, { emptyClass: { value: -1 } }) },
  { pkg: 'weight-schemes', call: 'posWeight(counts, { emptyClass: { valeu: 1 } })', what: 'a misspelt key (undefined weights before)', error: 'InvalidOptionError', fragment: 'unknown option "valeu"', run: () => ws.posWeight({ positives: [0, 5], samples: 10, emptyRows: 0 }, { emptyClass: { valeu: 1 } as never }) },
  { pkg: 'weight-schemes', call: 'posWeight({ positives: [3], samples: 2, emptyRows: 0 })', what: 'more positives than samples', error: 'InvalidCountError', fragment: 'is 3 but there are only 2 samples', run: () => ws.posWeight({ positives: [3], samples: 2, emptyRows: 0 }) },
  // fbeta-metric
  { pkg: 'fbeta-metric', call: 'fbetaScores(counts, { beta: 0 })', what: 'F-beta β ≤ 0', error: 'OutOfRangeError', fragment: 'options.beta: must lie in (0, ∞), got 0', run: () => fb.fbetaScores({ tp: [1], fp: [0], fn: [0], samples: 1 }, { beta: 0 }) },
  { pkg: 'fbeta-metric', call: 'fbetaScores(counts, { zeroDivision: 2 })', what: 'an unknown zeroDivision', error: 'InvalidOptionError', fragment: "must be 0, 1 or 'nan'", run: () => fb.fbetaScores({ tp: [1], fp: [0], fn: [0], samples: 1 }, { zeroDivision: 2 as never }) },
  { pkg: 'fbeta-metric', call: 'confusionCounts([[1, 0]], [[0.5, 0.5, 0.5]])', what: 'predictions of another shape', error: 'ShapeMismatchError', fragment: 'has shape [1, 3] but yTrue has shape [1, 2]', run: () => fb.confusionCounts([[1, 0]], [[0.5, 0.5, 0.5]]) },
  { pkg: 'fbeta-metric', call: 'confusionCounts(tf.tensor2d([[1, 0]]), tf.tensor2d([[NaN, 0.2]]))', what: 'NaN predictions', error: 'NonFiniteValueError', fragment: 'yPred: value at row 0, column 0', run: () => fb.confusionCounts(t2([[1, 0]]), t2([[Number.NaN, 0.2]])) },
  { pkg: 'fbeta-metric', call: 'confusionCounts(tf.tensor2d([[1, 0]]), tf.tensor2d([[3, 0.2]]))', what: 'probabilities above 1 (logits without from)', error: 'OutOfRangeError', fragment: "If these are logits, pass from: 'logits'", run: () => fb.confusionCounts(t2([[1, 0]]), t2([[3, 0.2]])) },
  { pkg: 'fbeta-metric', call: 'confusionCounts(tf.tensor2d([[2, 0]]), tf.tensor2d([[0.3, 0.2]]))', what: 'a label outside [0, 1]', error: 'OutOfRangeError', fragment: 'yTrue: value at row 0, column 0 of shape [1, 2] is 2', run: () => fb.confusionCounts(t2([[2, 0]]), t2([[0.3, 0.2]])) },
  { pkg: 'fbeta-metric', call: 'confusionCounts(tf.zeros([0, 2]), tf.zeros([0, 2]))', what: 'an empty batch', error: 'EmptyInputError', fragment: 'is an empty batch (shape [0, 2])', run: () => fb.confusionCounts(tf.zeros([0, 2]), tf.zeros([0, 2])) },
  { pkg: 'fbeta-metric', call: 'new FBetaAccumulator({ threshold: 1.5 })', what: 'a threshold outside [0, 1]', error: 'OutOfRangeError', fragment: 'args.threshold: must lie in [0, 1], got 1.5', run: () => new fb.FBetaAccumulator({ threshold: 1.5 }) },
  { pkg: 'fbeta-metric', call: 'new FBetaAccumulator({ threshold: [0.5] }).update(yOf2Classes, pOf2Classes)', what: 'per-class thresholds for another number of classes', error: 'ShapeMismatchError', fragment: 'has 1 per-class thresholds but the predictions have 2 classes', run: () => new fb.FBetaAccumulator({ threshold: [0.5] }).update([[1, 0]], [[0.2, 0.1]]) },
  { pkg: 'fbeta-metric', call: 'new FBetaAccumulator({ treshold: 0.5 })', what: 'a misspelt option', error: 'InvalidOptionError', fragment: 'unknown option "treshold"', run: () => new fb.FBetaAccumulator({ treshold: 0.5 } as never) },
  { pkg: 'fbeta-metric', call: 'new FBetaAccumulator().result()', what: 'reading before any batch', error: 'EmptyInputError', fragment: 'no batch was added yet', run: () => new fb.FBetaAccumulator().result() },
  { pkg: 'fbeta-metric', call: "confusionCounts([0, 4], [0, 1], { task: 'multiclass', numClasses: 3 })", what: 'a class index out of range', error: 'OutOfRangeError', fragment: 'index 1 is 4', run: () => fb.confusionCounts([0, 4], [0, 1], { task: 'multiclass', numClasses: 3 }) },
  { pkg: 'fbeta-metric', call: "fbetaMetric({ average: 'weighted' })", what: 'an average the per-batch metric cannot compute', error: 'InvalidOptionError', fragment: "must be 'micro' or 'macro' per batch", run: () => fb.fbetaMetric({ average: 'weighted' } as never) },
  { pkg: 'fbeta-metric', call: 'fbetaCallback({})', what: 'no validation data', error: 'InvalidOptionError', fragment: 'args.validationData: is required', run: () => fb.fbetaCallback({} as never) },
  { pkg: 'fbeta-metric', call: 'tuneThresholds([[1, 0]], [[0.5]])', what: 'scores of another shape', error: 'ShapeMismatchError', fragment: 'scores: has shape [1, 1] but yTrue has shape [1, 2]', run: () => fb.tuneThresholds([[1, 0]], [[0.5]]) },
  { pkg: 'fbeta-metric', call: 'averagePrecision([[1, 0]], [[0.5]])', what: 'scores of another shape', error: 'ShapeMismatchError', fragment: 'scores: has shape [1, 1] but yTrue has shape [1, 2]', run: () => fb.averagePrecision([[1, 0]], [[0.5]]) },
  { pkg: 'fbeta-metric', call: 'mapCallback({})', what: 'no validation data', error: 'InvalidOptionError', fragment: 'args.validationData: is required', run: () => fb.mapCallback({} as never) },
  { pkg: 'weight-schemes', call: 'priorBias({ positives: [0, 5], samples: 5, emptyRows: 0 })', what: 'a class in no row or every row', error: 'EmptyClassError', fragment: 'positive in no row or in every row', run: () => ws.priorBias({ positives: [0, 5], samples: 5, emptyRows: 0 }) },
  { pkg: 'fbeta-metric', call: 'fbetaScores({ tp: [NaN], fp: [0], fn: [0], samples: 1 })', what: 'a NaN count', error: 'InvalidCountError', fragment: 'counts.tp[0]: must be a finite count ≥ 0, got NaN', run: () => fb.fbetaScores({ tp: [Number.NaN], fp: [0], fn: [0], samples: 1 }) },
  { pkg: 'fbeta-metric', call: 'fbetaScores({ tp: [-3], fp: [0], fn: [0], samples: 1 })', what: 'a negative count (precision 1.5 before)', error: 'InvalidCountError', fragment: 'counts.tp[0]: must be a finite count ≥ 0, got -3', run: () => fb.fbetaScores({ tp: [-3], fp: [0], fn: [0], samples: 1 }) },
  { pkg: 'fbeta-metric', call: 'fbetaScores({ tp: [1] })', what: 'counts without fp and fn (an internal TypeError before)', error: 'InvalidOptionError', fragment: 'counts.fp: must be one count per class', run: () => fb.fbetaScores({ tp: [1] } as never) },
  { pkg: 'fbeta-metric', call: 'classificationReport({})', what: 'not a scores object', error: 'InvalidOptionError', fragment: 'scores: must be the FBetaScores of fbetaScores()', run: () => fb.classificationReport({} as never) },
  { pkg: 'fbeta-metric', call: 'classificationReport(scores, { labels: [1, 2] })', what: 'numeric labels', error: 'InvalidOptionError', fragment: 'options.labels: must be one string per class', run: () => fb.classificationReport(fb.fbetaScores({ tp: [1, 1], fp: [0, 0], fn: [0, 0], samples: 2 }), { labels: [1, 2] as never }) },
  { pkg: 'weight-schemes', call: 'countStream(null)', what: 'no source (an internal TypeError before)', error: 'InvalidOptionError', fragment: 'source: expected an iterable', run: () => ws.countStream(null as never) },
  { pkg: 'sample-weight-callback', call: "sampleWeightCallback({ losses, scheme: 'ins', verbose: 'yes' })", what: 'a verbose that is not 0 or 1', error: 'InvalidOptionError', fragment: 'args.verbose: must be 0 or 1', run: withLoss(() => wl.weightedBinaryCrossentropy({ numClasses: 2 }), (l) => cb.sampleWeightCallback({ losses: l, scheme: 'ins', verbose: 'yes' as never })) },
  { pkg: 'sample-weight-callback', call: "sampleWeightCallback({ losses, scheme: 'ins', logWeights: 'no' })", what: 'a logWeights that is not a boolean', error: 'InvalidOptionError', fragment: 'args.logWeights: must be true or false', run: withLoss(() => wl.weightedBinaryCrossentropy({ numClasses: 2 }), (l) => cb.sampleWeightCallback({ losses: l, scheme: 'ins', logWeights: 'no' as never })) },
  { pkg: 'sample-weight-callback', call: "sampleWeightCallback({ losses, scheme: 'ins', data, format: 'sparse' })", what: 'an unknown format, now checked at construction', error: 'InvalidOptionError', fragment: "args.format: must be 'multi-hot', 'one-hot' or 'indices'", run: withLoss(() => wl.weightedBinaryCrossentropy({ numClasses: 2 }), (l) => cb.sampleWeightCallback({ losses: l, scheme: 'ins', data: [[1, 0]], format: 'sparse' as never })) },
  { pkg: 'fbeta-metric', call: "fbetaCallback({ validationData, perClass: 'ab' })", what: 'perClass neither a boolean nor label strings (it failed only at epoch end)', error: 'InvalidOptionError', fragment: 'args.perClass: must be true, false or one label string per class', run: () => fb.fbetaCallback({ validationData: [tf.zeros([1, 1]), tf.zeros([1, 1])], perClass: 'ab' as never }) },
  { pkg: 'fbeta-metric', call: 'tuneThresholds(y, p, { initial: 1.5 })', what: 'an initial threshold outside [0, 1]', error: 'OutOfRangeError', fragment: 'options.initial: must lie in [0, 1], got 1.5', run: () => fb.tuneThresholds([[1]], [[0.5]], { initial: 1.5 }) },
  { pkg: 'fbeta-metric', call: 'tuneThresholds(y, p, { fbr: 2 })', what: 'an fbr outside [0, 1]', error: 'OutOfRangeError', fragment: 'options.fbr: must lie in [0, 1], got 2', run: () => fb.tuneThresholds([[1]], [[0.5]], { fbr: 2 }) },
  { pkg: 'fbeta-metric', call: 'tuneThresholds(y, p, { minPositives: -1 })', what: 'a negative minimum of positives', error: 'InvalidOptionError', fragment: 'options.minPositives: must be a whole number ≥ 0', run: () => fb.tuneThresholds([[1]], [[0.5]], { minPositives: -1 }) },
  { pkg: 'fbeta-metric', call: "tuneThresholds(y, p, { objective: 'macro' })", what: 'an unknown objective', error: 'InvalidOptionError', fragment: "options.objective: must be 'per-class' or 'micro'", run: () => fb.tuneThresholds([[1]], [[0.5]], { objective: 'macro' as never }) },
  { pkg: 'fbeta-metric', call: 'applyThresholds([[0.2, 0.9]], [0.5])', what: 'thresholds for another number of classes', error: 'ShapeMismatchError', fragment: 'thresholds: has 1 per-class thresholds but scores has shape [1, 2]', run: () => fb.applyThresholds([[0.2, 0.9]], [0.5]) },
  // weighted-loss
  { pkg: 'weighted-loss', call: 'weightedBinaryCrossentropy()', what: 'no arguments (an internal TypeError before)', error: 'InvalidOptionError', fragment: 'args: must be an object such as { numClasses: 29 }', run: () => wl.weightedBinaryCrossentropy(undefined as never) },
  { pkg: 'weighted-loss', call: "lossFromConfig({ className: 'constructor', config: {} })", what: 'a prototype key as class name', error: 'InvalidOptionError', fragment: 'unknown loss "constructor"', run: () => wl.lossFromConfig({ className: 'constructor', config: {} } as never) },
  { pkg: 'weighted-loss', call: "lossFromConfig({ className: 'WeightedBinaryCrossentropy' })", what: 'a config without config', error: 'InvalidOptionError', fragment: 'config.config: expected the constructor arguments', run: () => wl.lossFromConfig({ className: 'WeightedBinaryCrossentropy' } as never) },
  { pkg: 'weighted-loss', call: 'weightedBinaryCrossentropy({ numClasses: 2 })(tf.tensor2d([[2, 0]]), logits)', what: 'a label of 2 inside the loss class (as in fit, with no callback)', error: 'OutOfRangeError', fragment: 'yTrue: the labels of the batch in call 1 of this loss (shape [1, 2]) hold NaN or values outside the label range', run: withLoss(() => wl.weightedBinaryCrossentropy({ numClasses: 2 }), (l) => l(t2([[2, 0]]), t2([[0.1, 0.2]]))) },
  { pkg: 'weighted-loss', call: 'weightedCategoricalCrossentropy({ numClasses: 3 })(tf.tensor1d([0, 3]), logits)', what: 'a class index out of range inside the loss class', error: 'OutOfRangeError', fragment: 'whole class indices in [0, 2], or one-hot or soft rows', run: withLoss(() => wl.weightedCategoricalCrossentropy({ numClasses: 3 }), (l) => l(tf.tensor1d([0, 3]), tf.zeros([2, 3]))) },
  { pkg: 'weighted-loss', call: 'sigmoidDistributionBalancedLoss(y, x, { classCounts: [10, 5], trainNum: 8 })', what: 'N below a class count', error: 'InvalidCountError', fragment: 'args.trainNum: is 8 but class 0 has 10 samples; N must exceed every n_c', run: () => wl.sigmoidDistributionBalancedLoss([[1, 0]], [[0.2, -0.1]], { classCounts: [10, 5], trainNum: 8 }) },
  { pkg: 'weighted-loss', call: 'sigmoidDistributionBalancedLoss(y, x, { classCounts: [10, 0], trainNum: 20 })', what: 'a class with a count of 0', error: 'EmptyClassError', fragment: "class 1 has a count of 0, so 1/n_c is infinite", run: () => wl.sigmoidDistributionBalancedLoss([[1, 0]], [[0.2, -0.1]], { classCounts: [10, 0], trainNum: 20 }) },
  { pkg: 'weighted-loss', call: 'sigmoidDistributionBalancedLoss(y, x, { classCounts: [10], trainNum: 20 })', what: 'counts for another number of classes', error: 'ShapeMismatchError', fragment: 'args.classCounts: has 1 counts (shape [1]) but the logits have 2 classes', run: () => wl.sigmoidDistributionBalancedLoss([[1, 0]], [[0.2, -0.1]], { classCounts: [10], trainNum: 20 }) },
  { pkg: 'weighted-loss', call: 'sigmoidDistributionBalancedLoss(y, x, { ..., lambda: 0.5 })', what: 'λ below 1', error: 'OutOfRangeError', fragment: 'args.lambda: must lie in [1, 100], got 0.5', run: () => wl.sigmoidDistributionBalancedLoss([[1, 0]], [[0.2, -0.1]], { classCounts: [10, 5], trainNum: 20, lambda: 0.5 }) },
  { pkg: 'weighted-loss', call: 'sigmoidDistributionBalancedLoss(y, x, { ..., alpha: -1 })', what: 'a negative α', error: 'OutOfRangeError', fragment: 'args.alpha', run: () => wl.sigmoidDistributionBalancedLoss([[1, 0]], [[0.2, -0.1]], { classCounts: [10, 5], trainNum: 20, alpha: -1 }) },
  { pkg: 'weighted-loss', call: 'sigmoidDistributionBalancedLoss(y, x, { ..., mu: -0.1 })', what: 'a negative μ', error: 'OutOfRangeError', fragment: 'args.mu', run: () => wl.sigmoidDistributionBalancedLoss([[1, 0]], [[0.2, -0.1]], { classCounts: [10, 5], trainNum: 20, mu: -0.1 }) },
  { pkg: 'weighted-loss', call: 'sigmoidDistributionBalancedLoss(y, x, { ..., kappa: -1 })', what: 'a negative κ', error: 'OutOfRangeError', fragment: 'args.kappa', run: () => wl.sigmoidDistributionBalancedLoss([[1, 0]], [[0.2, -0.1]], { classCounts: [10, 5], trainNum: 20, kappa: -1 }) },
  { pkg: 'weighted-loss', call: 'sigmoidDistributionBalancedLoss(y, x, { ..., gamma: -2 })', what: 'a negative focal γ', error: 'OutOfRangeError', fragment: 'args.gamma', run: () => wl.sigmoidDistributionBalancedLoss([[1, 0]], [[0.2, -0.1]], { classCounts: [10, 5], trainNum: 20, gamma: -2 }) },
  { pkg: 'weighted-loss', call: 'sigmoidDistributionBalancedLoss(y, x, { ..., balance: 0 })', what: 'a focal balance of 0', error: 'OutOfRangeError', fragment: 'args.balance', run: () => wl.sigmoidDistributionBalancedLoss([[1, 0]], [[0.2, -0.1]], { classCounts: [10, 5], trainNum: 20, balance: 0 }) },
  { pkg: 'weighted-loss', call: 'sigmoidAsymmetricLoss(y, x, { eps: 0 })', what: 'an eps of 0 (log 0)', error: 'OutOfRangeError', fragment: 'args.eps', run: () => wl.sigmoidAsymmetricLoss([[1, 0]], [[0.2, -0.1]], { eps: 0 }) },
  { pkg: 'weighted-loss', call: 'logitAdjustedCrossEntropy([0], [[1, 2]], { classCounts: [5, 1], tau: -1 })', what: 'a negative τ', error: 'OutOfRangeError', fragment: 'args.tau', run: () => wl.logitAdjustedCrossEntropy([0], [[1, 2]], { classCounts: [5, 1], tau: -1 }) },
  { pkg: 'weighted-loss', call: 'sigmoidAsymmetricLoss(y, x, { clip: 1 })', what: 'a margin of 1', error: 'OutOfRangeError', fragment: 'args.clip: must lie in [0, 1), got 1', run: () => wl.sigmoidAsymmetricLoss([[1, 0]], [[0.2, -0.1]], { clip: 1 }) },
  { pkg: 'weighted-loss', call: 'sigmoidAsymmetricLoss(y, x, { gammaNeg: -1 })', what: 'a negative γ−', error: 'OutOfRangeError', fragment: 'args.gammaNeg', run: () => wl.sigmoidAsymmetricLoss([[1, 0]], [[0.2, -0.1]], { gammaNeg: -1 }) },
  { pkg: 'weighted-loss', call: "asymmetricLoss({ numClasses: 2, from: 'probabilities' })", what: 'ASL on probabilities', error: 'InvalidOptionError', fragment: "args.from: must be 'logits'", run: () => wl.asymmetricLoss({ numClasses: 2, from: 'probabilities' }) },
  { pkg: 'weighted-loss', call: 'logitAdjustedCrossEntropy([0], [[1, 2]], { classCounts: [5, 0] })', what: 'a class with no training sample (log prior −∞)', error: 'EmptyClassError', fragment: 'class 1 has a count of 0, so log(prior) is −∞', run: () => wl.logitAdjustedCrossEntropy([0], [[1, 2]], { classCounts: [5, 0] }) },
  { pkg: 'weighted-loss', call: 'adjustLogits([[1, 2, 3]], { classCounts: [5, 1] })', what: 'logits for another number of classes', error: 'ShapeMismatchError', fragment: 'logits: has shape [1, 3] but the class counts cover 2 classes', run: () => wl.adjustLogits([[1, 2, 3]], { classCounts: [5, 1] }) },
  { pkg: 'weighted-loss', call: 'weightedBinaryCrossentropy({ numClasses: 2, emptyRowWeight: 0 }).setEmptyRowWeight(1)', what: 'setting the empty-row weight of a loss built with a fixed one', error: 'InvalidOptionError', fragment: "build it with emptyRowWeight: 'as-class'", run: withLoss(() => wl.weightedBinaryCrossentropy({ numClasses: 2, emptyRowWeight: 0 }), (l) => l.setEmptyRowWeight(1)) },
  { pkg: 'weighted-loss', call: "weightedBinaryCrossentropy({ numClasses: 2, emptyRowWeight: 'auto' })", what: 'an unknown empty-row rule', error: 'InvalidOptionError', fragment: "args.emptyRowWeight: must be 'as-class' (the default) or a number ≥ 0", run: () => wl.weightedBinaryCrossentropy({ numClasses: 2, emptyRowWeight: 'auto' as never }).dispose() },
  { pkg: 'weighted-loss', call: 'binaryCrossEntropy([[1, 0]], [[0.1, 0.2, 0.3]])', what: 'labels and logits of different shapes', error: 'ShapeMismatchError', fragment: 'yTrue: has shape [1, 2] but yPred has shape [1, 3]', run: () => wl.binaryCrossEntropy([[1, 0]], [[0.1, 0.2, 0.3]]) },
  { pkg: 'weighted-loss', call: 'binaryCrossEntropy(y, x, { weights: [1, 2, 3] })', what: 'weights that do not broadcast', error: 'ShapeMismatchError', fragment: 'does not broadcast to the predictions\' shape [1, 2]', run: () => wl.binaryCrossEntropy([[1, 0]], [[0.1, 0.2]], { weights: [1, 2, 3] }) },
  { pkg: 'weighted-loss', call: 'binaryCrossEntropy([[1, 0]], [[NaN, 0.2]])', what: 'NaN logits', error: 'NonFiniteValueError', fragment: 'yPred: holds NaN', run: () => wl.binaryCrossEntropy([[1, 0]], [[Number.NaN, 0.2]]) },
  { pkg: 'weighted-loss', call: 'binaryCrossEntropy([[1, 0]], [[0.1, 0.2]], { weights: [[Infinity, 1]] })', what: 'infinite weights', error: 'NonFiniteValueError', fragment: 'weights: holds Infinity', run: () => wl.binaryCrossEntropy([[1, 0]], [[0.1, 0.2]], { weights: [[Infinity, 1]] }) },
  { pkg: 'weighted-loss', call: 'binaryCrossEntropy([[1.5, 0]], [[0.1, 0.2]])', what: 'a label outside [0, 1]', error: 'OutOfRangeError', fragment: 'yTrue: holds 1.5', run: () => wl.binaryCrossEntropy([[1.5, 0]], [[0.1, 0.2]]) },
  { pkg: 'weighted-loss', call: "binaryCrossEntropy(y, x, { reduction: 'avg' })", what: 'an unknown reduction', error: 'InvalidOptionError', fragment: "args.reduction: must be one of 'none', 'mean', 'sum', 'per-sample'", run: () => wl.binaryCrossEntropy([[1]], [[0.1]], { reduction: 'avg' as never }) },
  { pkg: 'weighted-loss', call: 'sigmoidFocalLoss(y, x, { gamma: -1 })', what: 'γ < 0', error: 'OutOfRangeError', fragment: 'args.gamma: must lie in [0, 20]', run: () => wl.sigmoidFocalLoss([[1]], [[0.1]], { gamma: -1 }) },
  { pkg: 'weighted-loss', call: 'sigmoidFocalLoss(y, x, { alpha: 1.5 })', what: 'α > 1', error: 'OutOfRangeError', fragment: 'args.alpha', run: () => wl.sigmoidFocalLoss([[1]], [[0.1]], { alpha: 1.5 }) },
  { pkg: 'weighted-loss', call: 'softmaxCrossEntropy([3], [[0.1, 0.2]])', what: 'a class index out of range', error: 'OutOfRangeError', fragment: 'indices must be whole numbers in [0, 2)', run: () => wl.softmaxCrossEntropy([3], [[0.1, 0.2]]) },
  { pkg: 'weighted-loss', call: 'weightedBinaryCrossentropy({})', what: 'no way to know the number of classes', error: 'InvalidOptionError', fragment: 'needs the number of classes', run: () => wl.weightedBinaryCrossentropy({}) },
  { pkg: 'weighted-loss', call: "weightedBinaryCrossentropy({ numClasses: 2, from: 'sigmoid' })", what: 'an unknown prediction kind', error: 'InvalidOptionError', fragment: "args.from: must be 'logits' or 'probabilities'", run: () => wl.weightedBinaryCrossentropy({ numClasses: 2, from: 'sigmoid' as never }) },
  { pkg: 'weighted-loss', call: 'weightedBinaryCrossentropy({ numClasses: 3, posWeight: [1] })', what: 'posWeight for another number of classes', error: 'ShapeMismatchError', fragment: 'args.posWeight: has 1 weights', run: () => wl.weightedBinaryCrossentropy({ numClasses: 3, posWeight: [1] }) },
  { pkg: 'weighted-loss', call: 'lossOf3Classes(yOf2, yPredOf2)', what: 'a model with another number of outputs', error: 'ShapeMismatchError', fragment: 'has 2 classes (shape [1, 2]) but the loss has 3 class weights', run: withLoss(() => wl.weightedBinaryCrossentropy({ numClasses: 3 }), (l) => l(t2([[1, 0]]), t2([[0.1, 0.2]]))) },
  { pkg: 'weighted-loss', call: 'loss.setClassWeights([1, -2, 1])', what: 'a negative class weight', error: 'OutOfRangeError', fragment: 'weights[1]: must lie in [0, ∞), got -2', run: withLoss(() => wl.weightedBinaryCrossentropy({ numClasses: 3 }), (l) => l.setClassWeights([1, -2, 1])) },
  { pkg: 'weighted-loss', call: 'weightedBinaryFocalCrossentropy({ numClasses: 2, normalizeBy: "rows" })', what: 'an unknown normalisation', error: 'InvalidOptionError', fragment: "must be 'classes' or 'positives'", run: () => wl.weightedBinaryFocalCrossentropy({ numClasses: 2, normalizeBy: 'rows' as never }) },
  { pkg: 'weighted-loss', call: "lossFromConfig({ className: 'Nope', config })", what: 'an unknown loss class', error: 'InvalidOptionError', fragment: 'unknown loss "Nope"', run: () => wl.lossFromConfig({ className: 'Nope', config: { classWeights: [] } }) },
  // sample-weight-callback
  { pkg: 'sample-weight-callback', call: "sampleWeightCallback({ losses: lossOf3Classes, scheme: 'ins', counts: [3, 1] })", what: "the loss's class count differs from the counts", error: 'ShapeMismatchError', fragment: 'have 2 classes but the loss has 3 class weights', run: withLoss(() => wl.weightedBinaryCrossentropy({ numClasses: 3 }), (l) => cb.sampleWeightCallback({ losses: l, scheme: 'ins', counts: [3, 1] })) },
  { pkg: 'sample-weight-callback', call: "sampleWeightCallback({ losses: loss, counts })", what: 'no scheme (the loss has none either)', error: 'InvalidOptionError', fragment: 'args.scheme: is needed', run: withLoss(() => wl.weightedBinaryCrossentropy({ numClasses: 2 }), (l) => cb.sampleWeightCallback({ losses: l, counts: [3, 1] })) },
  { pkg: 'sample-weight-callback', call: "sampleWeightCallback({ losses: loss, scheme: 'ins', online: true, decay: 0 })", what: 'decay outside (0, 1]', error: 'OutOfRangeError', fragment: 'args.decay: must lie in (0, 1]', run: withLoss(() => wl.weightedBinaryCrossentropy({ numClasses: 2 }), (l) => cb.sampleWeightCallback({ losses: l, scheme: 'ins', online: true, decay: 0 })) },
  { pkg: 'sample-weight-callback', call: "sampleWeightCallback({ losses: loss, scheme: 'ins', counts, betaSchedule: [0.9] })", what: 'a β schedule for a scheme without β', error: 'InvalidOptionError', fragment: "only applies to the 'ens' scheme", run: withLoss(() => wl.weightedBinaryCrossentropy({ numClasses: 2 }), (l) => cb.sampleWeightCallback({ losses: l, scheme: 'ins', counts: [3, 1], betaSchedule: [0.9] })) },
  { pkg: 'sample-weight-callback', call: "sampleWeightCallback({ losses: loss, scheme: 'ins', counts, shedule: 'epoch' })", what: 'a misspelt option', error: 'InvalidOptionError', fragment: 'unknown option "shedule"', run: withLoss(() => wl.weightedBinaryCrossentropy({ numClasses: 2 }), (l) => cb.sampleWeightCallback({ losses: l, scheme: 'ins', counts: [3, 1], shedule: 'epoch' } as never)) },
  // weighted-loss: the loss classes inside fit, with no callback attached
  { pkg: 'weighted-loss', call: 'model.fit(x, tf.tensor2d([[NaN, 0], [1, 0]]))  // loss: weightedBinaryCrossentropy', what: 'a NaN label in fit (a NaN loss before)', error: 'OutOfRangeError', fragment: 'yTrue: the labels of the batch in call 1 of this loss (shape [2, 2]) hold NaN', run: inFit(() => [bce2()], (m) => fit(m, [[Number.NaN, 0], [1, 0]])) , tfjsBaseline: tfjsThrowing('loss') },
  { pkg: 'weighted-loss', call: 'model.fit(x, tf.tensor2d([[0, 1], [0.5, 0.6]]))  // loss: weightedCategoricalCrossentropy', what: 'a label row summing to 1.1 in fit (its loss scaled by 1.1 before)', error: 'OutOfRangeError', fragment: 'one-hot or soft rows of values in [0, 1] that sum to 1', run: inFit(() => [wl.weightedCategoricalCrossentropy({ numClasses: 2 })], (m) => fit(m, [[0, 1], [0.5, 0.6]])) , tfjsBaseline: tfjsThrowing('loss') },
  { pkg: 'weighted-loss', call: 'model.fit(x, tf.tensor2d([[2, 0], [1, 0]]))  // loss: distributionBalancedLoss', what: 'a label of 2 in fit with the Distribution-Balanced loss', error: 'OutOfRangeError', fragment: 'yTrue: the labels of the batch in call 1', run: inFit(() => [wl.distributionBalancedLoss({ classCounts: { positives: [3, 1], samples: 10, emptyRows: 0 } })], (m) => fit(m, [[2, 0], [1, 0]])) , tfjsBaseline: tfjsThrowing('loss') },
  { pkg: 'weighted-loss', call: 'model.fitDataset(ds)  // ys [[-1, 0]], loss: asymmetricLoss', what: 'a label of −1 in fitDataset', error: 'OutOfRangeError', fragment: 'hold NaN or values outside the label range ([0, 1] for multi-hot labels)', run: inFit(() => [wl.asymmetricLoss({ numClasses: 2 })], (m) => m.fitDataset(tfd.zip({ xs: tfd.array([[1, 2], [3, 4]]), ys: tfd.array([[-1, 0], [1, 0]]) }).batch(2) as never, { epochs: 1, verbose: 0 })) , tfjsBaseline: tfjsThrowing('loss') },
  { pkg: 'weighted-loss', call: 'model.evaluate(x, tf.tensor2d([[3, 0], [1, 0]]))', what: 'a label of 3 in evaluate', error: 'OutOfRangeError', fragment: 'yTrue: the labels of the batch', run: inFit(() => [bce2()], async (m) => m.evaluate(X(), t2([[3, 0], [1, 0]]))) },
  { pkg: 'weighted-loss', call: "weightedBinaryCrossentropy({ numClasses: 2, validateLabels: 'yes' })", what: 'a validateLabels that is not a boolean', error: 'InvalidOptionError', fragment: 'args.validateLabels: must be true or false', run: () => wl.weightedBinaryCrossentropy({ numClasses: 2, validateLabels: 'yes' as never }) },
  { pkg: 'weighted-loss', call: "weightedBinaryFocalCrossentropy({ numClasses: 2, gamma: 'two' })", what: 'a γ that is not a number', error: 'InvalidOptionError', fragment: 'args.gamma: expected a number, got string two', run: () => wl.weightedBinaryFocalCrossentropy({ numClasses: 2, gamma: 'two' as never }) },
  { pkg: 'weighted-loss', call: 'weightedCategoricalCrossentropy({ numClasses: 2, logitAdjustment: { classCounts: [5, 1, 2], tau: 1 } })', what: 'a prior over another number of classes', error: 'ShapeMismatchError', fragment: 'args.logitAdjustment.classCounts: has 3 counts but the loss has 2 classes', run: () => wl.weightedCategoricalCrossentropy({ numClasses: 2, logitAdjustment: { classCounts: [5, 1, 2], tau: 1 } }) },
  { pkg: 'weighted-loss', call: 'dbLoss.setClassCounts({ positives: [10, 5], samples: 8, emptyRows: 0 })', what: 'new counts with N below a class count', error: 'InvalidCountError', fragment: 'counts.trainNum: is 8 but class 0 has 10 samples', run: withLoss(() => wl.distributionBalancedLoss({ classCounts: { positives: [10, 5], samples: 20, emptyRows: 0 } }), (l) => (l as wl.DistributionBalancedLoss).setClassCounts({ positives: [10, 5], samples: 8, emptyRows: 0 })) },
  { pkg: 'weighted-loss', call: "loss.setReweighting('no')", what: 'a switch that is not a boolean', error: 'InvalidOptionError', fragment: 'on: must be true or false, got string no', run: withLoss(bce2, (l) => l.setReweighting('no' as never)) },
  { pkg: 'weighted-loss', call: "weightedBinaryCrossentropy({ classWeights: { a: 2 } })", what: 'a class-weight dict with a key that is not a class index', error: 'InvalidOptionError', fragment: 'args.classWeights: has the key "a"; a class-weight dict maps class indices 0, 1, … to weights', run: () => wl.weightedBinaryCrossentropy({ classWeights: { a: 2 } as never }) },
  { pkg: 'weighted-loss', call: 'weightedBinaryCrossentropy({ numClasses: 2, classWeights: { 3: 2 } })', what: 'a class-weight dict naming a class the model does not have', error: 'ShapeMismatchError', fragment: 'args.classWeights: has class index 3 but there are 2 classes (indices 0 to 1)', run: () => wl.weightedBinaryCrossentropy({ numClasses: 2, classWeights: { 3: 2 } }) },
  { pkg: 'weighted-loss', call: 'weightedBinaryCrossentropy({ numClasses: 2, sampleWeightColumn: true })(tf.tensor2d([[1, 0, NaN]]), logits)', what: 'a NaN sample weight in the packed column', error: 'OutOfRangeError', fragment: 'yTrue: the sample weight in the last column of row 0 (shape [1, 3]) is NaN', run: withLoss(() => wl.weightedBinaryCrossentropy({ numClasses: 2, sampleWeightColumn: true }), (l) => l(t2([[1, 0, Number.NaN]]), t2([[0.1, 0.2]]))) },
  { pkg: 'weighted-loss', call: 'packSampleWeights([[1, 0]], [1, 2])', what: 'sample weights for another number of rows', error: 'ShapeMismatchError', fragment: 'sampleWeights: has shape [2] but yTrue has shape [1, 2]', run: () => wl.packSampleWeights([[1, 0]], [1, 2]) },
  { pkg: 'weighted-loss', call: "saveForResume(model, 'file://./model')  // plain @tensorflow/tfjs in Node", what: 'a file:// URL without tfjs-node (tfjs: "Cannot find any save handlers")', error: 'InvalidOptionError', fragment: 'file:// needs @tensorflow/tfjs-node; with plain @tensorflow/tfjs, pass tf.io.withSaveHandler', run: inFit(() => [bce2()], (m) => wl.saveForResume(m, 'file://./model')) },
  // weighted-loss: configs from JSON (missing, extra and hostile fields)
  { pkg: 'weighted-loss', call: 'lossFromConfig(null)', what: 'no config at all', error: 'InvalidOptionError', fragment: 'config: expected { className, config } from loss.getConfig(), got null', run: () => wl.lossFromConfig(null as never) },
  { pkg: 'weighted-loss', call: "lossFromConfig({ className: '__proto__', config: {} })", what: 'a hostile class name', error: 'InvalidOptionError', fragment: 'unknown loss "__proto__"', run: () => wl.lossFromConfig({ className: '__proto__', config: {} } as never) },
  { pkg: 'weighted-loss', call: "lossFromConfig({ className: 'WeightedBinaryCrossentropy', config: { numClasses: 2, evil: 1 } })", what: 'an extra field in a saved config', error: 'InvalidOptionError', fragment: 'unknown option "evil"', run: () => wl.lossFromConfig({ className: 'WeightedBinaryCrossentropy', config: { numClasses: 2, evil: 1 } } as never) },
  { pkg: 'weighted-loss', call: "lossFromConfig({ className: 'WeightedBinaryCrossentropy', config: { classWeights: 'abc' } })", what: 'a field of the wrong type in a saved config', error: 'ShapeMismatchError', fragment: 'args.classWeights: expected one weight per class, got string abc', run: () => wl.lossFromConfig({ className: 'WeightedBinaryCrossentropy', config: { classWeights: 'abc' } } as never) },
  { pkg: 'weighted-loss', call: "lossFromConfig({ className: 'AsymmetricLoss', config: { numClasses: 2, clip: 2 } })", what: 'a parameter out of range in a saved config', error: 'OutOfRangeError', fragment: 'args.clip: must lie in [0, 1), got 2', run: () => wl.lossFromConfig({ className: 'AsymmetricLoss', config: { numClasses: 2, clip: 2 } } as never) },
  { pkg: 'weighted-loss', call: "lossFromConfig({ className: 'DistributionBalancedLoss', config: { classCounts: { positives: [10, 5], samples: 8, emptyRows: 0 } } })", what: 'inconsistent counts in a saved config', error: 'InvalidCountError', fragment: 'is 8 but class 0 has 10 samples', run: () => wl.lossFromConfig({ className: 'DistributionBalancedLoss', config: { classCounts: { positives: [10, 5], samples: 8, emptyRows: 0 } } } as never) },
  { pkg: 'weighted-loss', call: "lossFromConfig({ className: 'WeightedCategoricalCrossentropy', config: { numClasses: 2, logitAdjustment: { tau: 1 } } })", what: 'a missing nested field in a saved config', error: 'InvalidOptionError', fragment: 'args.logitAdjustment.classCounts: expected an array of per-class counts, got undefined', run: () => wl.lossFromConfig({ className: 'WeightedCategoricalCrossentropy', config: { numClasses: 2, logitAdjustment: { tau: 1 } } } as never) },
  // sample-weight-callback: at train begin and while training
  { pkg: 'sample-weight-callback', call: "model.fit(x, y, { callbacks: [sampleWeightCallback({ losses: loss, scheme: 'ins', online: true })] })  // loss: weightedBinaryCrossentropy over a sigmoid output", what: 'a loss on logits over a sigmoid output', error: 'InvalidOptionError', fragment: "args.losses.from: is 'logits' but the model's last layer", run: inFit(() => [bce2()], (m, [l]) => fit(m, [[1, 0], [1, 0]], [cb.sampleWeightCallback({ losses: l!, scheme: 'ins', online: true })]), { activation: 'sigmoid' }) },
  { pkg: 'sample-weight-callback', call: "model.fit(x, y, { callbacks: [sampleWeightCallback({ losses: otherLoss, scheme: 'ins', online: true })] })", what: 'a loss the model was not compiled with', error: 'InvalidOptionError', fragment: 'args.losses: was not called during a training batch, so its class weights change nothing', run: inFit(() => [bce2(), bce2()], (m, [, other]) => fit(m, [[1, 0], [1, 0]], [cb.sampleWeightCallback({ losses: other!, scheme: 'ins', online: true })])) , tfjsBaseline: tfjsThrowing('batchEnd') },
  { pkg: 'sample-weight-callback', call: "model.fit(x, [yTags, yTopics], { callbacks: [sampleWeightCallback({ losses: loss, scheme: 'ins', online: true })] })  // one loss, two outputs", what: 'one loss on two outputs (their online counts would mix)', error: 'InvalidOptionError', fragment: 'args.losses: is the loss of 2 outputs ("tags", "topics")', run: twoOutputs((loss) => [cb.sampleWeightCallback({ losses: loss, scheme: 'ins', online: true })]) },
  { pkg: 'sample-weight-callback', call: "model.fit(x, y, { callbacks: [sampleWeightCallback({ losses: loss, scheme: 'ins', data: [[1, 0, 1]] })] })", what: 'data with another number of classes, counted at train begin', error: 'ShapeMismatchError', fragment: 'args.data: have 3 classes but the loss has 2 class weights', run: inFit(() => [bce2()], (m, [l]) => fit(m, [[1, 0], [1, 0]], [cb.sampleWeightCallback({ losses: l!, scheme: 'ins', data: [[1, 0, 1]] })])) },
  { pkg: 'sample-weight-callback', call: "model.fit(x, y, { callbacks: [sampleWeightCallback({ losses: loss, scheme: 'ins', counts })] })  // metrics: [fbetaMetric({ from: 'logits' })], sigmoid output", what: 'a compile metric on logits over a sigmoid output', error: 'InvalidOptionError', fragment: 'args.from of the compile metric "fbeta": is \'logits\'', run: inFit(() => [wl.weightedBinaryCrossentropy({ numClasses: 2, from: 'probabilities' })], (m, [l]) => fit(m, [[1, 0], [1, 0]], [cb.sampleWeightCallback({ losses: l!, scheme: 'ins', counts: [3, 1] })]), { activation: 'sigmoid', metrics: () => [fb.fbetaMetric({ from: 'logits' })] }) },
  { pkg: 'sample-weight-callback', call: "SampleWeightCallback.fromConfig({ scheme: 'ins', evil: 1 }, loss)", what: 'an extra field in a saved config', error: 'InvalidOptionError', fragment: 'unknown option "evil"', run: withLoss(bce2, (l) => cb.SampleWeightCallback.fromConfig({ scheme: 'ins', evil: 1 } as never, l)) },
  { pkg: 'sample-weight-callback', call: "sampleWeightCallback({ losses: [], scheme: 'ins' })", what: 'no loss', error: 'InvalidOptionError', fragment: 'args.losses: must be a weighted loss (or a non-empty array of them)', run: () => cb.sampleWeightCallback({ losses: [], scheme: 'ins' }) },
  { pkg: 'sample-weight-callback', call: "sampleWeightCallback({ losses, scheme: 'ins', counts, deferUntilEpoch: -1 })", what: 'a negative epoch', error: 'InvalidOptionError', fragment: 'args.deferUntilEpoch: must be a whole number ≥ 0', run: withLoss(bce2, (l) => cb.sampleWeightCallback({ losses: l, scheme: 'ins', counts: [1, 2], deferUntilEpoch: -1 })) },
  { pkg: 'sample-weight-callback', call: "sampleWeightCallback({ losses, scheme: 'ins', counts, schedule: 'weekly' })", what: 'an unknown schedule', error: 'InvalidOptionError', fragment: "args.schedule: must be 'once', 'epoch' or 'batch'", run: withLoss(bce2, (l) => cb.sampleWeightCallback({ losses: l, scheme: 'ins', counts: [1, 2], schedule: 'weekly' as never })) },
  // fbeta-metric: callbacks at run time
  { pkg: 'fbeta-metric', call: 'model.fit(x, y, { callbacks: [fbetaCallback({ validationData: tfd.generator(() => [xs, ys]), from: "logits" })] })', what: 'a validation dataset yielding [xs, ys]', error: 'InvalidOptionError', fragment: 'args.validationData: yields an array of 2; each batch must be { xs, ys }', run: inFit(() => [bce2()], (m) => fit(m, [[1, 0], [1, 0]], [fb.fbetaCallback({ from: 'logits', validationData: tfd.generator(function* () { yield [X(), t2([[1, 0], [1, 0]])]; }) as never })])) , tfjsBaseline: tfjsThrowing('epochEnd') },
  { pkg: 'fbeta-metric', call: 'model.fit(x, y, { callbacks: [mapCallback({ validationData: tfd.generator(() => [xs, ys]) })] })', what: 'a validation dataset yielding [xs, ys] (mAP)', error: 'InvalidOptionError', fragment: 'args.validationData: yields an array of 2', run: inFit(() => [bce2()], (m) => fit(m, [[1, 0], [1, 0]], [fb.mapCallback({ validationData: tfd.generator(function* () { yield [X(), t2([[1, 0], [1, 0]])]; }) as never })])) , tfjsBaseline: tfjsThrowing('epochEnd') },
  { pkg: 'fbeta-metric', call: 'model.fit(x, y, { callbacks: [fbetaCallback({ validationData: tf.data.zip([xs, ys]).batch(2), from: "logits" })] })  // batched before zipping into { xs, ys }', what: 'a validation dataset yielding a single Tensor', error: 'InvalidOptionError', fragment: 'args.validationData: yields a single Tensor (shape [2, 2]); each batch must be { xs, ys }', run: inFit(() => [bce2()], (m) => fit(m, [[1, 0], [1, 0]], [fb.fbetaCallback({ from: 'logits', validationData: tfd.generator(function* () { yield t2([[1, 0], [1, 0]]); }) as never })])), tfjsBaseline: tfjsThrowing('epochEnd') },
  { pkg: 'fbeta-metric', call: 'fbetaCallback({ validationData, beta: -1 })', what: 'β ≤ 0', error: 'OutOfRangeError', fragment: 'args.beta: must lie in (0, ∞), got -1', run: () => fb.fbetaCallback({ validationData: [X(), X()], beta: -1 }) },
  { pkg: 'fbeta-metric', call: "mapCallback({ validationData, average: 'median' })", what: 'an unknown average', error: 'InvalidOptionError', fragment: "args.average: must be 'micro', 'macro', 'weighted' or 'samples'", run: () => fb.mapCallback({ validationData: [X(), X()], average: 'median' as never }) },
  { pkg: 'fbeta-metric', call: 'apAccumulator.update(yOf2Classes, s).update(yOf3Classes, s3)', what: 'batches over different classes', error: 'ShapeMismatchError', fragment: 'has 3 classes (shape [1, 3]) but earlier batches had 2', run: () => new fb.AveragePrecisionAccumulator().update([[1, 0]], [[0.2, 0.3]]).update([[1, 0, 1]], [[0.2, 0.3, 0.1]]) },
  { pkg: 'fbeta-metric', call: 'averagePrecision([[1, 0]], [[NaN, 0.3]])', what: 'a NaN score', error: 'NonFiniteValueError', fragment: 'scores: value at row 0, column 0 is NaN', run: () => fb.averagePrecision([[1, 0]], [[Number.NaN, 0.3]]) },
  { pkg: 'fbeta-metric', call: 'fbetaMetric({ threshold: -0.1 })', what: 'a threshold below 0', error: 'OutOfRangeError', fragment: 'args.threshold: must lie in [0, 1], got -0.1', run: () => fb.fbetaMetric({ threshold: -0.1 }) },
  { pkg: 'fbeta-metric', call: "earlyStopping({ mode: 'maximum' })", what: 'an unknown mode', error: 'InvalidOptionError', fragment: "args.mode: must be 'auto', 'min' or 'max'", run: () => fb.earlyStopping({ mode: 'maximum' as never }) },
  { pkg: 'fbeta-metric', call: "model.fit(x, y, { callbacks: [earlyStopping({ monitor: 'val_map' })] })", what: 'a monitored value no callback logs (tfjs only warns)', error: 'InvalidOptionError', fragment: 'args.monitor: "val_map" is not in the epoch logs', run: inFit(() => [bce2()], (m) => fit(m, [[1, 0], [1, 0]], [fb.earlyStopping({ monitor: 'val_map' })])), tfjsBaseline: tfjsThrowing('epochEnd') },
  // weight-schemes
  { pkg: 'weight-schemes', call: "emptyRowClassWeight({ positives: [1, 2], samples: 3, emptyRows: 5 }, 'ins')", what: 'more empty rows than rows', error: 'InvalidCountError', fragment: 'counts.emptyRows: is 5 but there are only 3 samples', run: () => ws.emptyRowClassWeight({ positives: [1, 2], samples: 3, emptyRows: 5 }, 'ins') },
  { pkg: 'weight-schemes', call: "priorBias('abc')", what: 'not counts', error: 'InvalidCountError', fragment: 'counts: expected ClassCounts {positives, samples, emptyRows}, got string abc', run: () => ws.priorBias('abc' as never) },
  { pkg: 'weight-schemes', call: "classWeights([10, 5], { name: 'inverse-power', power: -1 })", what: 'a negative power', error: 'OutOfRangeError', fragment: 'scheme.power: must lie in [0, ∞), got -1', run: () => ws.classWeights([10, 5], { name: 'inverse-power', power: -1 }) },
  { pkg: 'weight-schemes', call: 'countStream([[[1, 0]], [[1, 0, 1]]])', what: 'batches over different classes', error: 'ShapeMismatchError', fragment: 'has shape [1, 3] but 2 classes were expected', run: () => ws.countStream([[[1, 0]], [[1, 0, 1]]]) },
  // Trust on users' paths (issue 17)
  { pkg: 'weight-schemes', call: "countMultiHot([[1, 0], [0, ' ']])", what: 'a blank CSV cell (was silently a negative label)', error: 'InvalidOptionError', fragment: 'labels: value at row 1, column 1 is string  ; labels and scores must be numbers. Parse the cells first', run: () => ws.countMultiHot([[1, 0], [0, ' ' as never]]) },
  { pkg: 'weighted-loss', call: 'loss.setClassWeights([1, 1e39])', what: 'a weight beyond float32 (was Infinity in the variable, then NaN)', error: 'OutOfRangeError', fragment: "weights[1]: is 1e+39, beyond float32's largest value (3.4e38)", run: withLoss(() => wl.weightedBinaryCrossentropy({ numClasses: 2 }), (l) => l.setClassWeights([1, 1e39])) },
  { pkg: 'weighted-loss', call: "loss.setEmptyRowWeight(1e39)  // emptyRowWeight: 'as-class'", what: 'an empty-row weight beyond float32', error: 'OutOfRangeError', fragment: "weight[0]: is 1e+39, beyond float32's largest value", run: withLoss(() => wl.weightedBinaryCrossentropy({ numClasses: 2, emptyRowWeight: 'as-class' }), (l) => l.setEmptyRowWeight(1e39)) },
  { pkg: 'weighted-loss', call: 'loss.dispose(); loss.getClassWeights()', what: 'a disposed loss (was a bare "Tensor is disposed")', error: 'InvalidOptionError', fragment: 'loss: was disposed, so getClassWeights() cannot use it. Create a new loss', run: () => { const l = wl.weightedBinaryCrossentropy({ numClasses: 2 }); l.dispose(); return l.getClassWeights(); } },
  { pkg: 'weighted-loss', call: 'resumeTraining(model)  // metadata { version: 1 } edited by hand', what: 'damaged saved training metadata (was an internal TypeError)', error: 'InvalidOptionError', fragment: 'model: has "tfjsImbalanceTraining" metadata that saveForResume did not write', run: () => { const m = tfl.sequential({ layers: [tfl.layers.dense({ units: 2, inputShape: [2] })] }); m.compile({ optimizer: 'sgd', loss: 'meanSquaredError' }); m.setUserDefinedMetadata({ tfjsImbalanceTraining: { version: 1 } }); try { return wl.resumeTraining(m); } finally { m.dispose(); } } },
  { pkg: 'weighted-loss', call: "resumeTraining(model)  // saved emptyRowWeightValue: '2'", what: 'a saved field of the wrong type (was silently ignored)', error: 'InvalidOptionError', fragment: 'saved loss.weightedLoss.config.emptyRowWeightValue: must be a finite number ≥ 0', run: () => { const l = wl.weightedBinaryCrossentropy({ numClasses: 2, emptyRowWeight: 'as-class' }); const config = l.getConfig(); l.dispose(); const m = tfl.sequential({ layers: [tfl.layers.dense({ units: 2, inputShape: [2] })] }); m.compile({ optimizer: 'sgd', loss: 'meanSquaredError' }); m.setUserDefinedMetadata({ tfjsImbalanceTraining: { version: 1, loss: { weightedLoss: { ...config, config: { ...config.config, emptyRowWeightValue: '2' } } } } }); try { return wl.resumeTraining(m); } finally { m.dispose(); } } },
  { pkg: 'weighted-loss', call: 'resumeTraining(model)  // saved with fbetaMetric, whose import tsc or a bundler dropped', what: 'a saved metric whose factory is not loaded', error: 'InvalidOptionError', fragment: 'Pass it: resumeTraining(model, { metricFactories: { nopeMetric } })', run: () => { const m = tfl.sequential({ layers: [tfl.layers.dense({ units: 2, inputShape: [2] })] }); m.compile({ optimizer: 'sgd', loss: 'meanSquaredError' }); m.setUserDefinedMetadata({ tfjsImbalanceTraining: { version: 1, loss: { name: 'meanSquaredError' }, metrics: [{ recipe: { factory: 'nopeMetric', args: {} } }] } }); try { return wl.resumeTraining(m); } finally { m.dispose(); } } },
  { pkg: 'sample-weight-callback', call: "sampleWeightCallback({ losses, scheme: 'ins', data: ds.repeat() })", what: 'an endless dataset to count (was a hang)', error: 'InvalidOptionError', fragment: 'args.data: is an endless dataset (size Infinity, as after .repeat())', run: withLoss(() => wl.weightedBinaryCrossentropy({ numClasses: 2 }), (l) => cb.sampleWeightCallback({ losses: l, scheme: 'ins', data: tfd.array([[1, 0]]).batch(1).repeat() as never })) },
  { pkg: 'sample-weight-callback', call: "model.fit(x, y, { callbacks: [sampleWeightCallback({ losses, scheme: 'ins', data: [0, 1] })] })", what: 'class indices counted as multi-hot (the error named labels)', error: 'ShapeMismatchError', fragment: "args.data: expected a [N, C] label matrix, got number 0. If args.data holds class indices ([N] or [N, 1]), pass format: 'indices'", run: inFit(() => [wl.weightedBinaryCrossentropy({ numClasses: 2 })], (m, [l]) => fit(m, [[1, 0], [0, 1]], [cb.sampleWeightCallback({ losses: l!, scheme: 'ins', data: [0, 1] as never })])), tfjsBaseline: tfjsThrowing('trainBegin') },
  { pkg: 'fbeta-metric', call: 'fbetaCallback({ validationData: ds.repeat() })', what: 'an endless validation dataset (was a hang)', error: 'InvalidOptionError', fragment: 'args.validationData: is an endless dataset (size Infinity, as after .repeat())', run: () => fb.fbetaCallback({ validationData: tfd.array([{ xs: [1, 2], ys: [1, 0] }]).batch(1).repeat() as never }) },
  { pkg: 'fbeta-metric', call: 'mapCallback({ validationData: ds.repeat() })', what: 'an endless validation dataset (mAP)', error: 'InvalidOptionError', fragment: 'args.validationData: is an endless dataset', run: () => fb.mapCallback({ validationData: tfd.array([{ xs: [1, 2], ys: [1, 0] }]).batch(1).repeat() as never }) },
  { pkg: 'fbeta-metric', call: 'xVal.dispose(); model.fit(x, y, { callbacks: [fbetaCallback({ validationData: [xVal, yVal], from: "logits" })] })', what: 'validation tensors disposed before fit ends', error: 'InvalidOptionError', fragment: 'args.validationData: holds a disposed tensor (xVal of [xVal, yVal])', run: inFit(() => [wl.weightedBinaryCrossentropy({ numClasses: 2 })], (m) => { const xv = X(); xv.dispose(); return fit(m, [[1, 0], [0, 1]], [fb.fbetaCallback({ validationData: [xv, t2([[1, 0], [0, 1]])], from: 'logits' })]); }), tfjsBaseline: tfjsThrowing('epochEnd') },
];
