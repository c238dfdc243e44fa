import * as tf from '@tensorflow/tfjs-core';
import { OutOfRangeError, ShapeMismatchError } from '@tfjs-imbalance/weight-schemes';
import { routes } from '../core/route.js';
import { shapeOf } from '../core/tensor-input.js';

/** What a loss class tells its label checks: how to test labels in JS and on the device, and the range for messages. @internal */
export interface LabelRules {
  /** `undefined` when a label is NaN or out of range, else whether every label is 0 or 1 (no soft label). */
  readonly inJs: (values: ArrayLike<number>, yTrue: tf.Tensor) => { binary: boolean } | undefined;
  /** A scalar > 0 when a label is NaN or out of range, as tensor ops (no read). Inside `tf.tidy`. */
  readonly onDevice: (yTrue: tf.Tensor) => tf.Tensor;
  /** The label range, for messages. */
  readonly range: () => string;
  /** A scalar > 0 when some label is neither 0 nor 1 (a soft label), as tensor ops; `undefined` when the loss does not care. Inside `tf.tidy`. */
  readonly nonBinaryOnDevice?: (yTrue: tf.Tensor) => tf.Tensor | undefined;
}

/** From this many labels on, wasm and tfjs-node check them on the device (below, kernels' fixed costs exceed the read). */
const DEVICE_CHECK_SIZE = 1 << 16;

/**
 * The per-batch label checks of a loss class (`validateLabels`). Where reads
 * are cheap a batch is checked at once, and an invalid batch stops there: on
 * cpu in JS (the labels are a JS array already), on wasm and tfjs-node on the
 * device with a read of two numbers (in JS below 65,536 labels). On WebGL and WebGPU the check runs on the
 * device and its one number is read back asynchronously: an invalid batch
 * stops the next call, or {@link LabelChecks.settle} (the sample-weight
 * callback awaits it after every batch), naming the batch.
 * @internal
 */
export class LabelChecks {
  private readonly pending = new Set<Promise<void>>();
  private bad: { call: number; shape: string } | undefined;

  constructor(private readonly rules: LabelRules) {}

  /**
   * Checks the labels of call number `call`.
   *
   * @returns Whether the batch is known to hold only 0/1 labels (a loss may then take a cheaper exact form); `false` when checked later.
   */
  check(yTrue: tf.Tensor, call: number): boolean {
    const route = routes();
    if (route.cheapReads && !route.cpu && yTrue.size >= DEVICE_CHECK_SIZE) {
      // wasm, tfjs-node, large batches: the check on the device and a read of one or two numbers (a segmentation
      // batch's 1M labels: 0.83 of tfjs' own loss step against 1.15 reading them into JS; bench/, 2026-12-06).
      const flags = tf.tidy(() => {
        const nonBinary = this.rules.nonBinaryOnDevice?.(yTrue);
        const bad = tf.reshape(this.rules.onDevice(yTrue), [1]);
        return nonBinary === undefined ? bad : tf.concat([bad, tf.reshape(nonBinary, [1])]);
      });
      const v = flags.dataSync();
      flags.dispose();
      if (!(v[0] === 0)) throw this.error(call, shapeOf(yTrue));
      return v.length > 1 && v[1] === 0;
    }
    if (route.cheapReads) {
      // cpu, where the labels are a JS array already, and small batches, where a few kernels cost more than the read.
      const result = this.rules.inJs(yTrue.dataSync(), yTrue);
      if (result === undefined) throw this.error(call, shapeOf(yTrue));
      return result.binary;
    }
    this.throwPending();
    const shape = shapeOf(yTrue);
    const flag = tf.tidy(() => tf.keep(this.rules.onDevice(yTrue)));
    // A check leaves the pending set once read, so training without the callback holds none for long.
    const check: Promise<void> = flag
      .data()
      .then((v) => {
        if (v[0]! > 0 && this.bad === undefined) this.bad = { call, shape };
      })
      .finally(() => {
        flag.dispose();
        this.pending.delete(check);
      });
    this.pending.add(check);
    return false;
  }

