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
export async function countData(data: LabelMatrix | BatchSource<unknown>, format: LabelFormat, numClasses: number): Promise<ClassCounts> {
  const isMatrix =
    isTensorLike(data) ||
    ('data' in (data as object) && 'shape' in (data as object)) ||
    (Array.isArray(data) && (format === 'indices' ? typeof data[0] === 'number' : typeof data[0]?.[0] === 'number'));
  try {
    if (isMatrix) {
      return format === 'multi-hot' ? countMultiHot(data as LabelMatrix) : new ClassCounter(numClasses, format).update(data as LabelMatrix).result();
    }
    return await countStream(data as BatchSource<unknown>, { format, numClasses });
  } catch (e) {
    // The counting functions name their own arguments (labels, source, options.format); the user passed args.data.
    if (!(e instanceof ImbalanceError)) throw e;
    const ErrorClass = e.constructor as new (argument: string, message: string) => ImbalanceError;
    // Drop the counting functions' own fixes (another function, their numClasses option); say the callback's.
    const detail = e.message
      .slice(e.argument.length + 2)
      .replace(/\s*If these are class indices, .*?where there is one\./, '')
      .replace(/\s*Pass numClasses large enough for every class\./, '');
    const hint =
      format === 'multi-hot'
        ? " If args.data holds class indices ([N] or [N, 1]), pass format: 'indices'; one-hot rows, format: 'one-hot'."
        : ` args.data is read with format: '${format}' and the loss's ${numClasses} classes: fix the labels, or build the loss with the right numClasses.`;
    throw new ErrorClass('args.data', `${detail}${hint}`);
  }
}
