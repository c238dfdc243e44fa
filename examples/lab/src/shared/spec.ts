/**
 * Which columns are what: the user's choice (or the page's guess) of text,
 * numeric, label and group columns, the labels of each row, and the checks
 * that the label column can be learnt from.
 */
import { LabError, type Table } from './table.js';

/** How the table's columns are used. */
export interface ColumnSpec {
  /** Free-text columns: TF-IDF word uni- and bigrams, as the debtags demo. */
  readonly textColumns: readonly string[];
  /** Numeric columns: standardised on the training rows (an empty cell takes the training mean). */
  readonly numericColumns: readonly string[];
  /** The column of labels; a row may have several, separated by `labelSeparator`. */
  readonly labelColumn: string;
  /** Separates labels within a cell. An empty string: one label per row. */
  readonly labelSeparator: string;
  /** Rows with the same value here stay in one split; empty: each row alone. */
  readonly groupColumn: string;
  /** A regular expression: labels that match it are left out (the debtags sample leaves out `::TODO`); empty for none. */
  readonly excludeLabels: string;
}

/** A label must occur this often to be a class the search can tune a threshold for. */
export const MIN_LABEL_COUNT = 5;

const LABEL_NAMES = /^(labels?|tags?|classe?s?|categor(y|ies)|targets?|y|topics?)$/i;

/** Whether every non-empty cell of a column parses as a finite number (and at least one is not empty). */
export function isNumericColumn(table: Table, k: number): boolean {
  let seen = 0;
  for (const r of table.rows) {
    const v = r[k]!.trim();
    if (v === '') continue;
    if (!Number.isFinite(Number(v))) return false;
    seen++;
  }
  return seen > 0;
}

/** The labels of each row under a spec, with excluded labels dropped. */
export function labelsOfRows(table: Table, spec: Pick<ColumnSpec, 'labelColumn' | 'labelSeparator' | 'excludeLabels'>): string[][] {
  const k = table.header.indexOf(spec.labelColumn);
  if (k < 0) throw new LabError(`There is no label column “${spec.labelColumn}”; choose one of: ${table.header.join(', ')}.`);
  const exclude = excludePattern(spec.excludeLabels);
  return table.rows.map((r) => {
    const cell = r[k]!;
    const labels = spec.labelSeparator === '' ? [cell.trim()] : cell.split(spec.labelSeparator).map((l) => l.trim());
    return labels.filter((l) => l !== '' && !exclude?.test(l));
  });
}

function excludePattern(source: string): RegExp | undefined {
  if (source.trim() === '') return undefined;
  try {
    return new RegExp(source);
  } catch (e) {
    throw new LabError(`“Leave out labels matching” is not a valid regular expression (${(e as Error).message}).`);
  }
}

