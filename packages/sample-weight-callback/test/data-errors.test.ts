import * as tf from '@tensorflow/tfjs-core';
import * as tfd from '@tensorflow/tfjs-data';
import * as tfl from '@tensorflow/tfjs-layers';
import { weightedBinaryCrossentropy } from '@tfjs-imbalance/weighted-loss';
import { sampleWeightCallback } from '@tfjs-imbalance/sample-weight-callback';

/** fit with the callback counting `data`, and the error it stops with. */
async function fitWith(data: unknown, extra: Record<string, unknown> = {}): Promise<Error> {
  const model = tfl.sequential({ layers: [tfl.layers.dense({ units: 3, inputShape: [2] })] });
  const loss = weightedBinaryCrossentropy({ numClasses: 3 });
  model.compile({ optimizer: 'sgd', loss });
  const [x, y] = [tf.ones([4, 2]), tf.tensor2d([[1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 0, 0]])];
  try {
    await model.fit(x, y, { epochs: 1, verbose: 0, callbacks: [sampleWeightCallback({ losses: loss, scheme: 'ins', data: data as never, ...extra })] });
    throw new Error('fit did not throw');
  } catch (e) {
    return e as Error;
  } finally {
    model.dispose();
    loss.dispose();
    tf.dispose([x, y]);
  }
}

describe("the callback's data: errors name args.data and the option that fixes them", () => {
  it('class indices without format', async () => {
    const e = await fitWith([0, 2, 1, 0]);
    expect(e.message).toBe("args.data: expected a [N, C] label matrix, got number 0. If args.data holds class indices ([N] or [N, 1]), pass format: 'indices'; one-hot rows, format: 'one-hot'.");
  });

  it('[N, 1] index labels without format, and an index out of range with it', async () => {
    const e1 = await fitWith(tf.tensor2d([[0], [2], [1], [0]]));
    expect(e1.message).toBe(
      "args.data: label at row 1, column 0 is 2; multi-hot labels must lie in [0, 1]. If args.data holds class indices ([N] or [N, 1]), pass format: 'indices'; one-hot rows, format: 'one-hot'.",
    );
    const e2 = await fitWith([0, 5, 1, 0], { format: 'indices' });
    expect(e2.message).toBe(
      "args.data: index 1 is 5; class indices must be whole numbers in [0, 3). args.data is read with format: 'indices' and the loss's 3 classes: fix the labels, or build the loss with the right numClasses (and ignoreClass for positions without a label, such as padding).",
    );
  });

  it('an endless dataset is refused when the callback is built, not read forever', () => {
    const endless = tfd.array([[1, 0, 0], [0, 1, 0]]).batch(2).repeat();
    const loss = weightedBinaryCrossentropy({ numClasses: 3 });
    expect(() => sampleWeightCallback({ losses: loss, scheme: 'ins', data: endless as never })).toThrow(
      'args.data: is an endless dataset (size Infinity, as after .repeat()), and the callback counts its labels before training and reads it to the end, so it would never return.',
    );
    loss.dispose();
  });
});
