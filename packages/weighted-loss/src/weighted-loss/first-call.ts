import * as tf from '@tensorflow/tfjs-core';
import type { PredictionKind } from '../core/binary-inputs.js';
import { routes } from '../core/route.js';

/** Below this many values, a batch of logits may all fall in [0, 1] by chance (1 in 2^32 at worst for logits centred at 0). */
const ENOUGH_VALUES = 32;

/**
 * On a loss's first batch, warns (once) when it reads logits but every
 * prediction lies in [0, 1]: the model most likely ends in a sigmoid or a
 * softmax, and the loss would train on probabilities as if they were
 * logits, silently. A freshly initialised logits model puts about half of its
 * outputs below 0, so 32 values all in [0, 1] are no accident. Only where a
 * read is cheap (cpu, wasm, tfjs-node): two numbers, once per loss.
 * @internal
 */
export function warnIfProbabilities(yPred: tf.Tensor, from: PredictionKind, lossName: string): void {
  if (from !== 'logits' || yPred.size < ENOUGH_VALUES || !routes().cheapReads) return;
  const range = tf.tidy(() => tf.stack([tf.min(yPred), tf.max(yPred)]));
  const [lo, hi] = range.dataSync();
  range.dispose();
  if (lo! >= 0 && hi! <= 1) {
    console.warn(
      `${lossName}: every prediction of the first batch (shape [${yPred.shape.join(', ')}]) lies in [0, 1], so the model likely ends in a sigmoid or softmax, ` +
        "but the loss reads logits (from: 'logits', the default) and would train on probabilities as if they were logits. " +
        "Drop the output activation (the library's losses and metrics take logits), or build the loss with from: 'probabilities'.",
    );
  }
}
