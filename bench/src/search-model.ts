/** The model of the bench's parallel-search case, as a user's `workers.module`: an MLP 64 → 128 → 40, Adam 1e-3. */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

export const FEATURES = 64;
export const CLASSES = 40;
export const model = () => tfl.sequential({ layers: [tfl.layers.dense({ units: 128, activation: 'relu', inputShape: [FEATURES] }), tfl.layers.dense({ units: CLASSES })] });
export const optimizer = () => tf.train.adam(1e-3);
