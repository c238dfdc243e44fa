#!/usr/bin/env node
/**
 * The segmentation example: synthetic images with a common, an uncommon and
 * a rare class per pixel, plain training against the library's re-weighting
 * (and the focal loss), a selection on validation images, and test F0.5 per
 * class. `npm run segmentation` at the repo root runs the default;
 * `--help` lists the options.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { describeBackend, selectBackend } from '@tfjs-imbalance/backend';
import { reportMarkdown } from './report.js';
import { DEFAULT_SETTINGS, QUICK_SETTINGS, runExperiment } from './summary.js';

const HELP = `Usage: npm run segmentation -- [options]

  --quick        a small setting (48 / 32 / 48 images, 4 epochs, one seed by default), a few seconds
  --seed LIST    data and training seeds, comma-separated (default: 1,2,3; with --quick: 1)
  --out DIR      report folder (default: reports/segmentation, reports/segmentation-quick with --quick)
  --help`;

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { quick: { type: 'boolean', default: false }, seed: { type: 'string' }, out: { type: 'string' }, help: { type: 'boolean', default: false } }, strict: true });
  if (values.help) return void console.log(HELP);
  const seeds = (values.seed ?? (values.quick ? '1' : '1,2,3')).split(',').map((v) => Number(v.trim()));
  if (seeds.length === 0 || seeds.some((v) => !Number.isInteger(v))) throw new Error(`--seed: expected whole numbers separated by commas, got "${values.seed}".`);
  const t0 = performance.now();
  const backend = await selectBackend();
  console.log(describeBackend(backend));
  const settings = values.quick ? QUICK_SETTINGS : DEFAULT_SETTINGS;
  const result = await runExperiment(seeds, settings, (seed, run) => {
    const v = run.validation;
    const gain = run.gain === null ? '' : `, macro gain ${run.gain.at05.macro.estimate >= 0 ? '+' : ''}${run.gain.at05.macro.estimate.toFixed(3)} / ${run.gain.tuned.macro.estimate >= 0 ? '+' : ''}${run.gain.tuned.macro.estimate.toFixed(3)}`;
    console.log(
      `seed ${seed} ${run.name.padEnd(10)} ${run.seconds.toFixed(1).padStart(5)} s  loss ${run.loss[0]!.toFixed(4)} → ${run.loss.at(-1)!.toFixed(4)}  ` +
        `validation micro / macro F${settings.beta} at 0.5 ${v.at05.micro.toFixed(3)} / ${v.at05.macro.toFixed(3)}, tuned ${v.tuned.micro.toFixed(3)} / ${v.tuned.macro.toFixed(3)}${gain}`,
    );
  });
  const seconds = (performance.now() - t0) / 1000;
  const out = resolve(values.out ?? (values.quick ? 'reports/segmentation-quick' : 'reports/segmentation'));
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'results.json'), JSON.stringify({ backend: backend.name, seconds, quick: values.quick, ...result }, null, 1));
  writeFileSync(join(out, 'report.md'), reportMarkdown(result, { backend: backend.name, seconds }));
  const pad = (v: string | number, n: number) => String(v).padEnd(n);
  console.log(`\ntest, mean over seeds ${seeds.join(', ')}:\n${pad('run', 18)}${pad('micro@0.5', 11)}${pad('macro@0.5', 11)}${pad('micro tuned', 13)}macro tuned`);
  for (const m of result.means) console.log(`${pad(m.name, 18)}${pad(m.mean.at05.micro.toFixed(3), 11)}${pad(m.mean.at05.macro.toFixed(3), 11)}${pad(m.mean.tuned.micro.toFixed(3), 13)}${m.mean.tuned.macro.toFixed(3)}`);
  console.log(`\nselected on validation: ${result.seeds.map((s) => `seed ${s.seed}: ${s.selected.at05} (0.5), ${s.selected.tuned} (tuned)`).join('; ')}`);
  console.log(`\ntime: ${seconds.toFixed(1)} s on ${backend.name}\nreports:\n  ${join(out, 'results.json')}\n  ${join(out, 'report.md')}`);
}

main().catch((e: unknown) => {
  console.error(typeof (e as { code?: unknown })?.code === 'string' && String((e as { code: string }).code).startsWith('ERR_PARSE_ARGS_') ? `error: ${(e as Error).message}` : e);
  process.exit(1);
});
