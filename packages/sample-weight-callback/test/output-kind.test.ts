import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { weightedBinaryCrossentropy } from '@tfjs-imbalance/weighted-loss';
import { fbetaCallback } from '@tfjs-imbalance/fbeta-metric';
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
