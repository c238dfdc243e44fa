/**
 * The lab page: data → columns and the label-count chart → the search in a
 * worker → the runs, the charts and the verdict → the zip to take home.
 * `document.body.dataset.state` says where it is (idle, reading, loaded,
 * running, rendering, done, cancelled, error), for people's tools and the CI test.
 */
import type { LabResult } from '../shared/protocol.js';
import { checkSpec, guessSpec, labelCounts, separatorHint, type ColumnSpec } from '../shared/spec.js';
import { DELIMITERS } from '../shared/table.js';
import { classChangeChart, frontChart, labelCountChart } from './charts.js';
import { setupDataInputs, onColumnsChange, readColumns, showColumns, type Loaded } from './data-step.js';
import { byId, el, messageOf } from './dom.js';
import { artifactFiles, offerDownload, type RunRecord } from './download.js';
import { comparableRuns, showPredictions, showRuns, showVerdict } from './results.js';
import { readSettings, setupPresets, SearchRun } from './search-step.js';

let loaded: Loaded | undefined;
let search: SearchRun | undefined;
let result: LabResult | undefined;
let chartTurn = 0;

const setState = (s: string) => (document.body.dataset['state'] = s);
const runButton = byId<HTMLButtonElement>('run');
const cancelButton = byId<HTMLButtonElement>('cancel');

function showError(where: 'data-error' | 'search-error', e: unknown): void {
  byId(where).textContent = messageOf(e);
  setState('error');
}

/** Re-reads the column choices: checks them, redraws the label counts, and allows a search when they can be learnt. */
async function columnsChanged(): Promise<void> {
  if (loaded === undefined) return;
  const turn = ++chartTurn;
  const spec: ColumnSpec = readColumns();
  byId('data-error').textContent = '';
  try {
    const labels = checkSpec(loaded.table, spec);
    const counts = labelCounts(labels);
    const perRow = labels.reduce((a, l) => a + l.length, 0) / labels.length;
    byId('data-summary').textContent = `${loaded.name}: ${loaded.table.rows.length.toLocaleString('en')} rows, ${loaded.table.header.length} columns (${DELIMITERS[loaded.table.delimiter] ?? loaded.table.delimiter}-separated); ${counts.length} labels, ${perRow.toFixed(2)} per row on average.`;
    const hint = separatorHint(counts, spec.labelSeparator);
    byId('label-hint').hidden = hint === undefined;
    byId('label-hint').textContent = hint ?? '';
    byId('label-caption').textContent = `Rows per label, most frequent first, log scale: ${counts.length} labels, from ${counts[0]![1]} rows down to ${counts.at(-1)![1]}; the median label is on ${counts[Math.floor(counts.length / 2)]![1]} rows. The search's classes are the most frequent labels of the training rows.`;
    byId('label-figure').hidden = false;
    runButton.disabled = search !== undefined;
    setState('loaded');
    await labelCountChart(byId('label-chart'), counts);
    if (turn === chartTurn) byId('label-chart').dataset['labels'] = String(counts.length);
  } catch (e) {
    byId('label-figure').hidden = true;
    runButton.disabled = true;
    showError('data-error', e);
  }
}

function clearResults(): void {
  result = undefined;
  byId('results').hidden = true;
  byId('take-home').hidden = true;
  byId('run-log').replaceChildren();
  byId('search-error').textContent = '';
}

setupDataInputs(
  () => {
    setState('reading');
    byId('data-error').textContent = '';
    byId('data-summary').textContent = 'Reading…';
  },
  (l) => {
    loaded = undefined;
    clearResults();
    byId('data-summary').textContent = '';
    byId('columns').hidden = true;
    byId('label-figure').hidden = true;
    let spec: ColumnSpec;
    try {
      spec = guessSpec(l.table, l.name);
    } catch (e) {
      runButton.disabled = true;
      showError('data-error', e);
      return;
    }
    loaded = l;
    showColumns(l.table, spec);
    void columnsChanged();
  },
  (e) => {
    loaded = undefined;
    runButton.disabled = true;
    byId('data-summary').textContent = '';
    byId('columns').hidden = true;
    byId('label-figure').hidden = true;
    showError('data-error', e);
  },
);
onColumnsChange(() => void columnsChanged());
setupPresets();

/** Lets the browser paint and handle input between the steps of drawing the results. */
const nextFrame = () => new Promise<void>((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));

async function showResult(r: LabResult, modelJson: string, weights: ArrayBuffer, record: RunRecord): Promise<void> {
  result = r;
  byId('results').hidden = false;
  showVerdict(r);
  showRuns(r);
  showPredictions(r, record.spec.textColumns.at(-1));
  const select = byId<HTMLSelectElement>('compare-run');
  select.replaceChildren(...comparableRuns(r).map((n) => el('option', { value: n }, n)));
  await nextFrame();
  await frontChart(byId('front-chart'), r);
  await nextFrame();
  await drawClassChart();
  await nextFrame();
  const files = await artifactFiles(r, modelJson, weights, record);
  await nextFrame();
  offerDownload(files);
  byId('take-home').hidden = false;
}

async function drawClassChart(): Promise<void> {
  if (result === undefined) return;
  const name = byId<HTMLSelectElement>('compare-run').value;
  const testRows = result.predictions.records.length;
  byId('class-caption').textContent = `Per class on the ${testRows} test rows: F0.5, precision and recall of ${name} minus plain training's, each run at its own tuned thresholds; classes sorted by training support, most frequent left.`;
  await classChangeChart(byId('class-chart'), result, name);
}
byId('compare-run').addEventListener('change', () => void drawClassChart().catch((e: unknown) => showError('search-error', e)));

runButton.addEventListener('click', () => {
  if (loaded === undefined || search !== undefined) return;
  clearResults();
  const record: RunRecord = { loaded, spec: readColumns(), settings: readSettings() };
  const { header, rows, lines, delimiter } = loaded.table;
  runButton.disabled = true;
  cancelButton.disabled = false;
  setState('running');
  const finish = () => {
    search = undefined;
    runButton.disabled = loaded === undefined;
    cancelButton.disabled = true;
  };
  search = new SearchRun(
    { type: 'run', header, rows, lines, delimiter, spec: record.spec, settings: record.settings, backend: byId<HTMLSelectElement>('backend').value as 'auto' },
    {
      done: (r, modelJson, weights) => {
        finish();
        setState('rendering');
        showResult(r, modelJson, weights, record)
          .then(() => setState('done'))
          .catch((e: unknown) => showError('search-error', e));
      },
      failed: (message) => {
        finish();
        showError('search-error', message);
      },
    },
  );
});

cancelButton.addEventListener('click', () => {
  search?.cancel();
  search = undefined;
  runButton.disabled = loaded === undefined;
  cancelButton.disabled = true;
  setState('cancelled');
  runButton.focus();
});

// Anything unforeseen still ends as a message on the page, not a silent console error.
window.addEventListener('error', (e) => showError(loaded === undefined ? 'data-error' : 'search-error', e.error ?? e.message));
window.addEventListener('unhandledrejection', (e) => showError(loaded === undefined ? 'data-error' : 'search-error', e.reason));
setState('idle');
