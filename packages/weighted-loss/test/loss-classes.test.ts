import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { InvalidOptionError, OutOfRangeError, ShapeMismatchError, classWeights, countMultiHot, emptyRowClassWeight, type SchemeConfig } from '@tfjs-imbalance/weight-schemes';
import {
  WeightedBinaryCrossentropy,
  asymmetricLoss,
  distributionBalancedLoss,
  type WeightedLoss,
  WeightedBinaryFocalCrossentropy,
  attachLossConfig,
  binaryCrossEntropy,
  lossFromConfig,
  lossFromModel,
  registerLosses,
  resumable,
  saveForResume,
  TRAINING_METADATA_KEY,
  sigmoidFocalLoss,
  weightedBinaryCrossentropy,
  weightedBinaryFocalCrossentropy,
  weightedCategoricalCrossentropy,
} from '@tfjs-imbalance/weighted-loss';

const FIXTURES = join(__dirname, '..', '..', '..', 'conformance', 'fixtures');
const fixture = (name: string) => JSON.parse(readFileSync(join(FIXTURES, `public-${name}.json`), 'utf8'));
const read = (f: () => tf.Tensor) => tf.tidy(() => Array.from(f().dataSync()));

const y = [
  [1, 0, 0],
  [1, 1, 0],
  [0, 0, 0],
  [1, 0, 1],
];
const x = [
  [2, -1, 0.5],
  [-0.3, 1.2, -2],
  [0.1, -0.4, 0.8],
  [1, -2, -0.7],
];

