/**
 * DuckDB, embedded (no server): writes the example's Parquet file and counts
 * its labels with `sql/counts.sql`, one GROUP-free aggregate over the
 * multi-hot columns that runs unchanged on Spark SQL.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import type { ClassCounts } from '@tfjs-imbalance/weight-schemes';
import { CLASSES, FEATURES, labelColumns, prevalence } from './schema.js';

/** The portable counting query, `sql/counts.sql` of the example's directory `exampleDir`. */
export function readCountsSql(exampleDir: string): string {
  return readFileSync(join(exampleDir, 'sql', 'counts.sql'), 'utf8');
}

const quote = (path: string) => `'${path.replaceAll("'", "''")}'`;

async function withConnection<T>(use: (c: DuckDBConnection) => Promise<T>): Promise<T> {
  const db = await DuckDBInstance.create(':memory:');
  const connection = await db.connect();
  try {
    return await use(connection);
  } finally {
    connection.closeSync();
    db.closeSync();
  }
}

/**
 * Writes `rows` rows of synthetic long-tailed multi-label data to a Parquet
 * file, in DuckDB from a `range` (nothing is held in JS memory): each label
 * is drawn with its prevalence from a seeded hash of (row, label), and
 * feature k is noise plus 1.5 × label k, so the first FEATURES labels can be
 * learnt. Row groups of `rowGroup` rows.
 */
export async function writeParquet(path: string, rows: number, seed = 1, rowGroup = 65_536): Promise<void> {
  const uniform = (salt: number) => `((hash(i, ${salt}, ${seed}) % 1000000)::DOUBLE / 1000000.0)`;
  const labels = prevalence.map((p, c) => `(${uniform(c)} < ${p})::INTEGER AS l${c}`);
  const features = Array.from({ length: FEATURES }, (_, k) => `(${uniform(1000 + k)} * 2 - 1 + 1.5 * l${k})::FLOAT AS f${k}`);
  await withConnection(async (c) => {
    await c.run(`COPY (SELECT ${features.join(', ')}, ${labelColumns.join(', ')} FROM (SELECT i, ${labels.join(', ')} FROM range(${rows}) t(i))) TO ${quote(path)} (FORMAT parquet, ROW_GROUP_SIZE ${rowGroup})`);
  });
}

/** The label counts of the Parquet file(s) `path` (a glob works), by the counting query `sql` (`sql/counts.sql`) over a view on them. */
export async function countWithDuckDB(path: string, sql: string): Promise<ClassCounts> {
  return withConnection(async (c) => {
    await c.run(`CREATE VIEW labels AS SELECT * FROM read_parquet(${quote(path)})`);
    const reader = await c.runAndReadAll(sql);
    const [row] = reader.getRowObjects();
    if (row === undefined) throw new Error(`${path}: the counting query returned no row`);
    const n = (v: unknown) => Number(v ?? 0); // BIGINT comes back as bigint; SUM over no row as null
    return { samples: n(row['samples']), emptyRows: n(row['empty_rows']), positives: Array.from({ length: CLASSES }, (_, k) => n(row[`l${k}`])) };
  });
}
