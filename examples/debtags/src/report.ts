import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vega from 'vega';
import * as vl from 'vega-lite';
import type { FBetaScores } from '@tfjs-imbalance/fbeta-metric';
import type { RunResult } from './experiment.js';

/** One row of `results.json`'s `schemes`. */
export interface SchemeRow {
  readonly name: string;
  readonly thresholds: '0.5' | 'tuned';
  readonly microF: number;
  readonly macroF: number;
  readonly precision: number;
  readonly recall: number;
  readonly perClass: { label: string; support: number; f: number; precision: number; recall: number }[];
}

/** The schema of `results.json`. */
export interface Results {
  readonly backend: string;
  readonly dataset: {
    readonly source: string;
    readonly rows: number;
    readonly splits: { train: number; val: number; test: number };
    readonly classes: number;
    /** Per class: its label and its support in the training and test splits, most frequent first. */
    readonly support: { label: string; train: number; test: number }[];
  };
  readonly settings: Record<string, unknown>;
  /** ENS β chosen on validation: the validation F-beta of every candidate. */
  readonly ensSelection: { beta: number; valF: number }[];
  readonly runs: { name: string; epochsRun: number; bestEpoch: number; valF: number; seconds: number }[];
  readonly schemes: SchemeRow[];
  readonly verdict: string;
  readonly seconds: number;
}

/** The two rows (0.5 and tuned thresholds) of one run. */
export function schemeRows(run: RunResult, labels: readonly string[]): SchemeRow[] {
  const row = (s: FBetaScores, thresholds: '0.5' | 'tuned'): SchemeRow => ({
    name: run.name,
    thresholds,
    microF: s.micro.f,
    macroF: s.macro.f,
    precision: s.micro.precision,
    recall: s.micro.recall,
    perClass: labels.map((label, i) => ({ label, support: s.support[i]!, f: s.f[i]!, precision: s.precision[i]!, recall: s.recall[i]! })),
  });
  return [row(run.test, '0.5'), row(run.testTuned, 'tuned')];
}

/** % change from b to a; from 0 to more than 0 is +Infinity (clipped on the chart), 0 to 0 is no change. */
const pct = (a: number, b: number) => (b === 0 ? (a === 0 ? 0 : Infinity) : ((a - b) / b) * 100);
const f3 = (x: number) => x.toFixed(3);
const signed = (x: number) => `${x >= 0 ? '+' : '−'}${Math.abs(x).toFixed(3)}`;

/**
 * One plain sentence (per threshold setting) on whether re-weighting helped,
 * whatever the numbers say: the best re-weighted scheme against plain, on
 * micro and macro F-beta, and the classes it helped and hurt.
 */
export function verdict(rows: readonly SchemeRow[], beta: number): string {
  const parts: string[] = [];
  for (const th of ['0.5', 'tuned'] as const) {
    const plain = rows.find((r) => r.thresholds === th && r.name === 'none');
    const others = rows.filter((r) => r.thresholds === th && r.name !== 'none');
    if (!plain || others.length === 0) continue;
    const best = others.reduce((a, b) => (b.macroF > a.macroF ? b : a));
    const dMacro = best.macroF - plain.macroF;
    const dMicro = best.microF - plain.microF;
    const helped = best.perClass.filter((c, i) => c.f - plain.perClass[i]!.f > 0.01);
    const hurt = best.perClass.filter((c, i) => plain.perClass[i]!.f - c.f > 0.01);
    const sayClasses = (cs: typeof helped) =>
      cs.length === 0 ? 'none' : cs.sort((a, b) => a.support - b.support).map((c) => `${c.label} (${c.support})`).join(', ');
    const overall =
      dMacro > 0.005 && dMicro >= -0.005
        ? 'helped'
        : dMacro > 0.005
          ? 'helped macro but hurt micro'
          : dMicro > 0.005
            ? 'helped micro but not macro'
            : 'did not help';
    parts.push(
      `With ${th === '0.5' ? 'the default 0.5 thresholds' : 'per-class thresholds tuned on validation'}, re-weighting ${overall}: ` +
        `the best re-weighted run (${best.name}) has macro F${beta} ${f3(best.macroF)} vs ${f3(plain.macroF)} plain (${signed(dMacro)}) ` +
        `and micro F${beta} ${f3(best.microF)} vs ${f3(plain.microF)} (${signed(dMicro)}); ` +
        `it helped ${helped.length} of ${best.perClass.length} classes by more than 0.01 [${sayClasses(helped)}] ` +
        `and hurt ${hurt.length} [${sayClasses(hurt)}] (test support in brackets).`,
    );
  }
  return parts.join(' ');
}

