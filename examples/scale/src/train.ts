/**
 * Training from a Parquet file larger than memory: a `tf.data` generator
 * streams it row group by row group into `fitDataset`, and the
 * sample-weight callback counts the labels online as the batches go by, so
 * neither the data nor its counts need a pass of their own.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfd from '@tensorflow/tfjs-data';
import * as tfl from '@tensorflow/tfjs-layers';
import { sampleWeightCallback } from '@tfjs-imbalance/sample-weight-callback';
import type { SchemeConfig } from '@tfjs-imbalance/weight-schemes';
import { weightedBinaryCrossentropy } from '@tfjs-imbalance/weighted-loss';
import { rowGroups } from './parquet-stream.js';
import { CLASSES, FEATURES, featureColumns, labelColumns } from './schema.js';

/** A `tf.data` dataset of `{ xs, ys }` batches read from `path` one row group at a time. */
export function parquetDataset(path: string, batchSize: number): tfd.Dataset<tf.TensorContainer> {
  return tfd.generator(async function* () {
    for await (const g of rowGroups(path, [featureColumns, labelColumns])) {
      const [x, y] = g.matrices as [Float32Array, Float32Array];
      for (let start = 0; start < g.rows; start += batchSize) {
        const n = Math.min(batchSize, g.rows - start);
        yield { xs: tf.tensor2d(x.subarray(start * FEATURES, (start + n) * FEATURES), [n, FEATURES]), ys: tf.tensor2d(y.subarray(start * CLASSES, (start + n) * CLASSES), [n, CLASSES]) };
      }
    }
  } as unknown as () => Iterator<tf.TensorContainer>);
}

/** What one streamed training gives: the loss per epoch and the class weights the online counts set. */
export interface StreamedTraining {
  readonly loss: number[];
  readonly classWeights: number[];
  readonly seconds: number;
}

/** Trains a logistic regression on the Parquet file, streamed, with class weights from the online counts. */
export async function trainStreamed(path: string, scheme: SchemeConfig, epochs = 1, batchSize = 4096): Promise<StreamedTraining> {
  const t0 = performance.now();
  const model = tfl.sequential({ layers: [tfl.layers.dense({ units: CLASSES, inputShape: [FEATURES] })] });
  const loss = weightedBinaryCrossentropy({ numClasses: CLASSES });
  try {
    model.compile({ optimizer: tf.train.adam(0.01), loss });
    const history = await model.fitDataset(parquetDataset(path, batchSize), { epochs, verbose: 0, callbacks: [sampleWeightCallback({ losses: loss, scheme, online: true })] });
    return { loss: (history.history['loss'] as number[]).map(Number), classWeights: await loss.getClassWeightsAsync(), seconds: (performance.now() - t0) / 1000 };
  } finally {
    model.dispose();
    loss.dispose();
  }
}
