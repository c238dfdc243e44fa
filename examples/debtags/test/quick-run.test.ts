import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const CLI = join(__dirname, '..', 'dist', 'cli.js');

describe('npm run demo -- --quick (end to end, built CLI)', () => {
  const out = mkdtempSync(join(tmpdir(), 'debtags-quick-'));
  let stdout = '';
  let code: number | null = null;

  beforeAll(() => {
    const r = spawnSync(process.execPath, [CLI, '--quick', '--no-progress', '--out', out], { encoding: 'utf8' });
    stdout = r.stdout + r.stderr;
    code = r.status;
  });

  it('exits 0, says which backend it used and where the reports are', () => {
    expect(code).toBe(0);
    expect(stdout).toMatch(/^backend: (tensorflow|wasm|cpu) /m);
    for (const f of ['results.json', 'report.md', 'report.html']) expect(stdout).toContain(join(out, f));
  });

  it('writes results.json in the documented schema', () => {
    const r = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8'));
    expect(['tensorflow', 'wasm', 'cpu']).toContain(r.backend);
    expect(r.dataset).toMatchObject({ rows: 30303, classes: 29, groupedBy: 'source' });
    expect(r.dataset.support).toHaveLength(29);
    expect(r.dataset.bottomThird).toHaveLength(10);
    expect(typeof r.seconds).toBe('number');
    expect(r.timing.floorEpochSeconds).toBeGreaterThan(0);
    // Every candidate of the search (the library's defaults but prior-bias: the model already starts there) has a row at 0.5 and a tuned one.
    const names = r.runs.map((x: { name: string }) => x.name);
    expect(names).toEqual(['plain', 'ins', 'isns', 'ens-0.99', 'ens-0.999', 'focal', 'best-scheme+focal', 'db', 'asl']);
    expect(r.schemes).toHaveLength(2 * names.length);
    for (const s of r.schemes) {
      expect(names).toContain(s.name);
      expect(['0.5', 'tuned']).toContain(s.thresholds);
      for (const k of ['microF', 'macroF', 'bottomThirdF', 'precision', 'recall', 'macroAP']) {
        expect(s[k]).toBeGreaterThanOrEqual(0);
        expect(s[k]).toBeLessThanOrEqual(1);
      }
      expect(s.perClass).toHaveLength(29);
      expect(Object.keys(s.perClass[0]).sort()).toEqual(['f', 'label', 'precision', 'recall', 'support']);
    }
    // The selected configuration is one of the runs, chosen on validation, with its test scores at tuned thresholds.
    expect(names).toContain(r.selected.name);
    const tuned = r.schemes.find((s: { name: string; thresholds: string }) => s.name === r.selected.name && s.thresholds === 'tuned');
    expect(r.selected.macroF).toBe(tuned.macroF);
    expect(r.selected.bottomThirdF).toBe(tuned.bottomThirdF);
    expect(r.selected.settings.name).toBe(r.selected.name);
    const plain = r.runs.find((x: { name: string }) => x.name === 'plain');
    const eligible = r.runs.filter((x: { valTuned: { micro: number } }) => x.valTuned.micro >= plain.valTuned.micro - 0.02);
    for (const x of r.runs) expect(x.eligible).toBe(eligible.includes(x));
    // A run the budget stopped is marked on the run and on both its rows.
    for (const x of r.runs) expect(r.schemes.filter((s: { name: string }) => s.name === x.name).map((s: { prunedAt: number | null }) => s.prunedAt)).toEqual([x.prunedAt, x.prunedAt]);
    // The documented rule: the best validation macro among the eligible runs trained to their end whose gain's interval lies above 0; plain training when there is none.
    type Run = { name: string; prunedAt: number | null; gain: { low: number } | null; valTuned: { macro: number } };
    const contenders = (eligible as Run[]).filter((x) => x.name !== 'plain' && x.prunedAt === null && x.gain !== null && x.gain.low > 0);
    const expected = contenders.length === 0 ? plain : contenders.reduce((a, b) => (b.valTuned.macro > a.valTuned.macro ? b : a));
    expect(r.selected.name).toBe(expected.name);
    expect(r.selected.val.macro).toBe(expected.valTuned.macro);
    expect(typeof r.goal.holds).toBe('boolean');
    expect(r.thresholdCheck).toHaveLength(names.length);
    // Average precision is threshold-free: one figure per run, on both of its rows.
    for (const run of r.runs) {
      const rows = r.schemes.filter((s: { name: string }) => s.name === run.name);
      expect(rows.map((s: { macroAP: number }) => s.macroAP)).toEqual([run.testAP.macro, run.testAP.macro]);
      expect(run.testAP.micro).toBeGreaterThan(0);
    }
    expect(r.reference).toBeNull(); // the outside reference is for the full split only
  });

  it('report.md agrees with results.json and states a verdict; report.html has real tables and the charts', () => {
    const r = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8'));
    const md = readFileSync(join(out, 'report.md'), 'utf8');
    for (const s of r.schemes) {
      const row = `| ${s.name} | ${s.thresholds} | ${s.microF.toFixed(3)} | ${s.macroF.toFixed(3)} | ${s.bottomThirdF.toFixed(3)} | ${s.precision.toFixed(3)} | ${s.recall.toFixed(3)} | ${s.macroAP.toFixed(3)} |`;
      expect(md).toContain(row);
    }
    expect(md).toContain(`**Verdict.** ${r.verdict}`);
    expect(md).toContain(`**Selected: ${r.selected.name}.**`);
    expect(r.verdict).toMatch(/Plain training reaches micro \/ macro F0\.5 /);
    expect(r.verdict).toMatch(/The search \(\d+ configurations(, \d+ stopped early by its budget)?, selected on validation only; its runs cost \d+\.\d× plain training\)/);
    // The verdict names every run the trade-off left out although its validation macro beat the selected one's.
    const sel = r.runs.find((x: { name: string }) => x.name === r.selected.name);
    const leftOut = r.runs.filter((x: { eligible: boolean; valTuned: { macro: number } }) => !x.eligible && x.valTuned.macro > sel.valTuned.macro);
    if (leftOut.length === 0) expect(r.verdict).not.toContain('Left out by the trade-off');
    for (const x of leftOut) expect(r.verdict).toContain(`${x.name} (validation macro`);
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    expect(html.match(/<svg/g)).toHaveLength(2);
    expect(html.match(/<table>/g)!.length).toBeGreaterThanOrEqual(4);
    expect(html).not.toContain('| run | thresholds |');
  });
});

