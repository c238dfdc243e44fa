/** The page's charts: vega-lite specs of what the page computed, rendered as SVG by vega-embed. */
import embed, { type VisualizationSpec } from 'vega-embed';
import type { LabResult } from '../shared/protocol.js';

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';

async function draw(target: HTMLElement, spec: Record<string, unknown>): Promise<void> {
  const result = await embed(target, { $schema: SCHEMA, ...spec } as VisualizationSpec, { renderer: 'svg', actions: false });
  // The SVG is the chart's accessible object: vega names it from the spec's description.
  const svg = target.querySelector('svg');
  svg?.setAttribute('role', 'img');
  svg?.setAttribute('aria-label', String(spec['description']));
  void result;
}

/** The plot's width: the figure's, less room for the axis title and a legend. */
const width = (target: HTMLElement) => Math.max(320, Math.min(1000, (target.parentElement?.clientWidth ?? 800) - 200));

/** Rows per label, most frequent first, on a log scale: the long tail at a glance. One bar per label. */
export async function labelCountChart(target: HTMLElement, counts: readonly [string, number][]): Promise<void> {
  const many = counts.length > 40;
  await draw(target, {
    description: `Rows per label for ${counts.length} labels, most frequent first, on a log scale: from ${counts[0]![1]} rows down to ${counts.at(-1)![1]}.`,
    width: width(target),
    height: 220,
    data: { values: counts.map(([label, rows], k) => ({ label, rows, rank: k + 1 })) },
    mark: { type: 'bar', tooltip: true, color: '#0b57d0' },
    encoding: {
      x: { field: 'label', type: 'nominal', sort: null, scale: { paddingInner: many ? 0 : 0.1 }, axis: many ? { labels: false, ticks: false, title: `${counts.length} labels, most frequent first` } : { labelAngle: -40, title: null } },
      // Bars rise from ½ row, so a label on one row still shows (a log scale has no 0).
      y: { field: 'rows', type: 'quantitative', scale: { type: 'log', domainMin: 0.5, nice: false }, title: 'rows (log scale)' },
      y2: { datum: 0.5 },
      tooltip: [{ field: 'label' }, { field: 'rows' }, { field: 'rank' }],
    },
  });
}

/** Each run's validation micro against macro F0.5, the front joined by a line, the selected run marked. */
export async function frontChart(target: HTMLElement, r: LabResult): Promise<void> {
  const values = r.runs.map((run) => ({
    run: run.name,
    micro: run.validation.micro,
    macro: run.validation.macro,
    front: r.front.includes(run.name),
    status: run.name === r.selected ? 'selected' : run.stop.kind === 'pruned' ? 'pruned (scored where it stopped)' : 'trained to its end',
  }));
  const x = { field: 'micro', type: 'quantitative', scale: { zero: false, padding: 20 }, axis: { tickCount: 6 }, title: 'validation micro F0.5' };
  const y = { field: 'macro', type: 'quantitative', scale: { zero: false, padding: 20 }, title: 'validation macro F0.5' };
  await draw(target, {
    description: `Validation micro against macro F0.5 of ${values.length} runs; the front: ${r.front.join(', ')}; selected: ${r.selected}.`,
    width: Math.min(560, width(target)),
    height: 300,
    data: { values },
    layer: [
      { transform: [{ filter: 'datum.front' }], mark: { type: 'line', color: '#888' }, encoding: { x, y, order: { field: 'micro' } } },
      { mark: { type: 'point', filled: true, size: 120, tooltip: true }, encoding: { x, y, shape: { field: 'status', title: null }, color: { field: 'status', title: null }, tooltip: [{ field: 'run' }, { field: 'micro', format: '.3f' }, { field: 'macro', format: '.3f' }, { field: 'status' }] } },
      { mark: { type: 'text', dx: 9, align: 'left', baseline: 'middle', fontSize: 12 }, encoding: { x, y, text: { field: 'run' } } },
    ],
  });
}

/**
 * One run's per-class change against plain training on the test rows: F0.5,
 * precision and recall, each at the run's own tuned thresholds, classes by
 * training support (most frequent left).
 */
export async function classChangeChart(target: HTMLElement, r: LabResult, runName: string): Promise<void> {
  const plain = r.runs[0]!;
  const run = r.runs.find((x) => x.name === runName)!;
  const metrics = [['F0.5', 'f'], ['precision', 'precision'], ['recall', 'recall']] as const;
  const values = r.classes.flatMap((label, c) =>
    metrics.map(([metric, key]) => ({ label, support: r.trainSupport[c], metric, change: run.test[key][c]! - plain.test[key][c]!, value: run.test[key][c], plain: plain.test[key][c] })),
  );
  await draw(target, {
    description: `Per class on the test rows: F0.5, precision and recall of ${runName} minus plain training's, for ${r.classes.length} classes sorted by training support.`,
    width: width(target),
    height: 260,
    data: { values },
    mark: { type: 'bar', tooltip: true },
    encoding: {
      x: { field: 'label', type: 'nominal', sort: { field: 'support', order: 'descending' }, axis: { labelAngle: -40, title: 'class (most training rows left)' } },
      xOffset: { field: 'metric', sort: metrics.map(([m]) => m) },
      y: { field: 'change', type: 'quantitative', title: `${runName} − plain (test)` },
      color: { field: 'metric', sort: metrics.map(([m]) => m), scale: { range: ['#0b57d0', '#e37400', '#188038'] }, title: null },
      tooltip: [{ field: 'label' }, { field: 'metric' }, { field: 'support', title: 'training rows' }, { field: 'plain', format: '.3f' }, { field: 'value', format: '.3f', title: runName }, { field: 'change', format: '+.3f' }],
    },
  });
}
