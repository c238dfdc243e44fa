/**
 * Step 1: a file from the picker, a drop, or the bundled sample → a table;
 * then the column choices, read back as a {@link ColumnSpec}.
 */
import { isNumericColumn, type ColumnSpec } from '../shared/spec.js';
import { checkSize, decodeUtf8, parseTable, type Table } from '../shared/table.js';
import { byId, el } from './dom.js';

/** A loaded file: its name, its text and its table. */
export interface Loaded {
  readonly name: string;
  readonly text: string;
  readonly table: Table;
  readonly bundled: boolean;
}

/** The bundled sample, served next to the page. */
export const SAMPLE = 'debtags-sample.tsv';

/** Decodes and parses bytes with the separator chosen on the page. */
function load(name: string, bytes: Uint8Array, bundled: boolean): Loaded {
  const text = decodeUtf8(name, bytes);
  return { name, text, table: parseTable(name, text, byId<HTMLSelectElement>('delimiter').value), bundled };
}

/**
 * Wires the picker, the drop zone, the sample button and the separator: each
 * hands a table to `onLoaded`, or an error to `onError`. `onStart` runs
 * first, so the page can clear what the last file showed.
 */
export function setupDataInputs(onStart: () => void, onLoaded: (l: Loaded) => void, onError: (e: unknown) => void): void {
  let last: { name: string; bytes: Uint8Array; bundled: boolean } | undefined;
  const accept = (name: string, bytes: Uint8Array, bundled: boolean) => {
    last = { name, bytes, bundled };
    onLoaded(load(name, bytes, bundled));
  };
  const fromFile = async (file: File) => {
    onStart();
    try {
      checkSize(file.name, file.size); // before reading: a huge file is refused without loading it
      accept(file.name, new Uint8Array(await file.arrayBuffer()), false);
    } catch (e) {
      onError(e);
    }
  };
  const input = byId<HTMLInputElement>('file');
  input.addEventListener('change', () => {
    const file = input.files?.[0];
    if (file) void fromFile(file);
  });
  const drop = byId('drop');
  drop.addEventListener('dragover', (e) => {
    e.preventDefault();
    drop.classList.add('over');
  });
  drop.addEventListener('dragleave', () => drop.classList.remove('over'));
  drop.addEventListener('drop', (e) => {
    e.preventDefault();
    drop.classList.remove('over');
    const file = e.dataTransfer?.files[0];
    if (file) void fromFile(file);
  });
  byId('sample').addEventListener('click', async () => {
    onStart();
    try {
      const response = await fetch(SAMPLE);
      if (!response.ok) throw new Error(`the sample could not be fetched (${response.status} ${response.statusText})`);
      accept(SAMPLE, new Uint8Array(await response.arrayBuffer()), true);
    } catch (e) {
      onError(e);
    }
  });
  byId('delimiter').addEventListener('change', () => {
    if (last === undefined) return;
    onStart();
    try {
      accept(last.name, last.bytes, last.bundled);
    } catch (e) {
      onError(e);
    }
  });
}

const options = (select: HTMLSelectElement, values: readonly string[], chosen: string, none?: string) => {
  select.replaceChildren(...(none === undefined ? [] : [el('option', { value: '' }, none)]), ...values.map((v) => el('option', { value: v }, v)));
  select.value = chosen;
};

const checkboxes = (box: HTMLElement, name: string, values: readonly string[], checked: readonly string[]) =>
  box.replaceChildren(
    ...values.map((v, k) => {
      const id = `${name}-${k}`;
      const input = el('input', { type: 'checkbox', id, value: v });
      input.checked = checked.includes(v);
      return el('span', {}, input, ' ', el('label', { for: id }, v));
    }),
  );

/** Shows the column choices, set to a spec. */
export function showColumns(table: Table, spec: ColumnSpec): void {
  options(byId('label-column'), table.header, spec.labelColumn);
  options(byId('group-column'), table.header, spec.groupColumn, '(none: each row alone)');
  byId<HTMLInputElement>('label-separator').value = spec.labelSeparator;
  byId<HTMLInputElement>('exclude-labels').value = spec.excludeLabels;
  checkboxes(byId('text-columns'), 'text', table.header, spec.textColumns);
  const numeric = table.header.filter((_, k) => isNumericColumn(table, k));
  checkboxes(byId('numeric-columns'), 'numeric', numeric, spec.numericColumns);
  if (numeric.length === 0) byId('numeric-columns').append(el('span', {}, 'No column of this file holds numbers only.'));
  byId('columns').hidden = false;
}

/** The spec the column choices say. */
export function readColumns(): ColumnSpec {
  const checked = (id: string) => [...byId(id).querySelectorAll<HTMLInputElement>('input:checked')].map((i) => i.value);
  return {
    labelColumn: byId<HTMLSelectElement>('label-column').value,
    labelSeparator: byId<HTMLInputElement>('label-separator').value,
    excludeLabels: byId<HTMLInputElement>('exclude-labels').value,
    groupColumn: byId<HTMLSelectElement>('group-column').value,
    textColumns: checked('text-columns'),
    numericColumns: checked('numeric-columns'),
  };
}

/** Calls `onChange` whenever a column choice changes. */
export function onColumnsChange(onChange: () => void): void {
  byId('columns').addEventListener('change', onChange);
  for (const id of ['label-separator', 'exclude-labels']) byId(id).addEventListener('input', onChange);
}
