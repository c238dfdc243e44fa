import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { parse } from 'csv-parse/sync';

/** One labelled example: its text fields, its labels and the group it must not be split from. */
export interface Example {
  readonly text: readonly string[];
  readonly labels: readonly string[];
  readonly group: string;
}

/** How to read a table of examples. */
export interface TableSpec {
  /** The columns whose text is the input. */
  readonly textColumns: readonly string[];
  /** The column holding the labels, separated by `labelSeparator`. */
  readonly labelColumn: string;
  /** Rows with the same value here stay in the same split. Defaults to none (each row its own group). */
  readonly groupColumn?: string;
  /** Separates labels within a cell. Defaults to `','`. */
  readonly labelSeparator?: string;
  /** The field delimiter. Defaults to tab for `.tsv`/`.tsv.gz`, else comma. */
  readonly delimiter?: string;
}

/** A malformed input file: the message names the file and line. */
export class DataError extends Error {
  override readonly name = 'DataError';
}

function readRecords(file: string, spec: Pick<TableSpec, 'delimiter'>, toLine?: number): string[][] {
  const raw = readFileSync(file);
  const text = (file.endsWith('.gz') ? gunzipSync(raw) : raw).toString('utf8');
  const tsv = /\.tsv(\.gz)?$/.test(file);
  const delimiter = spec.delimiter ?? (tsv ? '\t' : ',');
  try {
    return parse(text, {
      delimiter,
      quote: tsv ? false : '"',
      relax_column_count: false,
      skip_empty_lines: true,
      ...(toLine === undefined ? {} : { to_line: toLine }),
    }) as string[][];
  } catch (e) {
    const line = (e as { lines?: number }).lines;
    throw new DataError(`${file}${line ? `:${line}` : ''}: ${(e as Error).message}. Every row needs the header's number of fields.`);
  }
}

/** The column names of a TSV or CSV file's header row. */
export function readHeader(file: string, delimiter?: string): string[] {
  const [header] = readRecords(file, delimiter === undefined ? {} : { delimiter }, 1);
  if (header === undefined) throw new DataError(`${file}: the file is empty; it needs a header row and data rows.`);
  return header;
}

/**
 * Reads a TSV or CSV file (optionally gzipped) with a header row into
 * examples. A malformed row or a missing column stops with the line number.
 */
export function loadTable(file: string, spec: TableSpec): Example[] {
  const [header, ...rows] = readRecords(file, spec);
  if (header === undefined) throw new DataError(`${file}: the file is empty; it needs a header row and data rows.`);
  const index = (name: string, what: string) => {
    const i = header.indexOf(name);
    if (i < 0) throw new DataError(`${file}:1: no ${what} column "${name}"; the columns are: ${header.join(', ')}.`);
    return i;
  };
  const textIdx = spec.textColumns.map((c) => index(c, 'text'));
  const labelIdx = index(spec.labelColumn, 'label');
  const groupIdx = spec.groupColumn === undefined ? -1 : index(spec.groupColumn, 'group');
  const sep = spec.labelSeparator ?? ',';
  return rows.map((r, k) => {
    const line = k + 2;
    const labelCell = r[labelIdx]!;
    const labels = labelCell.split(sep).map((l) => l.trim()).filter((l) => l.length > 0);
    if (groupIdx >= 0 && r[groupIdx]!.trim() === '') {
      throw new DataError(`${file}:${line}: the group column "${spec.groupColumn}" is empty.`);
    }
    return { text: textIdx.map((i) => r[i]!), labels, group: groupIdx >= 0 ? r[groupIdx]! : `#${line}` };
  });
}

/**
 * The `k` most frequent labels, most frequent first (ties by name), leaving
 * out labels that match `exclude` (debtags marks unreviewed facets `*::TODO`).
 */
export function selectLabels(examples: readonly Example[], k: number, exclude: RegExp | undefined = /::TODO$/): string[] {
  const counts = new Map<string, number>();
  for (const e of examples) for (const l of e.labels) if (!exclude?.test(l)) counts.set(l, (counts.get(l) ?? 0) + 1);
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, k)
    .map(([l]) => l);
}

/** 32-bit FNV-1a: a stable hash, the same on every machine. */
export function fnv1a(s: string, seed = 0x811c9dc5): number {
  let h = seed >>> 0;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** Which split a row belongs to. */
export type Split = 'train' | 'val' | 'test';

/**
 * Assigns every group to train, validation or test by a seeded hash of the
 * group name, so a group never spans two splits and the split is the same on
 * every run and machine.
 */
export function splitByGroup(groups: readonly string[], seed: number, fractions = { train: 0.7, val: 0.15 }): Split[] {
  return groups.map((g) => {
    const u = fnv1a(`${seed}:${g}`) / 2 ** 32;
    return u < fractions.train ? 'train' : u < fractions.train + fractions.val ? 'val' : 'test';
  });
}

/** A seeded PRNG (mulberry32): the same sequence on every machine. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A seeded Fisher–Yates shuffle (a new array). */
export function seededShuffle<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  const rand = mulberry32(seed);
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}
