/** Step 3 as tables and words: the runs, the verdict, and the selected classifier on the first test rows. */
import type { LabResult, RunSummary } from '../shared/protocol.js';
import { byId, el, f3, signed } from './dom.js';

/** How many test rows the page shows (the download has them all). */
export const SHOWN_ROWS = 10;

/** Where a run stands, from what the search reported. */
export function standing(r: LabResult, run: RunSummary): string {
  if (run.name === r.selected) return 'selected';
  if (run.stop.kind === 'pruned') return `pruned at epoch ${run.stop.epoch}`;
  if (run.gain === undefined) return 'the reference';
  if (!run.eligible) return 'left out by the trade-off';
  if (run.gain.objective.high < 0) return 'below plain training';
  if (run.gain.objective.low <= 0) return 'gain within the noise';
  return 'a smaller gain';
}

const cell = (text: string, attrs: Record<string, string> = {}) => el('td', attrs, text);

/** The runs table: validation figures (what the search selects on), the gain and its interval, and the test figures. */
export function showRuns(r: LabResult): void {
  const level = r.settings.level === undefined ? '' : ` (${Math.round(r.settings.level * 100)}% interval)`;
  const heads = ['run', 'epochs (best)', 'stopped', 'validation micro F0.5', 'validation macro F0.5', 'bottom third', 'macro AP', `gain in macro F0.5${level}`, 'test micro F0.5', 'test macro F0.5', 'seconds', 'search'];
  const table = byId<HTMLTableElement>('runs');
  table.querySelector('thead')?.remove();
  table.querySelector('tbody')?.remove();
  table.append(el('thead', {}, el('tr', {}, ...heads.map((h) => el('th', { scope: 'col' }, h)))));
  const body = el('tbody');
  for (const run of r.runs) {
    const pruned = run.stop.kind === 'pruned';
    const v = (x: number) => (pruned ? `(${f3(x)})` : f3(x));
    const g = run.gain?.objective;
    const row = el(
      'tr',
      run.name === r.selected ? { class: 'selected' } : {},
      el('th', { scope: 'row' }, run.name),
      cell(`${run.epochs} (${run.bestEpoch + 1})`),
      cell(pruned ? `pruned at ${run.stop.epoch}` : run.stop.kind === 'early-stopping' ? 'early stopping' : 'all epochs'),
      cell(v(run.validation.micro)),
      cell(v(run.validation.macro)),
      cell(v(run.validation.bottomThird)),
      cell(v(run.validation.macroAP)),
      cell(g === undefined ? '—' : `${signed(g.estimate)} (${signed(g.low)} to ${signed(g.high)})`),
      cell(f3(run.test.micro)),
      cell(f3(run.test.macro)),
      cell(run.seconds.toFixed(1)),
      cell(standing(r, run), { class: 'text' }),
    );
    body.append(row);
  }
  table.append(body);
}

/** The verdict, the run's notes and the text table. */
export function showVerdict(r: LabResult): void {
  byId('verdict').textContent = r.verdict;
  byId('result-notes').textContent =
    `${r.runs.length} runs on ${r.backend}, seed ${r.seed}; budget: ${r.settings.budget}. Data: ${r.notes.join('; ')}. ` +
    `Featurised in ${r.seconds.prepare.toFixed(1)} s, searched in ${r.seconds.search.toFixed(1)} s (the runs cost ${r.costRatio.toFixed(1)}× plain training). ` +
    'Pruned runs are scored where they stopped, in parentheses.';
  byId('formatted').textContent = r.formatted;
}

/** The runs to compare with plain training per class; the selected one first unless it is plain training. */
export function comparableRuns(r: LabResult): string[] {
  const others = r.runs.slice(1).sort((a, b) => b.validation.macro - a.validation.macro).map((x) => x.name);
  return r.selected === r.runs[0]!.name ? others : [r.selected, ...others.filter((n) => n !== r.selected)];
}

/** The first test rows: the text, the true labels, the predicted labels, and the three highest probabilities. */
export function showPredictions(r: LabResult, textColumn: string | undefined): void {
  const p = r.predictions;
  const k = textColumn === undefined ? -1 : p.header.indexOf(textColumn);
  const table = byId<HTMLTableElement>('predictions');
  const heads = ['line', k >= 0 ? textColumn! : 'row', 'true labels', 'predicted labels', 'highest probabilities'];
  const rows = p.records.slice(0, SHOWN_ROWS).map((rec, n) => {
    const probs = p.probabilities[n]!;
    const top = r.classes.map((c, j) => [c, probs[j]!] as const).sort((a, b) => b[1] - a[1]).slice(0, 3);
    const text = k >= 0 ? rec[k]! : rec.join(', ');
    return el(
      'tr',
      { 'data-line': String(p.lines[n]) },
      el('th', { scope: 'row' }, String(p.lines[n])),
      cell(text.length > 70 ? `${text.slice(0, 70)}…` : text, { class: 'text' }),
      cell(p.trueLabels[n]!.join(', ') || '—', { class: 'text' }),
      cell(p.predicted[n]!.join(', ') || '—', { class: 'text' }),
      el('td', { class: 'text' }, ...top.flatMap(([c, v], j) => [j > 0 ? el('br') : '', el('span', { 'data-class': c, 'data-p': String(v) }, `${c} ${v.toFixed(4)}`)])),
    );
  });
  table.replaceChildren(
    el('caption', {}, `${Math.min(SHOWN_ROWS, p.records.length)} of the ${p.records.length} test rows (the download's predictions.json has them all, with every class's probability)`),
    el('thead', {}, el('tr', {}, ...heads.map((h) => el('th', { scope: 'col' }, h)))),
    el('tbody', {}, ...rows),
  );
}
