// The scale example end to end, in a reduced setting (150,000 rows in row groups of 40,000), through its built
// CLI: hyparquet is ESM-only, which jest's CommonJS runtime cannot load.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { classWeights, type ClassCounts } from '@tfjs-imbalance/weight-schemes';

const CLI = join(__dirname, '..', 'dist', 'cli.js');

describe('npm run scale (reduced: 150,000 rows, row groups of 40,000, 2 epochs)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'scale-test-'));
  let code: number | null = null;
  let output = '';
  let r: {
    rows: number;
    counts: { duckdb: ClassCounts; countStream: ClassCounts; identical: boolean };
    weights: { fromCounts: number[]; fromOnlineCounts: number[] };
    loss: number[];
  };
  beforeAll(() => {
    const run = spawnSync(process.execPath, [CLI, '--rows', '150000', '--row-group', '40000', '--epochs', '2', '--json', join(dir, 'figures.json')], { encoding: 'utf8' });
    code = run.status;
    output = run.stdout + run.stderr;
    if (code === 0) r = JSON.parse(readFileSync(join(dir, 'figures.json'), 'utf8'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('exits 0 and prints the figures', () => {
    expect(output).toContain('counts: DuckDB (sql/counts.sql)');
    expect(code).toBe(0);
  });

  it('counts the same with DuckDB (SQL, C++) and with countStream over the row groups (hyparquet, JS): every row, the long tail it generates', () => {
    expect(r.counts.countStream).toEqual(r.counts.duckdb);
    expect(r.counts.identical).toBe(true);
    expect(r.rows).toBe(150_000);
    const p = r.counts.duckdb.positives;
    expect(p).toHaveLength(20);
    expect(p[0]! / 150_000).toBeCloseTo(0.3, 1);
    expect(p.at(-1)!).toBeLessThan(p[0]! / 100);
    expect(r.counts.duckdb.emptyRows).toBeGreaterThan(0);
  });

  it('turns the counts into class weights, and the streamed training’s online counts give the same weights; its loss falls', () => {
    const expected = classWeights(r.counts.duckdb, { name: 'ens', beta: 0.999999 });
    r.weights.fromCounts.forEach((w, i) => expect(w).toBeCloseTo(expected[i]!, 10));
    r.weights.fromOnlineCounts.forEach((w, i) => expect(w).toBeCloseTo(expected[i]!, 4));
    expect(r.loss).toHaveLength(2);
    expect(r.loss[1]!).toBeLessThan(r.loss[0]!);
  });

  it('counts with plain SQL over a view named labels (no DuckDB-only syntax), as Spark SQL runs it', () => {
    const sql = readFileSync(join(__dirname, '..', 'sql', 'counts.sql'), 'utf8').replace(/--.*$/gm, '');
    expect(sql).toMatch(/FROM labels;\s*$/);
    expect(sql).not.toMatch(/read_parquet|unnest|list_|::|range\(|hash\(/i);
  });
});
