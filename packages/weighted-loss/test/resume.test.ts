import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { countMultiHot } from '@tfjs-imbalance/weight-schemes';
import { fbetaMetric } from '@tfjs-imbalance/fbeta-metric';
import { WeightedLoss, distributionBalancedLoss, resumable, resumeTraining, saveForResume, weightedBinaryCrossentropy } from '@tfjs-imbalance/weighted-loss';

const rows = Array.from({ length: 48 }, (_, i) => [i % 4 !== 3 ? 1 : 0, i % 3 === 0 ? 1 : 0, i % 7 === 0 ? 1 : 0]);
const features = rows.map((r, i) => [r[0]! - 0.5 + Math.sin(i) * 0.3, r[1]! - 0.5 + Math.cos(i) * 0.3, r[2]! - 0.5, Math.sin(i * 3)]);

function model(): tfl.LayersModel {
  return tfl.sequential({
    layers: [
      tfl.layers.dense({ units: 8, inputShape: [4], activation: 'relu', kernelInitializer: tfl.initializers.glorotUniform({ seed: 1 }) }),
      tfl.layers.dense({ units: 3, kernelInitializer: tfl.initializers.glorotUniform({ seed: 2 }) }),
    ],
  });
}

/** Saves into memory (the route for plain Node without tfjs-node, and for tests). */
async function saveToMemory(m: tfl.LayersModel): Promise<tf.io.ModelArtifacts> {
  let saved: tf.io.ModelArtifacts | undefined;
  await saveForResume(m, tf.io.withSaveHandler(async (artifacts) => {
    saved = JSON.parse(JSON.stringify({ ...artifacts, weightData: undefined })) as tf.io.ModelArtifacts;
    saved.weightData = (artifacts.weightData as ArrayBuffer).slice(0);
    return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
  }));
  return saved!;
}

