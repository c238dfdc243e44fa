import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { weightedBinaryCrossentropy } from '@tfjs-imbalance/weighted-loss';
import { fbetaCallback, fbetaMetric } from '@tfjs-imbalance/fbeta-metric';
import { InvalidOptionError } from '@tfjs-imbalance/weight-schemes';
import { sampleWeightCallback } from '@tfjs-imbalance/sample-weight-callback';

describe('the logits/probabilities mix-up is caught at train begin', () => {
  async function fitWith(activation: 'sigmoid' | 'linear', from: 'logits' | 'probabilities', metricFrom?: 'logits' | 'probabilities'): Promise<unknown> {
    const model = tfl.sequential({ layers: [tfl.layers.dense({ units: 2, inputShape: [2], activation })] });
    const loss = weightedBinaryCrossentropy({ numClasses: 2, from });
    model.compile({ optimizer: 'sgd', loss });
    const [x, y] = [tf.tensor2d([[0, 1], [1, 0]]), tf.tensor2d([[0, 1], [1, 0]])];
    const callbacks: tfl.Callback[] = [sampleWeightCallback({ losses: loss, scheme: 'ins', data: y })];
    if (metricFrom !== undefined) callbacks.unshift(fbetaCallback({ validationData: [x, y], from: metricFrom }));
    let error: unknown;
    try {
      await model.fit(x, y, { epochs: 1, verbose: 0, callbacks });
    } catch (e) {
      error = e;
    }
    model.dispose();
    loss.dispose();
    tf.dispose([x, y]);
    return error;
  }

  it('a sigmoid output with a loss on logits (the default) stops with the fix', async () => {
    const e = await fitWith('sigmoid', 'logits');
    expect((e as Error).message).toMatch(/^args\.losses\.from: is 'logits' but the model's last layer "\w+" has a sigmoid activation, so it outputs probabilities\. Drop the activation/);
  });

  it('a linear output with a loss on probabilities stops, and so does an F-beta callback on logits over a sigmoid output', async () => {
    expect((await fitWith('linear', 'probabilities')) as Error).toBeInstanceOf(Error);
    expect(((await fitWith('linear', 'probabilities')) as Error).message).toContain("is 'probabilities' but the model's last layer");
    expect(((await fitWith('sigmoid', 'probabilities', 'logits')) as Error).message).toContain("args.from: is 'logits' but the model's last layer");
  });

  it('matching settings train', async () => {
    expect(await fitWith('linear', 'logits', 'logits')).toBeUndefined();
    expect(await fitWith('sigmoid', 'probabilities', 'probabilities')).toBeUndefined();
  });
});

describe('the model is checked against the losses and metrics the callbacks see', () => {
  const data = () => [tf.tensor2d([[0, 1], [1, 0]]), tf.tensor2d([[0, 1], [1, 0]]), tf.tensor2d([[1, 1], [0, 0]])] as const;

  async function run(fit: () => Promise<unknown>): Promise<unknown> {
    try {
      await fit();
      return undefined;
    } catch (e) {
      return e;
    }
  }

  it('an F-beta compile metric on logits over a sigmoid output stops at train begin (with either callback)', async () => {
    const model = tfl.sequential({ layers: [tfl.layers.dense({ units: 2, inputShape: [2], activation: 'sigmoid' })] });
    const loss = weightedBinaryCrossentropy({ numClasses: 2, from: 'probabilities' });
    model.compile({ optimizer: 'sgd', loss, metrics: [fbetaMetric({ from: 'logits', name: 'f05' })] });
    const [x, y] = data();
    const viaWeights = await run(() => model.fit(x, y, { epochs: 1, verbose: 0, callbacks: [sampleWeightCallback({ losses: loss, scheme: 'ins', data: y })] }));
    expect((viaWeights as Error).message).toContain(`args.from of the compile metric "f05": is 'logits' but the model's last layer`);
    const viaFbeta = await run(() => model.fit(x, y, { epochs: 1, verbose: 0, callbacks: [fbetaCallback({ validationData: [x, y], from: 'probabilities' })] }));
    expect((viaFbeta as Error).message).toContain('args.from of the compile metric "f05"');
    model.dispose();
    loss.dispose();
    tf.dispose([x, y]);
  });

  it('one loss on two outputs stops online counting, which would mix their labels; one loss per output trains', async () => {
    const input = tfl.input({ shape: [2] });
    const a = tfl.layers.dense({ units: 2, name: 'tags' }).apply(input) as tfl.SymbolicTensor;
    const b = tfl.layers.dense({ units: 2, name: 'topics' }).apply(input) as tfl.SymbolicTensor;
    const model = tfl.model({ inputs: input, outputs: [a, b] });
    const [x, ya, yb] = data();
    const shared = weightedBinaryCrossentropy({ numClasses: 2 });
    model.compile({ optimizer: 'sgd', loss: shared });
    const e = await run(() => model.fit(x, [ya, yb], { epochs: 1, verbose: 0, callbacks: [sampleWeightCallback({ losses: shared, scheme: 'ins', online: true })] }));
    expect(e).toBeInstanceOf(InvalidOptionError);
    expect((e as Error).message).toContain('args.losses: is the loss of 2 outputs ("tags", "topics"), so its online counts would mix their labels');
    // Fixed weights from known counts may be shared: nothing is counted.
    expect(await run(() => model.fit(x, [ya, yb], { epochs: 1, verbose: 0, callbacks: [sampleWeightCallback({ losses: shared, scheme: 'ins', counts: [3, 1] })] }))).toBeUndefined();
    const [la, lb] = [weightedBinaryCrossentropy({ numClasses: 2 }), weightedBinaryCrossentropy({ numClasses: 2 })];
    model.compile({ optimizer: 'sgd', loss: [la, lb] });
    expect(await run(() => model.fit(x, [ya, yb], { epochs: 1, verbose: 0, callbacks: [sampleWeightCallback({ losses: [la, lb], scheme: 'ins', online: true })] }))).toBeUndefined();
    model.dispose();
    [shared, la, lb].forEach((l) => l.dispose());
    tf.dispose([x, ya, yb]);
  });
});