/** A small CSV of the user's own (no source column): 400 rows of text and |-separated labels a, b, c. */
function ownCsv(dir: string): string {
  const csv = join(dir, 'own.csv');
  const lines = ['title,labels'];
  for (let i = 0; i < 400; i++) lines.push(`"item ${i} ${i % 3 === 0 ? 'alpha beta' : 'gamma'} ${i % 5 === 0 ? 'delta' : ''}",${i % 3 === 0 ? 'a' : 'b'}${i % 5 === 0 ? '|c' : ''}`);
  writeFileSync(csv, `${lines.join('\n')}\n`);
  return csv;
}

describe('npm run demo on a file without a source column', () => {
  it('splits row by row and says so in one line', () => {
    const dir = mkdtempSync(join(tmpdir(), 'debtags-own-'));
    const csv = ownCsv(dir);
    const args = [CLI, '--data', csv, '--text-columns', 'title', '--label-column', 'labels', '--label-separator', '|', '--top-k', '3', '--epochs', '2', '--candidates', 'plain,ins', '--no-progress', '--out', join(dir, 'out')];
    const r = spawnSync(process.execPath, args, { encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(`note: ${csv} has no "source" column, so rows are split one by one`);
    const results = JSON.parse(readFileSync(join(dir, 'out', 'results.json'), 'utf8'));
    expect(results.dataset.groupedBy).toBeNull();
    expect(results.runs.map((x: { name: string }) => x.name)).toEqual(['plain', 'ins']);
  });
});

describe('npm run demo -- --stop-on objective', () => {
  it('early-stops each run on the search objective, and refuses any other value by name', () => {
    const dir = mkdtempSync(join(tmpdir(), 'debtags-stop-on-'));
    const csv = ownCsv(dir);
    const common = [CLI, '--data', csv, '--text-columns', 'title', '--label-column', 'labels', '--label-separator', '|', '--top-k', '3', '--candidates', 'plain', '--no-progress'];
    const r = spawnSync(process.execPath, [...common, '--epochs', '20', '--patience', '1', '--stop-on', 'objective', '--out', join(dir, 'out')], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    const results = JSON.parse(readFileSync(join(dir, 'out', 'results.json'), 'utf8'));
    expect(results.runs[0].stopReason).toMatch(/^its validation objective did not improve for 1 epoch/);
    const bad = spawnSync(process.execPath, [...common, '--stop-on', 'loss'], { encoding: 'utf8' });
    expect(bad.status).toBe(1);
    expect(bad.stderr.trim()).toBe('error: --stop-on: expected micro or objective, got "loss".');
  });
});

describe('the demo CLI on a command-line mistake', () => {
  it.each([
    [['--schemes', 'ins'], "Unknown option '--schemes'"],
    [['--top-k'], "Option '--top-k <value>' argument missing"],
  ])('%j: one line naming the mistake and --help, exit code 2, no stack trace', (args, message) => {
    const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr.trim()).toBe(`error: ${message}. \`npm run demo -- --help\` lists the options.`);
  });
});

describe('npm run demo -- --quick --workers 2 (the search in worker threads)', () => {
  it('gives the figures of the run in one thread, to the last digit', () => {
    const outs = ['0', '2'].map((w) => {
      const out = mkdtempSync(join(tmpdir(), `debtags-workers-${w}-`));
      const r = spawnSync(process.execPath, [CLI, '--quick', '--no-progress', '--workers', w, '--out', out], { encoding: 'utf8' });
      expect(r.status).toBe(0);
      return JSON.parse(readFileSync(join(out, 'results.json'), 'utf8'));
    });
    const figures = (r: { schemes: { name: string; thresholds: string; microF: number; macroF: number; bottomThirdF: number }[]; selected: { name: string } }) => ({
      selected: r.selected.name,
      schemes: r.schemes.map(({ name, thresholds, microF, macroF, bottomThirdF }) => [name, thresholds, microF, macroF, bottomThirdF]),
    });
    expect(figures(outs[1])).toEqual(figures(outs[0]));
  });
});
