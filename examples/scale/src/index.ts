/**
 * Counting at scale: label counts from Parquet files with DuckDB (one
 * portable SQL query) or with `countStream` over row groups, and training
 * from a Parquet file streamed into `fitDataset`.
 */
export { CLASSES, FEATURES, featureColumns, labelColumns, prevalence } from './schema.js';
export { countWithDuckDB, readCountsSql, writeParquet } from './duckdb.js';
export { rowGroups, type RowGroupBatch } from './parquet-stream.js';
export { parquetDataset, trainStreamed, type StreamedTraining } from './train.js';
export { countParquetStream } from './count.js';
