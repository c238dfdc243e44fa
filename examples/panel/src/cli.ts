#!/usr/bin/env node
/**
 * The panel of user-like problems: runs the search on each (or one) with the
 * library's defaults and scores its selection on test.
 * `npm run panel -- --help` lists the options.
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { describeBackend, selectBackend } from '@tfjs-imbalance/backend';
import { PROBLEMS, problemNamed } from './problems.js';
import { runProblem } from './run.js';

const HELP = `Usage: npm run panel -- [options]

  --problem LIST   problems to run, from ${PROBLEMS.map((p) => p.name).join(', ')} (default: all)
  --seed N         the search's seed (default: 1)
  --data-seed N    the data's seed (default: 1)
  --no-budget      train every candidate to its end (budget: false)
  --scale X        scale rows down, for a quick look (default: 1)
  --out FILE       write the results as JSON
  --help`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      problem: { type: 'string' },
      seed: { type: 'string', default: '1' },
      'data-seed': { type: 'string', default: '1' },
      'no-budget': { type: 'boolean', default: false },
      scale: { type: 'string', default: '1' },
      out: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (values.help) return void console.log(HELP);
  const names = values.problem?.split(',') ?? PROBLEMS.map((p) => p.name);
  const problems = names.map(problemNamed);
  console.log(describeBackend(await selectBackend()));
  const results = [];
  for (const p of problems) {
    console.log(`\n== ${p.name}: ${p.about}`);
    const r = await runProblem(p, { dataSeed: Number(values['data-seed']), seed: Number(values.seed), scale: Number(values.scale), ...(values['no-budget'] ? { budget: false as const } : {}) });
    console.log(r.table);
    const f = (t: { micro: number; macro: number; bottomThird: number }) => `${t.micro.toFixed(3)} / ${t.macro.toFixed(3)} / ${t.bottomThird.toFixed(3)}`;
    console.log(`\ntest, tuned thresholds (micro / macro / bottom third F0.5): plain ${f(r.plain)}; selected ${r.selected} ${f(r.selection)}`);
    results.push(r);
  }
  if (values.out !== undefined) writeFileSync(values.out, JSON.stringify(results, null, 1));
}

main().catch((e: unknown) => {
  console.error(e instanceof Error && e.name.endsWith('Error') && 'argument' in e ? `error: ${e.message}` : e);
  process.exit(1);
});
