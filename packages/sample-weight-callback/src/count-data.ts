import {
  ClassCounter,
  ImbalanceError,
  countMultiHot,
  countStream,
  type BatchSource,
  type ClassCounts,
  type LabelFormat,
  type LabelMatrix,
} from '@tfjs-imbalance/weight-schemes';
import { isTensorLike } from '@tfjs-imbalance/weight-schemes/internal';

/** Counts the callback's `data` (a label matrix or a batch source), with errors that name `args.data`. @internal */
export async function countData(data: LabelMatrix | BatchSource<unknown>, format: LabelFormat, numClasses: number, ignoreClass?: number): Promise<ClassCounts> {
  const isMatrix =
    isTensorLike(data) ||
    ('data' in (data as object) && 'shape' in (data as object)) ||
    (Array.isArray(data) && (format === 'indices' ? typeof data[0] === 'number' || Array.isArray(data[0]) : Array.isArray(data[0])));
  try {
    if (isMatrix && isTensorLike(data) && typeof (data as { data?: unknown }).data === 'function' && (format === 'indices' || data.shape.length >= 2)) {
      // A tensor is read asynchronously, once: no blocking read at train begin on WebGL and WebGPU (where a
      // synchronous read stalls the GPU, or loses the device).
      const values = await (data as unknown as { data(): Promise<Float32Array | Int32Array | Uint8Array> }).data();
      const shape = data.shape as [number, number];
      data = format === 'indices' ? (values as unknown as LabelMatrix) : { data: values, shape };
    }
    if (isMatrix) {
      return format === 'multi-hot' ? countMultiHot(data as LabelMatrix) : new ClassCounter(numClasses, format, { ignoreClass }).update(data as LabelMatrix).result();
    }
    return await countStream(data as BatchSource<unknown>, { format, numClasses, ...(ignoreClass === undefined ? {} : { ignoreClass }) });
  } catch (e) {
    // The counting functions name their own arguments (labels, source, options.format); the user passed args.data.
    if (!(e instanceof ImbalanceError)) throw e;
    const ErrorClass = e.constructor as new (argument: string, message: string, fix?: string) => ImbalanceError;
    // The counting functions' own fixes (another function, their numClasses option) do not apply here: say the callback's.
    const detail = e.problem;
    const hint =
      format === 'multi-hot'
        ? " If args.data holds class indices ([N] or [N, 1]), pass format: 'indices'; one-hot rows, format: 'one-hot'."
        : ` args.data is read with format: '${format}' and the loss's ${numClasses} classes: fix the labels, or build the loss with the right numClasses` +
          (format === 'indices' && ignoreClass === undefined ? ' (and ignoreClass for positions without a label, such as padding).' : '.');
    throw new ErrorClass('args.data', detail, hint.trim());
  }
}
