#!/usr/bin/env node
/**
 * The scale example: writes a multi-million-row Parquet file, counts its
 * labels with DuckDB (`sql/counts.sql`) and with `countStream` over its row
 * groups, checks that they agree, times both, turns the counts into class
 * weights, and trains a model from the file streamed into `fitDataset`.
 * `npm run scale -- --help` lists the options.
 */
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { describeBackend, selectBackend } from '@tfjs-imbalance/backend';
import { classWeights, type ClassCounts } from '@tfjs-imbalance/weight-schemes';
import { countParquetStream } from './count.js';
import { countWithDuckDB, readCountsSql, writeParquet } from './duckdb.js';
import { rowGroups } from './parquet-stream.js';
import { labelColumns } from './schema.js';
import { trainStreamed } from './train.js';

const HELP = `Usage: npm run scale -- [options]

  --rows N         rows of the generated Parquet file (default: 4000000)
  --file PATH      count and train on this Parquet file instead (its labels in columns l0 … l19, features f0 … f7)
  --row-group N    rows per Parquet row group of the generated file (default: 65536)
  --epochs N       epochs of the streamed training (default: 1)
  --json PATH      also write the figures as JSON
  --help`;

const same = (a: ClassCounts, b: ClassCounts) => a.samples === b.samples && a.emptyRows === b.emptyRows && a.positives.every((v, i) => v === b.positives[i]);

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { rows: { type: 'string', default: '4000000' }, file: { type: 'string' }, epochs: { type: 'string', default: '1' }, 'row-group': { type: 'string', default: '65536' }, json: { type: 'string' }, help: { type: 'boolean', default: false } }, strict: true });
  if (values.help) return void console.log(HELP);
  console.log(describeBackend(await selectBackend()));
  const dir = values.file === undefined ? mkdtempSync(join(tmpdir(), 'tfjs-imbalance-scale-')) : undefined;
  const path = values.file ?? join(dir!, 'labels.parquet');
  try {
    if (dir !== undefined) {
      const t0 = performance.now();
      await writeParquet(path, Number(values.rows), 1, Number(values['row-group']));
      console.log(`wrote ${Number(values.rows).toLocaleString('en')} rows to ${path} (${(statSync(path).size / 2 ** 20).toFixed(1)} MiB) in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    }
    let t = performance.now();
    const viaDuckDB = await countWithDuckDB(path, readCountsSql(join(dirname(fileURLToPath(import.meta.url)), '..')));
    const duckSeconds = (performance.now() - t) / 1000;
    t = performance.now();
    const viaStream = await countParquetStream(path);
    const streamSeconds = (performance.now() - t) / 1000;
    t = performance.now();
    for await (const g of rowGroups(path, [labelColumns])) void g; // the same reading, without the counting
    const readSeconds = (performance.now() - t) / 1000;
    console.log(`counts: DuckDB (sql/counts.sql) ${duckSeconds.toFixed(2)} s; countStream over the row groups read by hyparquet ${streamSeconds.toFixed(2)} s, of which reading ${readSeconds.toFixed(2)} s; DuckDB ÷ countStream ${(duckSeconds / streamSeconds).toFixed(3)}; identical: ${same(viaDuckDB, viaStream)}`);
    console.log(`  ${viaDuckDB.samples.toLocaleString('en')} rows, ${viaDuckDB.emptyRows.toLocaleString('en')} with no label; positives ${viaDuckDB.positives.join(', ')}`);
    if (!same(viaDuckDB, viaStream)) throw new Error('the two counts differ');
    const scheme = { name: 'ens', beta: 0.999999 } as const;
    const weights = classWeights(viaDuckDB, scheme);
    console.log(`ENS (β 0.999999) class weights from the counts: ${weights.map((w) => w.toFixed(3)).join(', ')}`);
    const trained = await trainStreamed(path, scheme, Number(values.epochs));
    const worst = Math.max(...trained.classWeights.map((w, i) => Math.abs(w - weights[i]!) / weights[i]!));
    console.log(`streamed training (fitDataset over the row groups, online counts): ${trained.seconds.toFixed(1)} s, loss ${trained.loss.map((l) => l.toFixed(4)).join(' → ')}; its class weights from the online counts match the file's within ${worst.toExponential(1)} (relative)`);
    if (values.json !== undefined) {
      const figures = { rows: viaDuckDB.samples, counts: { duckdb: viaDuckDB, countStream: viaStream, identical: same(viaDuckDB, viaStream) }, seconds: { duckdb: duckSeconds, countStream: streamSeconds, reading: readSeconds, training: trained.seconds }, weights: { fromCounts: weights, fromOnlineCounts: trained.classWeights }, loss: trained.loss };
      writeFileSync(values.json, JSON.stringify(figures, null, 1));
    }
  } finally {
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error(typeof (e as { code?: unknown })?.code === 'string' && String((e as { code: string }).code).startsWith('ERR_PARSE_ARGS_') ? `error: ${(e as Error).message}` : e);
  process.exit(1);
});
