import { countStream, type ClassCounts } from '@tfjs-imbalance/weight-schemes';
import { rowGroups } from './parquet-stream.js';
import { CLASSES, labelColumns } from './schema.js';

/** The label counts of a Parquet file by `countStream`, fed one row group at a time (flat memory). */
export async function countParquetStream(path: string): Promise<ClassCounts> {
  async function* labels() {
    for await (const g of rowGroups(path, [labelColumns])) yield { data: g.matrices[0]!, shape: [g.rows, CLASSES] as const };
  }
  return countStream(labels());
}
