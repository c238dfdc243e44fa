/**
 * Reading a user's table: bytes → UTF-8 text → header and rows, with a
 * message a person can act on for each way a file can be wrong (empty, too
 * large, not UTF-8, the wrong field separator, a ragged row, an unclosed
 * quote). Runs in the page and, through the kit, in Node.
 */

/** A problem with the user's file or choices, in words meant for the page (never a stack trace). */
export class LabError extends Error {
  override readonly name = 'LabError';
}

/** The largest file the lab reads: it featurises and trains in the tab's memory. */
export const MAX_BYTES = 8 * 1024 * 1024;

/** The field separators the page offers. */
export const DELIMITERS: Readonly<Record<string, string>> = { ',': 'comma', '\t': 'tab', ';': 'semicolon', '|': 'pipe' };

/** A parsed table. */
export interface Table {
  readonly header: string[];
  readonly rows: string[][];
  /** The field separator used. */
  readonly delimiter: string;
  /** The physical line (1-based) each row starts on, for messages. */
  readonly lines: number[];
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
/** A cell or line quoted for a message: cut at `n` characters, tabs shown as ⇥. */
const quoteOf = (s: string, n = 60) => `“${(s.length > n ? `${s.slice(0, n)}…` : s).replaceAll('\t', ' ⇥ ')}”`;
const nameOf = (d: string) => DELIMITERS[d] ?? `“${d}”`;

/** Refuses a file by its size alone, before reading it. */
export function checkSize(name: string, bytes: number): void {
  if (bytes === 0) throw new LabError(`“${name}” is empty: the lab needs a header row and data rows.`);
  if (bytes > MAX_BYTES) {
    throw new LabError(
      `“${name}” is ${mb(bytes)}; the lab reads files up to ${mb(MAX_BYTES)}, since it featurises and trains in this tab's memory. ` +
        'Take a sample of its rows (for example `head -n 20000 big.csv > sample.csv`) and load that.',
    );
  }
}

/** Decodes a file's bytes as UTF-8, refusing anything else with the line of the first bad byte. */
export function decodeUtf8(name: string, bytes: Uint8Array): string {
  checkSize(name, bytes.length);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    const loose = new TextDecoder('utf-8').decode(bytes);
    const at = loose.indexOf('\uFFFD');
    const line = loose.slice(0, Math.max(0, at)).split('\n').length;
    throw new LabError(
      `“${name}” is not UTF-8 text: line ${line} has a byte sequence UTF-8 does not allow (a file saved as Latin-1 or Windows-1252 looks like this). ` +
        'Save it as UTF-8 (a spreadsheet\'s “CSV UTF-8”), or convert it: `iconv -f latin1 -t utf-8 in.csv > out.csv`.',
    );
  }
  if (text.includes('\u0000')) throw new LabError(`“${name}” holds NUL bytes: it looks like a binary file, not a CSV or TSV table.`);
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** The separator that splits a header line into the most fields (a tab for `.tsv` files on a tie). */
export function guessDelimiter(text: string, name = ''): string {
  const first = text.slice(0, text.search(/\r?\n|$/));
  const counts = Object.keys(DELIMITERS).map((d) => [d, first.split(d).length - 1] as const);
  const best = counts.reduce((a, b) => (b[1] > a[1] ? b : a));
  if (best[1] === 0) return /\.tsv$/i.test(name) ? '\t' : ',';
  return /\.tsv$/i.test(name) && counts.find(([d]) => d === '\t')![1] === best[1] ? '\t' : best[0];
}

/**
 * Splits text into records. Tab-separated text has no quoting (as the debtags
 * demo reads its TSV); other separators follow RFC 4180: a field in double
 * quotes may hold the separator, line breaks and doubled quotes. Empty lines
 * are skipped.
 */
function records(text: string, delimiter: string, name: string): { rows: string[][]; lines: number[] } {
  const rows: string[][] = [];
  const lines: number[] = [];
  const quoting = delimiter !== '\t';
  const d = delimiter.charCodeAt(0);
  let line = 1;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const startLine = line;
    const row: string[] = [];
    let field = '';
    let fieldStart = i;
    let quoted = false;
    for (;;) {
      const c = i < n ? text.charCodeAt(i) : -1;
      if (quoting && c === 34 && i === fieldStart && !quoted) {
        quoted = true;
        i++;
        let j = i;
        for (;;) {
          const q = text.indexOf('"', j);
          if (q < 0) throw new LabError(`“${name}”, line ${startLine}: a field opens a double quote that is never closed. Close it, or double a quote inside a field ("").`);
          if (text.charCodeAt(q + 1) === 34) {
            j = q + 2;
            continue;
          }
          const chunk = text.slice(i, q);
          for (let k = chunk.indexOf('\n'); k >= 0; k = chunk.indexOf('\n', k + 1)) line++;
          field = chunk.replaceAll('""', '"');
          i = q + 1;
          break;
        }
        continue;
      }
      if (c === d || c === 10 || c === 13 || c === -1) {
        if (!quoted) field = text.slice(fieldStart, i);
        row.push(field);
        field = '';
        quoted = false;
        if (c === d) {
          i++;
          fieldStart = i;
          continue;
        }
        if (c === 13 && text.charCodeAt(i + 1) === 10) i++;
        if (c !== -1) {
          i++;
          line++;
        }
        break;
      }
      if (quoted) throw new LabError(`“${name}”, line ${line}: text follows a closing double quote; quote the whole field, and double the quotes inside it ("").`);
      i++;
    }
    if (!(row.length === 1 && row[0] === '')) {
      rows.push(row);
      lines.push(startLine);
    }
  }
  return { rows, lines };
}