/** Each label with its number of rows, most frequent first (ties by name). */
export function labelCounts(labels: readonly (readonly string[])[]): [string, number][] {
  const counts = new Map<string, number>();
  for (const ls of labels) for (const l of new Set(ls)) counts.set(l, (counts.get(l) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
}

/** How repetitive a column's values are: distinct labels over rows, low for a label column. */
function distinctShare(table: Table, k: number, separator: string): number {
  const seen = new Set<string>();
  for (const r of table.rows) for (const l of separator === '' ? [r[k]!] : r[k]!.split(separator)) if (l.trim() !== '') seen.add(l.trim());
  return seen.size / table.rows.length;
}

/** The separator of multi-label cells: the first of `,` `|` `;` that some cells of the column contain, else none. */
export function guessLabelSeparator(table: Table, k: number): string {
  for (const s of [',', '|', ';']) if (table.rows.some((r) => r[k]!.includes(s))) return s;
  return '';
}

/**
 * The page's first guess: the label column is the one named like labels
 * (`tags`, `label`, …), else the last whose labels repeat across rows; a
 * `source` or `group` column groups; numeric columns are numeric features;
 * the other columns whose values are mostly distinct are text.
 */
export function guessSpec(table: Table, name: string): ColumnSpec {
  const h = table.header;
  const separators = h.map((_, k) => guessLabelSeparator(table, k));
  const numeric = h.map((_, k) => isNumericColumn(table, k));
  const repeats = (k: number) => distinctShare(table, k, separators[k]!) <= 0.5 && !(numeric[k] && distinctShare(table, k, '') > 0.05);
  const byName = h.findIndex((c, k) => LABEL_NAMES.test(c) && repeats(k));
  const label = byName >= 0 ? byName : h.map((_, k) => k).reverse().find(repeats);
  if (label === undefined) {
    const shares = h.map((c, k) => `${c}: ${Math.round(distinctShare(table, k, '') * table.rows.length)} distinct in ${table.rows.length} rows`).join('; ');
    throw new LabError(
      `No column of “${name}” looks like labels. A label column holds values that repeat across rows (such as “spam”, or “gui,x11” for several labels); ` +
        `here every column's values are mostly distinct (${shares}). Add a label column and load the file again.`,
    );
  }
  const group = h.findIndex((c, k) => k !== label && /^(source|group)$/i.test(c));
  const features = h.map((_, k) => k).filter((k) => k !== label && k !== group);
  return {
    labelColumn: h[label]!,
    labelSeparator: separators[label]!,
    groupColumn: group >= 0 ? h[group]! : '',
    numericColumns: features.filter((k) => numeric[k]).map((k) => h[k]!),
    textColumns: features.filter((k) => !numeric[k]).map((k) => h[k]!),
    excludeLabels: h[label] === 'tags' && table.rows.some((r) => r[label]!.includes('::TODO')) ? '::TODO$' : '',
  };
}

/**
 * Checks that a spec can be trained on: a feature column, a label column
 * that is not a feature, and at least two labels that occur at least
 * {@link MIN_LABEL_COUNT} times. Returns the rows' labels.
 */
export function checkSpec(table: Table, spec: ColumnSpec): string[][] {
  if (spec.textColumns.length + spec.numericColumns.length === 0) throw new LabError('Choose at least one text or numeric column as a feature.');
  if (spec.textColumns.includes(spec.labelColumn) || spec.numericColumns.includes(spec.labelColumn)) {
    throw new LabError(`“${spec.labelColumn}” is the label column; it cannot be a feature too.`);
  }
  for (const c of spec.numericColumns) {
    const k = table.header.indexOf(c);
    const bad = table.rows.findIndex((r) => r[k]!.trim() !== '' && !Number.isFinite(Number(r[k]!.trim())));
    if (bad >= 0) throw new LabError(`Column “${c}” is not numeric: line ${table.lines[bad]} has ${JSON.stringify(table.rows[bad]![k])}. Use it as a text column instead.`);
  }
  const labels = labelsOfRows(table, spec);
  const counts = labelCounts(labels);
  const usable = counts.filter(([, n]) => n >= MIN_LABEL_COUNT);
  const where = `The label column “${spec.labelColumn}”`;
  if (counts.length === 0) throw new LabError(`${where} is empty in every row: there is nothing to learn.`);
  if (counts.length === 1) {
    throw new LabError(`${where} has a single class (“${counts[0]![0]}”, in ${counts[0]![1]} of ${labels.length} rows). A classifier needs at least two classes; is this the right column${spec.labelSeparator === '' ? '' : ', and the right label separator'}?`);
  }
  if (usable.length < 2) {
    throw new LabError(
      `${where} has ${counts.length} distinct labels, but ${usable.length === 0 ? 'none occurs' : 'only one occurs'} at least ${MIN_LABEL_COUNT} times ` +
        `(the most frequent: ${counts.slice(0, 3).map(([l, n]) => `“${l}” ${n}`).join(', ')}). A classifier needs at least two classes with ${MIN_LABEL_COUNT} or more examples; is this the right column?`,
    );
  }
  return labels;
}

/** A hint when the label separator looks wrong: many labels that contain another usual separator. */
export function separatorHint(counts: readonly [string, number][], separator: string): string | undefined {
  for (const s of [',', '|', ';']) {
    if (s === separator) continue;
    const holding = counts.filter(([l]) => l.includes(s)).length;
    if (holding >= 3 && holding >= counts.length / 4) {
      return `${holding} of the ${counts.length} labels contain “${s}”: if a cell holds several labels separated by it, set the label separator to “${s}”.`;
    }
  }
  return undefined;
}
