/**
 * The report: the verdict in words and the tables, as Markdown (no file
 * access here; cli.ts writes it).
 */
import { CLASS_NAMES } from './generator.js';
import type { RunResult, SeedResult, TestScores } from './experiment.js';
import type { Interval } from './scoring.js';
import type { ExperimentResult } from './summary.js';

const f3 = (v: number) => v.toFixed(3);
const signed = (v: number) => `${v >= 0 ? '+' : '−'}${Math.abs(v).toFixed(3)}`;
const interval = (g: Interval) => `${signed(g.estimate)} [${signed(g.low)}, ${signed(g.high)}]`;
const table = (head: readonly string[], rows: readonly (readonly (string | number)[])[]) =>
  [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

/** Where two settings (0.5 and tuned) are reported side by side. */
const KINDS = [
  ['at05', 'threshold 0.5'],
  ['tuned', 'thresholds tuned on validation'],
] as const;

/**
 * The verdict, computed from the figures: what the rule selected on
 * validation, what that did on test, and how each treatment fared on test
 * against plain training, seed by seed.
 */
export function verdict(r: ExperimentResult): string[] {
  const lines: string[] = [];
  const beta = r.settings.beta;
  const seeds = r.seeds;
  const run = (s: SeedResult, name: string) => s.runs.find((x) => x.name === name)!;
  for (const [k, words] of KINDS) {
    const picks = seeds.map((s) => `${s.selected[k]} (seed ${s.seed})`).join(', ');
    const dMacro = seeds.map((s) => run(s, s.selected[k]).test[k].macro.f - s.runs[0]!.test[k].macro.f);
    const dMicro = seeds.map((s) => run(s, s.selected[k]).test[k].micro.f - s.runs[0]!.test[k].micro.f);
    lines.push(
      `With ${words}, the rule selected ${picks} on validation; on test the selection changes macro F${beta} by ${dMacro.map(signed).join(', ')} ` +
        `(mean ${signed(mean(dMacro))}) and micro F${beta} by ${dMicro.map(signed).join(', ')} (mean ${signed(mean(dMicro))}) against plain training.`,
    );
  }
  for (const name of seeds[0]!.runs.slice(1).map((x) => x.name)) {
    const parts = KINDS.map(([k, words]) => {
      const d = seeds.map((s) => run(s, name).test[k].macro.f - s.runs[0]!.test[k].macro.f);
      const dm = seeds.map((s) => run(s, name).test[k].micro.f - s.runs[0]!.test[k].micro.f);
      const beyond = seeds.filter((s) => run(s, name).standing[k] === 'beyond noise').length;
      return `${words}: test macro ${d.map(signed).join(', ')} (mean ${signed(mean(d))}), micro mean ${signed(mean(dm))}; its validation gain was beyond the noise and within the micro limit on ${beyond} of ${seeds.length} seeds`;
    });
    lines.push(`${name} against plain training, ${parts.join('; ')}.`);
  }
  return lines;
}

function scoreCells(t: TestScores): string[] {
  return [f3(t.micro.f), f3(t.macro.f)];
}

function seedSection(s: SeedResult, r: ExperimentResult): string {
  const beta = r.settings.beta;
  const split = (name: string, x: SeedResult['splits']['train']) => [
    name,
    x.images,
    x.counts.samples,
    x.counts.emptyRows,
    ...CLASS_NAMES.map((_, c) => `${x.counts.positives[c]} px in ${x.imagesWith[c]} images`),
  ];
  const validation = table(
    ['run', `val micro / macro F${beta} at 0.5`, 'macro gain over plain [95% interval]', 'standing', `val micro / macro F${beta} tuned (cross-fitted)`, 'macro gain over plain [95% interval]', 'standing'],
    s.runs.map((x) => [
      x.name,
      `${f3(x.validation.at05.micro)} / ${f3(x.validation.at05.macro)}`,
      x.gain === null ? '' : interval(x.gain.at05.macro),
      x.standing.at05,
      `${f3(x.validation.tuned.micro)} / ${f3(x.validation.tuned.macro)}`,
      x.gain === null ? '' : interval(x.gain.tuned.macro),
      x.standing.tuned,
    ]),
  );
  const test = table(
    ['run', `micro F${beta} at 0.5`, `macro F${beta} at 0.5`, `micro F${beta} tuned`, `macro F${beta} tuned`, 'macro AP', 'thresholds (tuned on validation)', 'training s'],
    s.runs.map((x) => [x.name, ...scoreCells(x.test.at05), ...scoreCells(x.test.tuned), f3(x.test.macroAP), x.thresholds.map((v) => v.toFixed(2)).join(' / '), x.seconds.toFixed(1)]),
  );
  const perClass = table(
    ['run', 'class', 'support (px)', 'P at 0.5', 'R at 0.5', `F${beta} at 0.5`, 'TP / FP / FN at 0.5', 'P tuned', 'R tuned', `F${beta} tuned`, 'TP / FP / FN tuned'],
    s.runs.flatMap((x: RunResult) =>
      CLASS_NAMES.map((name, c) => {
        const cells = (t: TestScores) => [f3(t.precision[c]!), f3(t.recall[c]!), f3(t.f[c]!), `${t.tp[c]} / ${t.fp[c]} / ${t.fn[c]}`];
        return [x.name, name, x.test.at05.support[c]!, ...cells(x.test.at05), ...cells(x.test.tuned)];
      }),
    ),
  );
  return [
    `## Seed ${s.seed}`,
    '',
    table(['split', 'images', 'pixels', 'background px', ...CLASS_NAMES], [split('train', s.splits.train), split('validation', s.splits.validation), split('test', s.splits.test)]),
    '',
    `Selected on validation: **${s.selected.at05}** (threshold 0.5), **${s.selected.tuned}** (tuned thresholds).`,
    '',
    '### Validation (what the selection reads)',
    '',
    validation,
    '',
    '### Test',
    '',
    test,
    '',
    '### Test, per class (pixels pooled over the test images)',
    '',
    perClass,
    '',
  ].join('\n');
}

/**
 * The whole report.
 *
 * @param r - The experiment's results.
 * @param meta - The backend and the elapsed time.
 * @returns Markdown.
 */
export function reportMarkdown(r: ExperimentResult, meta: { readonly backend: string; readonly seconds: number }): string {
  const s = r.settings;
  const beta = s.beta;
  const meanTable = table(
    ['run', `micro F${beta} at 0.5`, `macro F${beta} at 0.5`, `micro F${beta} tuned`, `macro F${beta} tuned`, ...CLASS_NAMES.map((c) => `${c} F at 0.5 / tuned`)],
    r.means.map((m) => [
      m.name,
      f3(m.mean.at05.micro),
      f3(m.mean.at05.macro),
      f3(m.mean.tuned.micro),
      f3(m.mean.tuned.macro),
      ...CLASS_NAMES.map((_, c) => `${f3(m.mean.perClass.at05[c]!)} / ${f3(m.mean.perClass.tuned[c]!)}`),
    ]),
  );
  const perSeed = table(
    ['run', ...r.seeds.map((x) => `seed ${x.seed}: macro at 0.5 / tuned`)],
    r.means.map((m) => [m.name, ...m.perSeed.map((p) => `${f3(p.at05.macro)} / ${f3(p.tuned.macro)}`)]),
  );
  return [
    '# Segmentation with rare classes: plain training against re-weighting per pixel',
    '',
    `Backend ${meta.backend}; ${meta.seconds.toFixed(1)} s. Seeds ${r.seeds.map((x) => x.seed).join(', ')}; per seed ${s.images.train} / ${s.images.validation} / ${s.images.test} ` +
      `train / validation / test images of ${s.spec.size} × ${s.spec.size} (noise ${s.spec.noise}, squares in ${s.spec.squareRate * 100}% and crosses in ${s.spec.crossRate * 100}% of images); ` +
      `${s.model.depth} conv 3 × 3 layers of ${s.model.filters} filters and a 1 × 1 head; Adam ${s.fit.learningRate}, ${s.fit.epochs} epochs, batches of ${s.fit.batchSize}. ` +
      `Selection on validation only: macro F${beta} gain over plain beyond the noise (paired bootstrap over validation images, ${s.resamples} resamples, ${Math.round(s.level * 100)}% interval above 0) ` +
      `and validation micro F${beta} at most ${s.maxMicroDrop} below plain's.`,
    '',
    '## Verdict',
    '',
    ...verdict(r).map((l) => `- ${l}`),
    '',
    `## Test, mean over ${r.seeds.length} seed${r.seeds.length === 1 ? '' : 's'}`,
    '',
    meanTable,
    '',
    perSeed,
    '',
    ...r.seeds.map((x) => seedSection(x, r)),
  ].join('\n');
}
