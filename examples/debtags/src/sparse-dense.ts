import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

/** The parts of tfjs-backend-wasm's backend that {@link readValues} uses. */
interface WasmBackendView {
  readonly dataIdMap?: { get(id: object): { memoryOffset?: number; dtype?: string } | undefined };
  readonly wasm?: { readonly HEAPU8?: Uint8Array };
}

/**
 * A float32 tensor's values, for reading at once. On wasm it is a view of
 * the tensor's memory in the wasm heap, not a copy: `dataSync` copies the
 * whole 29,482 × 200 kernel into a new buffer every batch, 26 ms of a
 * 110 ms step here. The view must be read before the next tfjs op, which
 * may grow the heap and detach it. On any other backend, or should the
 * backend's layout differ, it is `dataSync`.
 */
function readValues(t: tf.Tensor): Float32Array {
  if (tf.getBackend() === 'wasm' && t.dtype === 'float32') {
    const backend = tf.backend() as unknown as WasmBackendView;
    const info = backend.dataIdMap?.get(t.dataId);
    const heap = backend.wasm?.HEAPU8;
    if (heap !== undefined && typeof info?.memoryOffset === 'number' && info.memoryOffset + t.size * 4 <= heap.byteLength) {
      return new Float32Array(heap.buffer, heap.byteOffset + info.memoryOffset, t.size);
    }
  }
  return t.dataSync() as Float32Array;
}

/**
 * x·W for sparse rows packed by `packSparse` ([N, 2L]: L indices, then L
 * values), as one custom op whose forward and backward passes run in JS on
 * the rows' nonzeros: O(N·L·U) each, against O(N·V·U) for the dense
 * product. The wasm backend has a gather (36 ms for a 1024-row batch here,
 * it is not vectorised) but not its gradient (UnsortedSegmentSum); reading W
 * in place ({@link readValues}) and summing in JS (3 ms) is faster than either.
 *
 * With `l2` > 0 the gradient also carries the penalty's 2·l2·W, so the
 * penalty l2·Σw² costs no extra kernels; the loss tfjs reports leaves its
 * value out.
 */
export function sparseMatMulOp(l2 = 0): (x: tf.Tensor, w: tf.Tensor) => tf.Tensor2D {
  // The backward pass sums each batch's gradient into one row per distinct feature in the batch (a few
  // thousand of the V), uploads those rows and scatters them into the V×U gradient on the backend, where the
  // L2 term 2·l2·W is added too. Building the dense V·U gradient in JS and uploading it cost twice as much.
  // Both buffers persist across batches; only their used parts are reset.
  let slot = new Int32Array(0); // feature → its row in `rows`, or −1
  let rows = new Float32Array(0);
  return tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [x, w] = args as [tf.Tensor, tf.Tensor];
    const [N, width] = x.shape as [number, number];
    const [V, U] = w.shape as [number, number];
    const L = width / 2;
    const xd = x.dataSync();
    const wd = readValues(w); // read before any tfjs op below
    const y = new Float32Array(N * U);
    for (let n = 0; n < N; n++) {
      const base = n * width;
      const yRow = n * U;
      for (let l = 0; l < L; l++) {
        const v = xd[base + L + l]!;
        if (v === 0) continue;
        const wRow = xd[base + l]! * U;
        for (let u = 0; u < U; u++) y[yRow + u]! += v * wd[wRow + u]!;
      }
    }
    return {
      value: tf.tensor2d(y, [N, U]),
      gradFunc: (dy: tf.Tensor | tf.Tensor[]) => {
        const g = (dy as tf.Tensor).dataSync();
        if (slot.length !== V) slot = new Int32Array(V).fill(-1);
        const capacity = Math.min(V, N * L) * U;
        if (rows.length < capacity) rows = new Float32Array(capacity);
        const features: number[] = [];
        for (let n = 0; n < N; n++) {
          const base = n * width;
          const gRow = n * U;
          for (let l = 0; l < L; l++) {
            const v = xd[base + L + l]!;
            if (v === 0) continue;
            const f = xd[base + l]!;
            let k = slot[f]!;
            if (k < 0) {
              k = slot[f] = features.length;
              features.push(f);
            }
            const r = k * U;
            for (let u = 0; u < U; u++) rows[r + u]! += v * g[gRow + u]!;
          }
        }
        const K = features.length;
        const dW = tf.tidy(() => {
          const sparse = tf.scatterND(tf.tensor2d(features, [K, 1], 'int32'), tf.tensor2d(rows.subarray(0, K * U), [K, U]), [V, U]);
          return l2 > 0 ? tf.add(sparse, tf.mul(w, 2 * l2)) : sparse;
        });
        for (const f of features) slot[f] = -1;
        rows.fill(0, 0, K * U);
        return [tf.zerosLike(x), dW];
      },
    };
  }) as (x: tf.Tensor, w: tf.Tensor) => tf.Tensor2D;
}

/** Arguments of {@link SparseDense}. */
export interface SparseDenseArgs {
  /** The layer's name. Defaults to one tfjs makes up. */
  readonly name?: string;
  /** The packed input's shape without the batch axis, [2L], for the first layer of a model. Defaults to none. */
  readonly inputShape?: number[];
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
  /** L2 penalty λ·Σw² on the kernel, applied through its gradient (the reported loss leaves it out). Defaults to `0`. */
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
  private readonly matMul: (x: tf.Tensor, w: tf.Tensor) => tf.Tensor2D;
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
    this.matMul = sparseMatMulOp(this.l2);
  }

  override build(): void {
    const kernelInit =
      this.seed === undefined ? tfl.initializers.zeros() : tfl.initializers.glorotUniform({ seed: this.seed });
    this.kernel = this.addWeight('kernel', [this.inputDim, this.units], 'float32', kernelInit);
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
      const y = tf.add(this.matMul(x, this.kernel.read()), this.bias.read());
      return this.act === 'relu' ? tf.relu(y) : y;
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), inputDim: this.inputDim, units: this.units, activation: this.act, l2: this.l2 };
  }
}