describe('WeightedBinaryCrossentropy', () => {
  it('is a function compile takes, with a readable name, returning one loss per sample', () => {
    const loss = weightedBinaryCrossentropy({ classWeights: [0.5, 1, 1.5] });
    expect(typeof loss).toBe('function');
    expect(loss).toBeInstanceOf(WeightedBinaryCrossentropy);
    expect(loss.name).toBe('weighted_binary_crossentropy');
    const perSample = read(() => loss(tf.tensor2d(y), tf.tensor2d(x)));
    expect(perSample).toHaveLength(4);
    // w(sum rule) · mean over classes of BCE; the all-negative row keeps weight 1.
    const bce = read(() => binaryCrossEntropy(y, x, { reduction: 'per-sample' }));
    [0.5, 1.5, 1, 2].forEach((w, i) => expect(perSample[i]).toBeCloseTo(w * bce[i]!, 5));
    loss.dispose();
  });

  it('changes its weights without recompiling and frees its variables on dispose', () => {
    const before = tf.memory().numTensors;
    const loss = weightedBinaryCrossentropy({ numClasses: 3, posWeight: [1, 2, 3] });
    // class weights, online counts, the 'as-class' empty-row weight, posWeight and the cached posWeight − 1
    expect(tf.memory().numTensors).toBe(before + 5);
    expect(loss.getClassWeights()).toEqual([1, 1, 1]);
    const a = read(() => loss(tf.tensor2d(y), tf.tensor2d(x)));
    loss.setClassWeights([2, 2, 2]);
    const b = read(() => loss(tf.tensor2d(y), tf.tensor2d(x)));
    b.forEach((v, i) => expect(v).toBeCloseTo(i === 2 ? a[i]! : 2 * a[i]!, 5));
    expect(tf.memory().numTensors).toBe(before + 5);
    loss.dispose();
    expect(tf.memory().numTensors).toBe(before);
    expect(() => loss(tf.tensor2d(y), tf.tensor2d(x))).toThrow('was disposed');
  });

  it('computes its weights from a scheme and counts', () => {
    const scheme: SchemeConfig = { name: 'ens', beta: 0.99 };
    const loss = weightedBinaryCrossentropy({ scheme, counts: countMultiHot(y) });
    classWeights(countMultiHot(y), scheme).forEach((w, i) => expect(loss.getClassWeights()[i]).toBeCloseTo(w, 5));
    loss.dispose();
  });

  it('applies label smoothing to the targets but takes sample weights from the raw labels', () => {
    const loss = weightedBinaryCrossentropy({ numClasses: 3, labelSmoothing: 0.1, combine: 'max' });
    const smoothed = y.map((r) => r.map((v) => v * 0.9 + 0.05));
    const expected = read(() => binaryCrossEntropy(smoothed, x, { reduction: 'per-sample' }));
    read(() => loss(tf.tensor2d(y), tf.tensor2d(x))).forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 5));
    loss.dispose();
  });

  it('records the label counts of training batches only while recording', () => {
    // validateLabels: false lets the invalid batch below through, to count it.
    const loss = weightedBinaryCrossentropy({ numClasses: 3, validateLabels: false });
    tf.dispose(loss(tf.tensor2d(y), tf.tensor2d(x)));
    expect(loss.readCounts().samples).toBe(0);
    loss.setRecording(true);
    tf.dispose(loss(tf.tensor2d(y), tf.tensor2d(x)));
    expect(loss.readCounts()).toEqual({ ...countMultiHot(y), invalidLabels: 0 });
    tf.dispose(loss(tf.tensor2d([[2, 0, 0]]), tf.tensor2d([[0, 0, 0]])));
    expect(loss.readCounts().invalidLabels).toBe(1);
    loss.weighting.decay(0.5);
    expect(loss.readCounts().positives).toEqual([2, 0.5, 0.5]);
    expect(() => loss.weighting.decay(0)).toThrow('factor'); // clearing is counts({ restart: true }), not a decay by 0
    loss.dispose();
  });

  it("weighs empty rows as a virtual class ('as-class', the default); a fixed number stays fixed", () => {
    const counts = { positives: [400, 100, 30], samples: 1000, emptyRows: 430 };
    const loss = weightedBinaryCrossentropy({ scheme: 'ins', counts });
    expect(loss.emptyRowWeight).toBe('as-class');
    expect(loss.getEmptyRowWeight()).toBeCloseTo(emptyRowClassWeight(counts, 'ins'), 6);
    const yy = [[0, 0, 0], [1, 0, 0]];
    const xx = [[0.3, -0.2, 0.1], [0.3, -0.2, 0.1]];
    const bce = read(() => binaryCrossEntropy(yy, xx, { reduction: 'per-sample' }));
    const perSample = read(() => loss(tf.tensor2d(yy), tf.tensor2d(xx)));
    expect(perSample[0]).toBeCloseTo(emptyRowClassWeight(counts, 'ins') * bce[0]!, 5);
    loss.setEmptyRowWeight(0.25);
    expect(read(() => loss(tf.tensor2d(yy), tf.tensor2d(xx)))[0]).toBeCloseTo(0.25 * bce[0]!, 5);
    const copy = lossFromConfig(JSON.parse(JSON.stringify(loss.getConfig())));
    expect(copy.getEmptyRowWeight()).toBeCloseTo(0.25, 6);
    const fixed = weightedBinaryCrossentropy({ numClasses: 3, emptyRowWeight: 0 });
    expect(() => fixed.setEmptyRowWeight(1)).toThrow("weight: cannot be set: this loss was built with the fixed emptyRowWeight 0; build it with emptyRowWeight: 'as-class'");
    expect(() => loss.setEmptyRowWeight(-1)).toThrow('weight');
    [loss, copy, fixed].forEach((l) => l.dispose());
  });

  it('a training step counts its first call only (the training step, not the validation inside the last batch), and says whether it was called', async () => {
    const loss = weightedBinaryCrossentropy({ numClasses: 3 });
    loss.weighting.beginStep();
    tf.dispose(loss(tf.tensor2d(y), tf.tensor2d(x)));
    tf.dispose(loss(tf.tensor2d(y), tf.tensor2d(x)));
    expect(await loss.weighting.endStep()).toBe(true);
    expect(loss.readCounts().samples).toBe(y.length);
    loss.weighting.beginStep();
    expect(await loss.weighting.endStep()).toBe(false); // not called during the step
    expect((await loss.weighting.counts({ restart: true })).samples).toBe(y.length); // the first step's, then counted afresh
    expect(loss.readCounts().samples).toBe(0);
    loss.weighting.beginStep();
    tf.dispose(loss(tf.tensor2d(y), tf.tensor2d(x)));
    await loss.weighting.endStep();
    expect((await loss.weighting.counts()).samples).toBe(y.length);
    loss.dispose();
  });

  it('frees its variables when a later argument is bad', () => {
    const before = tf.memory().numTensors;
    expect(() => weightedBinaryCrossentropy({ numClasses: 3, posWeight: [1] })).toThrow('args.posWeight: has 1 weights');
    expect(() => weightedBinaryFocalCrossentropy({ numClasses: 3, gamma: -2 })).toThrow('args.gamma');
    expect(() => weightedBinaryFocalCrossentropy({ numClasses: 3, posWeight: [1, 1, Number.NaN] })).toThrow('args.posWeight[2]');
    expect(tf.memory().numTensors).toBe(before);
  });

  it.each([
    ['predictions with another class count', [[1, 0]], [[0.1, 0.2]], ShapeMismatchError, 'yPred: has 2 classes (shape [1, 2]) but the loss has 3 class weights'],
    ['labels of another shape', [[1, 0, 1, 0]], [[0.1, 0.2, 0.3]], ShapeMismatchError, 'yTrue: has shape [1, 4] but yPred has shape [1, 3]'],
    ['rank-1 predictions', [1, 0, 1], [0.1, 0.2, 0.3], ShapeMismatchError, 'yPred: must be [N, C]'],
  ])('rejects %s with both shapes', (_, t, p, Err, fragment) => {
    const loss = weightedBinaryCrossentropy({ numClasses: 3 });
    const before = tf.memory().numTensors;
    const [tt, pp] = [tf.tensor(t), tf.tensor(p)];
    expect(() => loss(tt, pp)).toThrow(Err);
    expect(() => loss(tt, pp)).toThrow(fragment);
    tf.dispose([tt, pp]);
    expect(tf.memory().numTensors).toBe(before);
    loss.dispose();
  });

  it.each([
    [{}, InvalidOptionError, 'needs the number of classes'],
    [{ numClasses: 3, classWeights: [1, 2] }, ShapeMismatchError, 'args.numClasses: is 3 but there are 2 class weights'],
    [{ counts: [3, 1] }, InvalidOptionError, 'args.scheme: is needed with counts'],
    [{ classWeights: [1, 2], counts: [3, 1] }, InvalidOptionError, 'got both classWeights and counts'],
    [{ numClasses: 2, labelSmoothing: 1 }, OutOfRangeError, 'args.labelSmoothing: must lie in [0, 1), got 1'],
    [{ numClasses: 2, form: 'logits' }, InvalidOptionError, 'unknown option "form"'],
    [{ numClasses: 2, from: 'sigmoid' }, InvalidOptionError, "args.from: must be 'logits' or 'probabilities'"],
    [{ numClasses: 2, name: 'my loss' }, InvalidOptionError, 'args.name'],
    [{ classWeights: [1, -1] }, OutOfRangeError, 'args.classWeights[1]: must lie in [0, ∞), got -1'],
  ])('rejects constructor arguments %j', (args, Err, fragment) => {
    const before = tf.memory().numTensors;
    expect(() => weightedBinaryCrossentropy(args as never)).toThrow(Err);
    expect(() => weightedBinaryCrossentropy(args as never)).toThrow(fragment);
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('the reference recipe (emptyRowWeight 0, sum rule)', () => {
  /** The long-tailed counts the fixture generator used: n_i = max(1, floor(3000 · 40^(−i/(C−1)))). */
  const longTail = (C: number) =>
    Array.from({ length: C }, (_, i) => (C === 1 ? 3000 : Math.max(1, Math.floor(3000 * 40 ** (-i / (C - 1))))));

  it("equals PyTorch's BCEWithLogitsLoss(weight=W) on every sample_matrix fixture", () => {
    const cases = fixture('bce').cases.filter((c: { name: string }) => c.name.startsWith('sample_matrix_'));
    expect(cases).toHaveLength(5);
    for (const c of cases) {
      const C = c.logits[0].length;
      const loss = weightedBinaryCrossentropy({ scheme: 'ins', counts: longTail(C), emptyRowWeight: 0 });
      const perSample = read(() => loss(tf.tensor2d(c.targets), tf.tensor2d(c.logits)));
      perSample.forEach((v, i) => expect(v).toBeCloseTo(c.per_sample_mean_over_classes[i], 4));
      const mean = perSample.reduce((a, b) => a + b, 0) / perSample.length;
      expect(Math.abs(mean - c.mean)).toBeLessThanOrEqual(1e-5 + 1e-4 * Math.abs(c.mean));
      loss.dispose();
    }
  });

  it('reproduces INS, ISNS and ENS per-sample weights of the schemes fixture inside the loss', () => {
    const logits = (N: number, C: number) => Array.from({ length: N }, (_, i) => Array.from({ length: C }, (_, j) => Math.sin(i * 7 + j * 3) * 4));
    for (const c of fixture('schemes').cases.sample_weights.slice(0, 18)) {
      const [name, beta] = String(c.scheme).split(':');
      const scheme = (beta ? { name, beta: Number(beta) } : { name }) as SchemeConfig;
      const loss = weightedBinaryCrossentropy({ scheme, counts: c.counts, emptyRowWeight: 0 });
      const x = logits(c.labels.length, c.counts.length);
      const ours = read(() => loss(tf.tensor2d(c.labels), tf.tensor2d(x)));
      const reference = read(() => binaryCrossEntropy(c.labels, x, { weights: c.matrix, reduction: 'per-sample' }));
      ours.forEach((v, i) => expect(v).toBeCloseTo(reference[i]!, 4));
      loss.dispose();
    }
  });
});

describe('WeightedBinaryFocalCrossentropy', () => {
  it('with normalizeBy positives, the batch mean is the class-balanced focal loss', () => {
    const c = fixture('focal').cases.find((k: { name: string }) => k.name === 'focal_4x3_a-1.0_g2.0');
    const loss = weightedBinaryFocalCrossentropy({ numClasses: 3, gamma: 2, combine: 'max', normalizeBy: 'positives' });
    const perSample = read(() => loss(tf.tensor2d(c.targets), tf.tensor2d(c.logits)));
    const expected = read(() => sigmoidFocalLoss(c.targets, c.logits, { gamma: 2, reduction: 'sum-over-positives', weights: 1 }))[0]!;
    // combine 'max' with unit class weights, and emptyRowWeight 1, give every row weight 1.
    expect(perSample.reduce((a, b) => a + b, 0) / perSample.length).toBeCloseTo(expected, 5);
    expect(loss).toBeInstanceOf(WeightedBinaryFocalCrossentropy);
    loss.dispose();
  });
});

describe('single-label: WeightedCategoricalCrossentropy agrees with tfjs classWeight', () => {
  it('gives the same training loss as fit({ classWeight }) with categoricalCrossentropy', async () => {
    const xs = tf.randomNormal([24, 5], 0, 1, 'float32', 7);
    const idx = Array.from({ length: 24 }, (_, i) => [0, 0, 0, 0, 1, 1, 2][i % 7]!);
    const ys = tf.oneHot(tf.tensor1d(idx, 'int32'), 3);
    const weights = [0.3, 1.1, 2.5];
    const build = () => {
      const m = tfl.sequential({ layers: [tfl.layers.dense({ units: 3, inputShape: [5], activation: 'softmax', kernelInitializer: tfl.initializers.glorotUniform({ seed: 3 }) })] });
      return m;
    };
    const theirs = build();
    theirs.compile({ optimizer: tf.train.sgd(0), loss: 'categoricalCrossentropy' });
    const h1 = await theirs.fit(xs, ys, { epochs: 1, batchSize: 24, classWeight: { 0: 0.3, 1: 1.1, 2: 2.5 }, verbose: 0 });
    const ours = build();
    const loss = weightedCategoricalCrossentropy({ classWeights: weights, from: 'probabilities' });
    ours.compile({ optimizer: tf.train.sgd(0), loss });
    const h2 = await ours.fit(xs, ys, { epochs: 1, batchSize: 24, verbose: 0 });
    expect(h2.history['loss']![0]).toBeCloseTo(h1.history['loss']![0] as number, 5);
    // Sparse labels give the same loss as one-hot.
    const sparse = read(() => loss(tf.tensor1d(idx), ours.predict(xs) as tf.Tensor));
    const dense = read(() => loss(ys, ours.predict(xs) as tf.Tensor));
    sparse.forEach((v, i) => expect(v).toBeCloseTo(dense[i]!, 6));
    loss.dispose();
    theirs.dispose();
    ours.dispose();
    tf.dispose([xs, ys]);
  });
});

describe('serialization', () => {
  it('round-trips every loss through JSON with its current class weights', () => {
    const losses = [
      weightedBinaryCrossentropy({ scheme: 'isns', counts: [10, 5, 1], posWeight: [1, 2, 3], labelSmoothing: 0.1 }),
      weightedBinaryFocalCrossentropy({ numClasses: 3, gamma: 1.5, alpha: 0.25, normalizeBy: 'positives' }),
      weightedCategoricalCrossentropy({ classWeights: [1, 2, 3], from: 'probabilities' }),
    ];
    losses[1]!.setClassWeights([0.2, 0.3, 2.5]);
    for (const loss of losses) {
      const copy = lossFromConfig(JSON.parse(JSON.stringify(loss.getConfig())));
      expect(copy.constructor).toBe(loss.constructor);
      expect(copy.getClassWeights()).toEqual(loss.getClassWeights());
      const yy = loss instanceof WeightedBinaryCrossentropy || loss instanceof WeightedBinaryFocalCrossentropy ? y : [[1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 0, 0]];
      const pp = loss.from === 'probabilities' ? [[0.7, 0.2, 0.1], [0.3, 0.3, 0.4], [0.1, 0.1, 0.8], [0.5, 0.25, 0.25]] : x;
      expect(read(() => copy(tf.tensor2d(yy), tf.tensor2d(pp)))).toEqual(read(() => loss(tf.tensor2d(yy), tf.tensor2d(pp))));
      copy.dispose();
      loss.dispose();
    }
    expect(() => lossFromConfig({ className: 'Nope', config: { classWeights: [] } })).toThrow('unknown loss "Nope"');
  });

  it('registers the loss classes with tf.serialization', () => {
    registerLosses();
    const map = tf.serialization.SerializationMap.getMap().classNameMap;
    expect(map['WeightedBinaryCrossentropy']![0]).toBe(WeightedBinaryCrossentropy);
  });

  it("rebuilds every loss through tfjs' registry route from its own getConfig().config (emptyRowWeightValue included)", () => {
    registerLosses();
    const map = tf.serialization.SerializationMap.getMap().classNameMap;
    const made: WeightedLoss[] = [
      weightedBinaryCrossentropy({ numClasses: 3 }),
      weightedBinaryCrossentropy({ numClasses: 3, emptyRowWeight: 'as-class' }),
      weightedBinaryFocalCrossentropy({ numClasses: 3 }),
      weightedCategoricalCrossentropy({ numClasses: 3 }),
      distributionBalancedLoss({ numClasses: 3 }),
      asymmetricLoss({ numClasses: 3 }),
    ];
    made[1]!.setEmptyRowWeight(2.5);
    for (const loss of made) {
      const { className, config } = loss.getConfig();
      const [cls, fromConfig] = map[className]!;
      const back = fromConfig(cls, config as never) as unknown as WeightedLoss;
      expect(back.constructor).toBe(loss.constructor);
      expect(back.getConfig()).toEqual(loss.getConfig());
      back.dispose();
      loss.dispose();
    }
  });

  it('saves a trained model, loads it, recompiles from the stored loss config: same loss, training continues', async () => {
    const model = tfl.sequential({ layers: [tfl.layers.dense({ units: 3, inputShape: [3] })] });
    const loss = weightedBinaryCrossentropy({ classWeights: [0.4, 1.2, 1.4], posWeight: [1, 2, 1] });
    model.compile({ optimizer: tf.train.adam(0.05), loss });
    const xs = tf.tensor2d(x);
    const ys = tf.tensor2d(y);
    await model.fit(xs, ys, { epochs: 3, verbose: 0 });
    loss.setClassWeights([0.5, 1, 1.5]);
    attachLossConfig(model, loss);
    let saved: tf.io.ModelArtifacts | undefined;
    await model.save(tf.io.withSaveHandler(async (artifacts) => {
      saved = artifacts;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }));
    const loaded = await tfl.loadLayersModel(tf.io.fromMemory(saved!));
    const restored = lossFromModel(loaded);
    loaded.compile({ optimizer: tf.train.adam(0.05), loss: restored });
    const before = (model.evaluate(xs, ys) as tf.Scalar);
    const after = (loaded.evaluate(xs, ys) as tf.Scalar);
    expect(after.dataSync()[0]).toBeCloseTo(before.dataSync()[0]!, 6);
    const h = await loaded.fit(xs, ys, { epochs: 2, verbose: 0 });
    expect(h.history['loss']).toHaveLength(2);
    // One key and one format with saveForResume: what it saves, lossFromModel reads, and the key it used before 0.2 still loads.
    expect(Object.keys(loaded.getUserDefinedMetadata() ?? {})).toEqual([TRAINING_METADATA_KEY]);
    const bare = tfl.sequential({ layers: [tfl.layers.dense({ units: 1, inputShape: [1] })] });
    expect(() => lossFromModel(bare)).toThrow('call attachLossConfig(model, loss) (or save with saveForResume) before model.save()');
    bare.setUserDefinedMetadata({ tfjsImbalanceLoss: loss.getConfig() });
    const former = lossFromModel(bare);
    expect(former.getClassWeights()).toEqual(loss.getClassWeights());
    bare.setUserDefinedMetadata({ [TRAINING_METADATA_KEY]: { version: 1, loss: [{ weightedLoss: loss.getConfig() }, { name: 'meanSquaredError' }] } });
    expect(() => lossFromModel(bare)).toThrow('model: was saved with one loss per output, or with a tfjs loss');
    let resumed: tf.io.ModelArtifacts | undefined;
    await saveForResume(model, tf.io.withSaveHandler(async (artifacts) => {
      resumed = artifacts;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }));
    const again = await tfl.loadLayersModel(resumable(tf.io.fromMemory(resumed!)));
    const fromResume = lossFromModel(again);
    expect(fromResume.getClassWeights()).toEqual(loss.getClassWeights());
    [former, fromResume].forEach((l) => l.dispose());
    again.dispose();
    bare.dispose();
    tf.dispose([before, after, xs, ys]);
    [loss, restored].forEach((l) => l.dispose());
    model.dispose();
    loaded.dispose();
  });
});

describe("classWeights as Keras' class_weight dict", () => {
  it("takes the number of classes from posWeight's length, as PyTorch's pos_weight gives it, and weighs the positives by it", () => {
    const loss = weightedBinaryCrossentropy({ posWeight: new Array(20).fill(3) });
    expect(loss.getClassWeights()).toEqual(new Array(20).fill(1));
    const withC = weightedBinaryCrossentropy({ numClasses: 20, posWeight: new Array(20).fill(3) });
    const plain = weightedBinaryCrossentropy({ numClasses: 20 });
    const y = tf.ones([2, 20]);
    const x = tf.zeros([2, 20]);
    const [a, b, c] = tf.tidy(() => [loss(y, x), withC(y, x), plain(y, x)].map((t) => t.arraySync() as number[]));
    expect(a).toEqual(b);
    a!.forEach((v, i) => expect(v).toBeCloseTo(3 * c![i]!, 4)); // all positives: pos_weight 3 triples each row's loss
    [loss, withC, plain].forEach((l) => l.dispose());
    tf.dispose([y, x]);
  });

  it('equals the array form; classes it leaves out weigh 1; JSON keys work; setClassWeights takes it too', () => {
    const fromDict = weightedBinaryCrossentropy({ numClasses: 4, classWeights: { 0: 2, 2: 0.5 } });
    expect(fromDict.getClassWeights()).toEqual([2, 1, 0.5, 1]);
    const json = JSON.parse('{"0": 2, "3": 4}') as Record<number, number>;
    const sized = weightedBinaryCrossentropy({ classWeights: json });
    expect(sized.getClassWeights()).toEqual([2, 1, 1, 4]); // classes up to the largest key, as Keras
    fromDict.setClassWeights({ 1: 3 });
    expect(fromDict.getClassWeights()).toEqual([1, 3, 1, 1]);
    const fromArray = weightedBinaryCrossentropy({ classWeights: [1, 3, 1, 1] });
    const y = tf.tensor2d([[1, 1, 0, 0], [0, 0, 1, 1]]);
    const x = tf.tensor2d([[0.3, -1, 2, 0], [1, 1, -2, 0.5]]);
    expect(Array.from(fromDict(y, x).dataSync())).toEqual(Array.from(fromArray(y, x).dataSync()));
    [fromDict, sized, fromArray].forEach((l) => l.dispose());
    tf.dispose([y, x]);
  });

  it('an empty dict weighs every class 1, as Keras maps class_weight={}, where numClasses says how many; without it, an error says so', () => {
    const empty = weightedBinaryCrossentropy({ numClasses: 3, classWeights: {} });
    expect(empty.getClassWeights()).toEqual([1, 1, 1]);
    empty.setClassWeights({});
    expect(empty.getClassWeights()).toEqual([1, 1, 1]);
    empty.dispose();
    expect(() => weightedBinaryCrossentropy({ classWeights: {} })).toThrow('args.classWeights: is an empty dict, and nothing says how many classes it leaves at weight 1; pass numClasses');
  });
});

describe('what "no weights" means (numClasses alone, every class weight 1)', () => {
  it("the sum rule weighs a row by its number of labels; combine 'mean' and setReweighting(false) are plain BCE", () => {
    tf.tidy(() => {
      const y = tf.tensor2d([[1, 1, 1, 0], [0, 0, 0, 0], [1, 0, 0, 0]]);
      const x = tf.tensor2d([[0.3, -1, 2, 0.5], [1, 2, -1, 0], [0.1, 0.2, 0.3, 0.4]]);
      const plain = Array.from(tf.mean(tf.losses.sigmoidCrossEntropy(y, x, undefined, undefined, tf.Reduction.NONE), -1).dataSync());
      const sum = weightedBinaryCrossentropy({ numClasses: 4 });
      const mean = weightedBinaryCrossentropy({ numClasses: 4, combine: 'mean' });
      const off = weightedBinaryCrossentropy({ numClasses: 4 });
      off.setReweighting(false);
      const read = (l: typeof sum) => Array.from(l(y, x).dataSync());
      [3, 1, 1].forEach((k, i) => expect(read(sum)[i]).toBeCloseTo(k * plain[i]!, 5));
      for (const l of [mean, off]) read(l).forEach((v, i) => expect(v).toBeCloseTo(plain[i]!, 5));
      [sum, mean, off].forEach((l) => l.dispose());
    });
  });
});