  /** Waits for the checks so far, and throws if one found invalid labels. */
  async settle(): Promise<void> {
    await Promise.all([...this.pending]);
    this.throwPending();
  }

  private throwPending(): void {
    const bad = this.bad;
    if (bad === undefined) return;
    this.bad = undefined;
    throw this.error(bad.call, bad.shape);
  }

  private error(call: number, shape: string): OutOfRangeError {
    return new OutOfRangeError(
      'yTrue',
      `the labels of the batch in call ${call} of this loss (shape ${shape}) hold NaN or values outside the label range ` +
        `(${this.rules.range()}). Fix the labels; the loss would be silently wrong. (validateLabels: false skips this check.)`,
    );
  }
}

/**
 * Multi-hot labels in JS: every value in [0, 1], and whether all are 0 or 1.
 * One loop over the labels, on the cpu backend, where they are already a JS
 * array (on wasm, reading 1M labels into JS cost more than the whole step of
 * tfjs' own loss: the device check is used there).
 * @internal
 */
export function multiHotInJs(d: ArrayLike<number>): { binary: boolean } | undefined {
  let binary = true;
  for (let i = 0; i < d.length; i++) {
    const v = d[i]!;
    if (!(v >= 0 && v <= 1)) return undefined;
    if (v !== 0 && v !== 1) binary = false;
  }
  return { binary };
}

/**
 * A scalar > 0 when some label is neither 0 nor 1 (a soft label): the largest
 * min(y, 1 − y). Inside `tf.tidy`.
 * @internal
 */
export function softLabelsOnDevice(yTrue: tf.Tensor): tf.Tensor {
  return tf.max(tf.minimum(yTrue, tf.sub(1, yTrue)));
}

/**
 * Multi-hot labels on the device: a scalar > 0 when they hold NaN or values
 * outside [0, 1] (two reductions, not a pass per check). Inside `tf.tidy`.
 * @internal
 */
export function multiHotOnDevice(yTrue: tf.Tensor): tf.Tensor {
  const bad = tf.logicalOr(tf.logicalNot(tf.greaterEqual(tf.min(yTrue), 0)), tf.logicalNot(tf.lessEqual(tf.max(yTrue), 1)));
  return tf.cast(bad, 'float32');
}

/**
 * Checks the predictions of a loss of C classes: [N, C], or [N, ..., C] with
 * the class axis last; throws with the shape.
 * @internal
 */
export function checkClassAxis(yPred: tf.Tensor, numClasses: number): void {
  if (yPred.rank < 2) {
    throw new ShapeMismatchError('yPred', `must be [N, C] (one column per class), or [N, ..., C] with the class axis last, got shape ${shapeOf(yPred)}.`);
  }
  const C = yPred.shape[yPred.rank - 1];
  if (C !== numClasses) {
    throw new ShapeMismatchError(
      'yPred',
      `has ${C} classes (shape ${shapeOf(yPred)}) but the loss has ${numClasses} class weights; build the loss with one weight per model output` +
        (yPred.rank > 2 ? ', with the class axis last (channels-last, as Keras).' : '.'),
    );
  }
}

/**
 * Checks a multi-hot batch against a loss of C classes: yPred [N, C] (or
 * [N, ..., C]), and yTrue of the same shape; throws with both shapes.
 * @internal
 */
export function checkMultiHotShapes(yTrue: tf.Tensor, yPred: tf.Tensor, numClasses: number): void {
  checkClassAxis(yPred, numClasses);
  if (!tf.util.arraysEqual(yTrue.shape, yPred.shape)) {
    const packed = yTrue.rank === 2 && yTrue.shape[1] === numClasses + 1;
    throw new ShapeMismatchError(
      'yTrue',
      `has shape ${shapeOf(yTrue)} but yPred has shape ${shapeOf(yPred)}; they must match.` +
        (packed ? ' If the last column holds sample weights (packSampleWeights), build the loss with sampleWeightColumn: true.' : ''),
    );
  }
}
