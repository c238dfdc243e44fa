import * as fc from 'fast-check';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { classWeights, countMultiHot, emptyRowClassWeight } from '@tfjs-imbalance/weight-schemes';
import { weightedBinaryCrossentropy } from '@tfjs-imbalance/weighted-loss';
import { sampleWeightCallback } from '@tfjs-imbalance/sample-weight-callback';

// From the second epoch on, the loss trains with the weights of the offline counts of the
// training rows (class weights and the 'as-class' empty-row weight): in the first epoch every
// batch was counted once, and the validation rows that tfjs evaluates inside the last batch
// not at all, whatever the batch size, shuffling and split.
describe('online counts equal offline counts after one epoch (property)', () => {
  it('for any data, batch size, shuffle and validation rows', async () => {
    const data = fc
      .record({ C: fc.integer({ min: 1, max: 4 }), N: fc.integer({ min: 2, max: 40 }), V: fc.integer({ min: 0, max: 12 }) })
      .chain(({ C, N, V }) =>
        fc.record({
          train: fc.array(fc.array(fc.constantFrom(0, 1), { minLength: C, maxLength: C }), { minLength: N, maxLength: N }),
          val: fc.array(fc.array(fc.constantFrom(0, 1), { minLength: C, maxLength: C }), { minLength: V, maxLength: V }),
          batchSize: fc.integer({ min: 1, max: N + 3 }),
          shuffle: fc.boolean(),
          scheme: fc.constantFrom({ name: 'ens', beta: 0.99 } as const, 'ins' as const, 'isns' as const),
        }),
      );
    await fc.assert(
      fc.asyncProperty(data, async ({ train, val, batchSize, shuffle, scheme }) => {
        const C = train[0]!.length;
        const model = tfl.sequential({ layers: [tfl.layers.dense({ units: C, inputShape: [2] })] });
        const loss = weightedBinaryCrossentropy({ numClasses: C });
        model.compile({ optimizer: 'sgd', loss });
        const features = (rows: number[][]) => tf.tensor2d(rows.map((r, i) => [r[0]! - 0.5, Math.sin(i)]));
        const [x, y] = [features(train), tf.tensor2d(train)];
        const validation = val.length ? ([features(val), tf.tensor2d(val)] as [tf.Tensor, tf.Tensor]) : undefined;
        const cb = sampleWeightCallback({ losses: loss, scheme, online: true });
        const seen: { classWeights: number[]; emptyRow: number }[] = [];
        const probe = new tfl.CustomCallback({
          onEpochBegin: async () => void seen.push({ classWeights: loss.getClassWeights(), emptyRow: loss.getEmptyRowWeight() }),
        });
        try {
          await model.fit(x, y, { epochs: 2, batchSize, shuffle, verbose: 0, callbacks: [cb, probe], ...(validation ? { validationData: validation } : {}) });
          const offline = countMultiHot(train);
          const filled = { ...(typeof scheme === 'string' ? { name: scheme } : scheme), emptyClass: 'max' } as const;
          // With no positive label at all there is nothing to weigh by: uniform weights, as the callback documents.
          const none = offline.positives.every((n) => n === 0);
          const expected = none ? new Array<number>(C).fill(1) : classWeights(offline, filled);
          expect(seen).toHaveLength(2);
          seen[1]!.classWeights.forEach((w, c) => expect(w).toBeCloseTo(expected[c]!, 5));
          expect(seen[1]!.emptyRow).toBeCloseTo(none ? 1 : emptyRowClassWeight(offline, filled), 5);
        } finally {
          loss.dispose();
          model.dispose();
          tf.dispose([x, y, ...(validation ?? [])]);
        }
      }),
      { numRuns: 25 },
    );
  });
});