describe('save → load → resume', () => {
  it.each([
    ['weighted BCE (ENS) + F-beta metric', () => weightedBinaryCrossentropy({ scheme: { name: 'ens', beta: 0.9 }, counts: countMultiHot(rows) })],
    ['Distribution-Balanced loss', () => distributionBalancedLoss({ counts: countMultiHot(rows) })],
  ])('%s: 2 epochs, save, load, 2 more equal 4 straight epochs (loss, metric and Adam state continue), with no warning and no leak', async (_what, makeLoss) => {
    const [x, y] = [tf.tensor2d(features), tf.tensor2d(rows)];
    const fitArgs = { batchSize: 16, shuffle: false, verbose: 0 as const };
    const compile = (m: tfl.LayersModel, loss: WeightedLoss) => m.compile({ optimizer: tf.train.adam(0.05), loss, metrics: [fbetaMetric({ from: 'logits' })] });

    const straight = model();
    const straightLoss = makeLoss();
    compile(straight, straightLoss);
    const all = await straight.fit(x, y, { ...fitArgs, epochs: 4 });

    const first = model();
    const firstLoss = makeLoss();
    compile(first, firstLoss);
    await first.fit(x, y, { ...fitArgs, epochs: 2 });
    const beforeSave = tf.memory().numTensors;
    const artifacts = await saveToMemory(first);
    expect(tf.memory().numTensors).toBe(beforeSave); // tfjs' own save leaves the step-count scalar behind; saveForResume frees it

    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    const before = tf.memory().numTensors;
    const resumed = await tfl.loadLayersModel(resumable(tf.io.fromMemory(artifacts)));
    const { losses } = resumeTraining(resumed);
    expect(losses).toHaveLength(1);
    expect(losses[0]!.getClassWeights()).toEqual(firstLoss.getClassWeights());
    const rest = await resumed.fit(x, y, { ...fitArgs, epochs: 2 });
    expect(warn).not.toHaveBeenCalled();
    warn.mockRestore();

    // Same losses and metric as epochs 3 and 4 of the straight run: the weights, Adam's moments and its step count all came back.
    rest.history['loss']!.forEach((v, i) => expect(v as number).toBeCloseTo(all.history['loss']![i + 2] as number, 5));
    rest.history['fbeta']!.forEach((v, i) => expect(v as number).toBeCloseTo(all.history['fbeta']![i + 2] as number, 5));
    // getWeights makes a new scalar for the step count (the rest are the optimizer's own variables).
    const step = (m: tfl.LayersModel) =>
      m.optimizer.getWeights().then((w) => {
        const n = w[0]!.tensor.dataSync()[0];
        w[0]!.tensor.dispose();
        return n;
      });
    expect(await step(resumed)).toBe(await step(straight));

    resumed.dispose();
    losses.forEach((l) => l.dispose());
    expect(tf.memory().numTensors).toBe(before); // the loaded optimizer's state is freed with the model
    [straight, first].forEach((m) => m.dispose());
    [straightLoss, firstLoss].forEach((l) => l.dispose());
    tf.dispose([x, y]);
  });

  it('says what to do when a URL has no handler, a model was not saved for resuming, or the metric factory is not loaded', async () => {
    expect(() => resumable('file://./nowhere/model.json')).toThrow('file:// needs @tensorflow/tfjs-node; with plain @tensorflow/tfjs');
    const m = model();
    m.compile({ optimizer: 'adam', loss: 'meanSquaredError' });
    expect(() => resumeTraining(m)).toThrow('has no "tfjsImbalanceTraining" metadata: save it with saveForResume(model, url)');
    const custom = model();
    custom.compile({ optimizer: 'adam', loss: (a: tf.Tensor, b: tf.Tensor) => tf.losses.meanSquaredError(a, b) });
    await expect(saveForResume(custom, tf.io.withSaveHandler(async () => ({ modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } })))).rejects.toThrow(
      'neither a tfjs-imbalance loss nor the name of a tfjs loss, so it cannot be saved for resuming. Pass it again when resuming: resumeTraining(model, { loss })',
    );
    m.setUserDefinedMetadata({ tfjsImbalanceTraining: { version: 1, loss: { name: 'meanSquaredError' }, metrics: [{ recipe: { factory: 'nopeMetric', args: {} } }] } });
    expect(() => resumeTraining(m)).toThrow(
      "saved metrics[0]: was built by nopeMetric, which is not loaded. Pass it: resumeTraining(model, { metricFactories: { nopeMetric } }) with import { nopeMetric } from '@tfjs-imbalance/fbeta-metric'",
    );
    // The factory passed explicitly (what a bundle or a tsc build keeps) builds the metric.
    const nopeMetric = (args: { tag?: string }) => Object.assign((a: tf.Tensor, b: tf.Tensor) => tf.losses.meanSquaredError(a, b), { tag: args.tag });
    m.setUserDefinedMetadata({ tfjsImbalanceTraining: { version: 1, loss: { name: 'meanSquaredError' }, metrics: [{ recipe: { factory: 'nopeMetric', args: { tag: 'x' } } }] } });
    expect((resumeTraining(m, { metricFactories: { nopeMetric } }).metrics as { tag: string }[])[0]!.tag).toBe('x');
    [m, custom].forEach((x) => x.dispose());
  });

  it('names the saved field of hand-edited or damaged metadata, never an internal TypeError, and ignores no wrong type', () => {
    const m = model();
    m.compile({ optimizer: 'adam', loss: 'meanSquaredError' });
    const resumeWith = (meta: unknown) => {
      m.setUserDefinedMetadata({ tfjsImbalanceTraining: meta } as {});
      return () => resumeTraining(m);
    };
    const good = weightedBinaryCrossentropy({ numClasses: 3, emptyRowWeight: 'as-class' });
    const config = JSON.parse(JSON.stringify(good.getConfig())) as { className: string; config: Record<string, unknown> };
    good.dispose();
    const before = tf.memory().numTensors;
    for (const meta of [null, 'x', [], { version: 2, loss: { name: 'meanSquaredError' } }, { version: 1 }, { version: 1, loss: null }, { version: 1, loss: { name: 'meanSquaredError' }, metrics: null }]) {
      expect(resumeWith(meta)).toThrow('model: has "tfjsImbalanceTraining" metadata that saveForResume did not write');
    }
    expect(resumeWith({ version: 1, loss: 42 })).toThrow('saved loss: is number 42, not a saved loss');
    expect(resumeWith({ version: 1, loss: { weightedLoss: { ...config, className: 'Nope' } } })).toThrow('saved loss.weightedLoss.className: unknown loss "Nope"');
    expect(resumeWith({ version: 1, loss: { weightedLoss: { ...config, config: null } } })).toThrow('saved loss.weightedLoss.config: expected the constructor arguments');
    expect(resumeWith({ version: 1, loss: { weightedLoss: { ...config, config: { ...config.config, emptyRowWeightValue: '2' } } } })).toThrow(
      'saved loss.weightedLoss.config.emptyRowWeightValue: must be a finite number ≥ 0 (the weight of rows with no positive label), got string 2',
    );
    expect(resumeWith({ version: 1, loss: { weightedLoss: { ...config, config: { ...config.config, emptyRowWeightValue: -1 } } } })).toThrow('saved loss.weightedLoss.config.emptyRowWeightValue');
    expect(resumeWith({ version: 1, loss: { name: 'meanSquaredError' }, metrics: [{ recipe: null }] })).toThrow('saved metrics[0]: is an object, not a saved metric');
    expect(tf.memory().numTensors).toBe(before);
    m.dispose();
  });
});
