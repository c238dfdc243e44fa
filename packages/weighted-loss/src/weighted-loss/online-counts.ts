import * as tf from '@tensorflow/tfjs-core';
import { checkRange } from '@tfjs-imbalance/weight-schemes/internal';
import { nonTrainable, type OnlineCounts } from './args.js';

/** The layout of the counts variable: C positives, then rows, empty rows and invalid label values. */
const EXTRA_SLOTS = 3;

/**
 * The label counts a loss records from the batches it is called with, for
 * online re-weighting. The device holds only the counts since the last read,
 * in float32 (one `assign` per counted batch, no read); each read adds them
 * to float64 totals, so counts stay exact beyond 2^24.
 * @internal
 */
export class OnlineCounter {
  private readonly device: tf.Variable;
  private readonly totals: Float64Array;

  constructor(private readonly numClasses: number) {
    this.device = nonTrainable(new Array<number>(numClasses + EXTRA_SLOTS).fill(0));
    this.totals = new Float64Array(numClasses + EXTRA_SLOTS);
  }

  /**
   * Adds a batch: its positive labels [N, C], the positives per row k [N, 1],
   * the number of invalid label values (a scalar tensor), and optionally which
   * rows carry a label [N, 1] (the others are not counted). Inside `tf.tidy`.
   */
  record(positives: tf.Tensor, k: tf.Tensor, invalid: tf.Tensor, counted?: tf.Tensor): void {
    const empty = tf.cast(tf.equal(k, 0), 'float32');
    const batch = tf.concat([
      tf.reshape(tf.matMul(tf.ones([1, positives.shape[0]!]), positives as tf.Tensor2D), [-1]), // column sums without an axis-0 reduction
      tf.stack([
        counted === undefined ? tf.scalar(positives.shape[0]!) : tf.sum(counted),
        tf.sum(counted === undefined ? empty : tf.mul(empty, counted)),
        invalid,
      ]),
    ]);
    this.device.assign(tf.add(this.device, batch));
  }

  /** The counts so far, with a synchronous read. */
  read(): OnlineCounts {
    this.addToTotals(this.device.dataSync() as Float32Array);
    return this.countsOf();
  }

  /** The counts so far, with an asynchronous read (no blocking read on WebGL and WebGPU). */
  async readAsync(): Promise<OnlineCounts> {
    this.addToTotals((await this.device.data()) as Float32Array);
    return this.countsOf();
  }

  /** Multiplies the counts by `factor` in [0, 1], on the device too, without reading it back. */
  decay(factor: number): void {
    checkRange('factor', factor, { min: 0, max: 1 });
    if (factor === 0) tf.tidy(() => this.device.assign(tf.zerosLike(this.device)));
    else if (factor < 1) tf.tidy(() => this.device.assign(tf.mul(this.device, factor)));
    this.totals.forEach((x, i) => (this.totals[i] = x * factor));
  }

  dispose(): void {
    this.device.dispose();
  }

  private countsOf(): OnlineCounts {
    const v = this.totals;
    const C = this.numClasses;
    return { positives: Array.from(v.subarray(0, C)), samples: v[C]!, emptyRows: v[C + 1]!, invalidLabels: v[C + 2]! };
  }

  /** Adds counts read from the device to the float64 totals and clears them there. */
  private addToTotals(v: Float32Array): void {
    if (v.some((x) => x !== 0)) {
      v.forEach((x, i) => (this.totals[i]! += x));
      tf.tidy(() => this.device.assign(tf.zerosLike(this.device)));
    }
  }
}
