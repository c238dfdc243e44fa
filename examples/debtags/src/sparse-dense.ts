import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

/**
 * x·W for sparse rows packed by `packSparse` ([N, 2L]: L indices, then L
 * values), with a closed-form gradient for W computed in JS as a scatter-add.
 * The forward pass is a gather and a batched matMul, which every backend has;
 * the gradient of a gather needs UnsortedSegmentSum, which the wasm backend
 * lacks, so tf.gather alone could not train here. Cost per batch: O(N·L·U),
 * against O(N·V·U) for the dense product.
 */
export const sparseMatMul = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const [x, w, save] = args as [tf.Tensor, tf.Tensor, tf.GradSaveFunc];
  const [N, width] = x.shape as [number, number];
  const [V, U] = w.shape as [number, number];
  const L = width / 2;
  const ids = tf.cast(tf.slice(x, [0, 0], [N, L]), 'int32');
  const vals = tf.slice(x, [0, L], [N, L]);
  const rows = tf.gather(w, tf.reshape(ids, [-1])); // [N·L, U]
  const value = tf.reshape(tf.matMul(tf.reshape(vals, [N, 1, L]), tf.reshape(rows, [N, L, U])), [N, U]);
  save([x]);
  return {
    value,
    gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
      const xs = saved[0]!;
      const xd = xs.dataSync();
      const g = (dy as tf.Tensor).dataSync();
      const dW = new Float32Array(V * U);
      for (let n = 0; n < N; n++) {
        const base = n * width;
        const gRow = n * U;
        for (let l = 0; l < L; l++) {
          const v = xd[base + L + l]!;
          if (v === 0) continue;
          const wRow = xd[base + l]! * U;
          for (let u = 0; u < U; u++) dW[wRow + u]! += v * g[gRow + u]!;
        }
      }
      return [tf.zerosLike(xs), tf.tensor2d(dW, [V, U])];
    },
  };
}) as (x: tf.Tensor, w: tf.Tensor) => tf.Tensor2D;

/** Arguments of {@link SparseDense}. */
export interface SparseDenseArgs {
  /** The layer's name. Defaults to one tfjs makes up. */
  readonly name?: string;
  /** The number of sparse features V. */
  readonly inputDim: number;
  /** The output width U. */
  readonly units: number;
  /** Initial bias values [U]. Defaults to zeros. */
  readonly biasInit?: readonly number[];
  /** Seed of the kernel's Glorot-uniform initialiser; `undefined` starts from zeros (a linear model). */
  readonly seed?: number;
  /** Activation. Defaults to `'linear'`. */
  readonly activation?: 'linear' | 'relu';
  /** L2 penalty λ·Σw² on the kernel, added to the loss. Defaults to `0`. */
  readonly l2?: number;
}

/**
 * A dense layer over sparse input: y = act(x·W + b) with x packed by
 * `packSparse`. With zero initial weights and no activation it is a logistic
 * regression's linear part over TF-IDF features.
 */
export class SparseDense extends tfl.layers.Layer {
  static readonly className = 'SparseDense';
  private readonly inputDim: number;
  private readonly units: number;
  private readonly biasInit: readonly number[] | undefined;
  private readonly seed: number | undefined;
  private readonly act: 'linear' | 'relu';
  private readonly l2: number;
  private kernel!: tfl.LayerVariable;
  private bias!: tfl.LayerVariable;

  constructor(args: SparseDenseArgs) {
    super(args);
    this.inputDim = args.inputDim;
    this.units = args.units;
    this.biasInit = args.biasInit;
    this.seed = args.seed;
    this.act = args.activation ?? 'linear';
    this.l2 = args.l2 ?? 0;
  }

  override build(): void {
    const kernelInit =
      this.seed === undefined ? tfl.initializers.zeros() : tfl.initializers.glorotUniform({ seed: this.seed });
    const reg = this.l2 > 0 ? tfl.regularizers.l2({ l2: this.l2 }) : undefined;
    this.kernel = this.addWeight('kernel', [this.inputDim, this.units], 'float32', kernelInit, reg);
    const b = this.biasInit;
    const biasInit = b === undefined ? tfl.initializers.zeros() : { apply: () => tf.tensor1d(b as number[]) };
    this.bias = this.addWeight('bias', [this.units], 'float32', biasInit as ReturnType<typeof tfl.initializers.zeros>);
    this.built = true;
  }

  override computeOutputShape(inputShape: tfl.Shape | tfl.Shape[]): tfl.Shape {
    return [(inputShape as tfl.Shape)[0]!, this.units];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = Array.isArray(inputs) ? inputs[0]! : inputs;
      const y = tf.add(sparseMatMul(x, this.kernel.read()), this.bias.read());
      return this.act === 'relu' ? tf.relu(y) : y;
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), inputDim: this.inputDim, units: this.units, activation: this.act, l2: this.l2 };
  }
}