/**
 * Parses a CSV or TSV table with a header row. `delimiter: 'auto'` takes the
 * separator that splits the header line into the most fields.
 */
export function parseTable(name: string, text: string, delimiter: string): Table {
  if (text.trim() === '') throw new LabError(`“${name}” is empty (only blank lines): the lab needs a header row and data rows.`);
  const auto = delimiter === 'auto';
  const sep = auto ? guessDelimiter(text, name) : delimiter;
  const { rows: all, lines: allLines } = records(text, sep, name);
  const header = all[0]!.map((h) => h.trim());
  if (header.length < 2) {
    const guess = guessDelimiter(text, name);
    const hint =
      guess !== sep && text.slice(0, text.search(/\r?\n|$/)).includes(guess)
        ? `It looks ${nameOf(guess)}-separated: choose “${DELIMITERS[guess]}” as the field separator.`
        : 'The lab needs a label column and at least one feature column: a table with two or more columns.';
    throw new LabError(`With the ${nameOf(sep)} as field separator, the header of “${name}” is a single column (${quoteOf(header[0] ?? '')}). ${hint}`);
  }
  header.forEach((h, k) => {
    if (h === '') throw new LabError(`“${name}”: column ${k + 1} of the header has no name; every column needs one.`);
    if (header.indexOf(h) !== k) throw new LabError(`“${name}”: the header names column “${h}” twice; column names must be unique.`);
  });
  const rows = all.slice(1);
  const lines = allLines.slice(1);
  if (rows.length === 0) throw new LabError(`“${name}” has a header row but no data rows.`);
  rows.forEach((r, k) => {
    if (r.length !== header.length) {
      const hint = auto ? '' : ` Is the field separator right? It is set to the ${nameOf(sep)}.`;
      const quoting = sep === '\t' ? '' : ` A field that contains the separator must be in double quotes.`;
      throw new LabError(`“${name}”, line ${lines[k]}: ${r.length} fields where the header has ${header.length}.${hint}${quoting}`);
    }
  });
  return { header, rows, delimiter: sep, lines };
}
