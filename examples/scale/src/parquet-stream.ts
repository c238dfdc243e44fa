/**
 * Reads a Parquet file one row group at a time with hyparquet (pure JS, no
 * native code), so a file larger than memory streams through: only one row
 * group's columns are held at once.
 */
import { asyncBufferFromFile, parquetMetadataAsync, parquetRead } from 'hyparquet';

/** One row group's columns as row-major float32 matrices. */
export interface RowGroupBatch {
  readonly rows: number;
  /** [rows × columns.length] per requested column set, row-major. */
  readonly matrices: Float32Array[];
}

/**
 * Yields each row group of `path`, with each of `columnSets` (lists of
 * column names) as a row-major Float32Array.
 */
export async function* rowGroups(path: string, columnSets: readonly (readonly string[])[]): AsyncGenerator<RowGroupBatch> {
  const file = await asyncBufferFromFile(path);
  const metadata = await parquetMetadataAsync(file);
  const columns = [...new Set(columnSets.flat())];
  let rowStart = 0;
  for (const group of metadata.row_groups) {
    const rows = Number(group.num_rows);
    const data = new Map<string, ArrayLike<unknown>>();
    await parquetRead({
      file,
      metadata,
      columns,
      rowStart,
      rowEnd: rowStart + rows,
      onChunk: (chunk) => {
        // A column chunk may come in parts: place each at its rows.
        const prev = data.get(chunk.columnName);
        const out = (prev as Float32Array | undefined) ?? new Float32Array(rows);
        const from = chunk.rowStart - rowStart;
        for (let r = 0; r < chunk.columnData.length; r++) out[from + r] = Number(chunk.columnData[r]);
        data.set(chunk.columnName, out);
      },
    });
    const matrices = columnSets.map((set) => {
      const m = new Float32Array(rows * set.length);
      set.forEach((name, j) => {
        const col = data.get(name) as Float32Array | undefined;
        if (col === undefined) throw new Error(`${path}: no column ${name}`);
        for (let r = 0; r < rows; r++) m[r * set.length + j] = col[r]!;
      });
      return m;
    });
    yield { rows, matrices };
    rowStart += rows;
  }
}