/** The reference chart: % change in F-beta, precision and recall vs plain, per class sorted by support, one panel per scheme. */
export async function changeChartSvg(rows: readonly SchemeRow[], th: '0.5' | 'tuned', beta: number): Promise<string> {
  const plain = rows.find((r) => r.name === 'none' && r.thresholds === th);
  if (!plain) return '';
  const order = [...plain.perClass].sort((a, b) => b.support - a.support).map((c) => c.label);
  const values = rows
    .filter((r) => r.thresholds === th && r.name !== 'none')
    .flatMap((r) =>
      r.perClass.flatMap((c, i) => {
        const p = plain.perClass[i]!;
        return [
          { scheme: r.name, label: c.label, metric: `F${beta}`, change: pct(c.f, p.f) },
          { scheme: r.name, label: c.label, metric: 'precision', change: pct(c.precision, p.precision) },
          { scheme: r.name, label: c.label, metric: 'recall', change: pct(c.recall, p.recall) },
        ];
      }),
    )
    .map((v) => ({ ...v, change: Math.max(-100, Math.min(300, v.change)) }));
  const spec: vl.TopLevelSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: {
      text: `% change vs plain training, per class (most frequent first), ${th === '0.5' ? 'thresholds 0.5' : 'tuned thresholds'}`,
      subtitle: 'Bars are clipped to [−100 %, +300 %]; +300 % also marks a class that plain training never predicted correctly (0 → more).',
    },
    data: { values },
    facet: { row: { field: 'scheme', type: 'nominal', title: null } },
    spec: {
      width: 900,
      height: 160,
      mark: { type: 'bar' },
      encoding: {
        x: { field: 'label', type: 'nominal', sort: order, scale: { domain: order }, title: null, axis: { labelAngle: -50 } },
        xOffset: { field: 'metric', type: 'nominal' },
        y: { field: 'change', type: 'quantitative', title: '% change', scale: { domain: [-100, 300] } },
        color: { field: 'metric', type: 'nominal', title: null },
      },
    },
    resolve: { scale: { x: 'shared' } },
  };
  const view = new vega.View(vega.parse(vl.compile(spec).spec), { renderer: 'none' });
  const svg = await view.toSVG();
  view.finalize();
  return svg;
}

function table(head: string[], rows: (string | number)[][]): string {
  return [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
}

/** The markdown report: settings, ENS β selection, overall table, per-class table, verdict. */
export function markdown(r: Results, beta: number): string {
  const names = [...new Set(r.schemes.map((s) => s.name))];
  const overall = table(
    ['scheme', 'thresholds', `micro F${beta}`, `macro F${beta}`, 'micro precision', 'micro recall'],
    r.schemes.map((s) => [s.name, s.thresholds, f3(s.microF), f3(s.macroF), f3(s.precision), f3(s.recall)]),
  );
  const perClass = (th: '0.5' | 'tuned') => {
    const rows = r.schemes.filter((s) => s.thresholds === th);
    const first = rows[0];
    if (!first) return '';
    const order = first.perClass.map((_, i) => i).sort((a, b) => first.perClass[b]!.support - first.perClass[a]!.support);
    return table(
      ['class', 'test support', ...rows.map((s) => s.name)],
      order.map((i) => [first.perClass[i]!.label, first.perClass[i]!.support, ...rows.map((s) => f3(s.perClass[i]!.f))]),
    );
  };
  return [
    `# Class re-weighting on Debian debtags: F${beta}`,
    '',
    `**Verdict.** ${r.verdict}`,
    '',
    `Data: ${r.dataset.source}, ${r.dataset.rows} rows, ${r.dataset.classes} classes; split by source package into ` +
      `${r.dataset.splits.train} train / ${r.dataset.splits.val} validation / ${r.dataset.splits.test} test rows. ` +
      `Backend: ${r.backend}. Total time: ${r.seconds.toFixed(1)} s.`,
    '',
    `Schemes compared: ${names.join(', ')}. Every run starts from the same initial weights and early-stops on the exact validation F${beta}.`,
    '',
    '## Overall (test set)',
    '',
    overall,
    '',
    `## ENS β chosen on validation`,
    '',
    table(['β', `validation micro F${beta}`], r.ensSelection.map((e) => [e.beta, f3(e.valF)])),
    '',
    '## Runs',
    '',
    table(['run', 'epochs', 'best epoch', `val F${beta}`, 'seconds'], r.runs.map((x) => [x.name, x.epochsRun, x.bestEpoch + 1, f3(x.valF), x.seconds.toFixed(1)])),
    '',
    `## Per class, F${beta} at thresholds 0.5 (sorted by support)`,
    '',
    perClass('0.5'),
    '',
    `## Per class, F${beta} with tuned thresholds`,
    '',
    perClass('tuned'),
    '',
    `Settings: \`${JSON.stringify(r.settings)}\``,
    '',
  ].join('\n');
}

/** Writes results.json, report.md and report.html; returns their paths. */
export async function writeReports(out: string, r: Results, beta: number): Promise<{ json: string; md: string; html: string; svg: string }> {
  mkdirSync(out, { recursive: true });
  const paths = { json: join(out, 'results.json'), md: join(out, 'report.md'), html: join(out, 'report.html'), svg: join(out, 'change-vs-plain.svg') };
  writeFileSync(paths.json, `${JSON.stringify(r, null, 2)}\n`);
  const md = markdown(r, beta);
  writeFileSync(paths.md, md);
  const charts = [await changeChartSvg(r.schemes, '0.5', beta), await changeChartSvg(r.schemes, 'tuned', beta)];
  writeFileSync(paths.svg, charts[0]!);
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  writeFileSync(
    paths.html,
    `<!doctype html><html><head><meta charset="utf-8"><title>debtags F${beta} report</title>` +
      '<style>body{font-family:sans-serif;max-width:1100px;margin:2em auto}pre{white-space:pre-wrap}</style></head><body>' +
      `<h1>Class re-weighting on Debian debtags</h1><p><b>Verdict.</b> ${esc(r.verdict)}</p>` +
      `${charts.join('\n')}<pre>${esc(md)}</pre></body></html>\n`,
  );
  return paths;
}
