import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
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
  }, 120_000);

  it('exits 0, says which backend it used and where the reports are', () => {
    expect(code).toBe(0);
    expect(stdout).toMatch(/^backend: (tensorflow|wasm|cpu) /m);
    for (const f of ['results.json', 'report.md', 'report.html']) expect(stdout).toContain(join(out, f));
  });

  it('writes results.json in the documented schema', () => {
    const r = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8'));
    expect(['tensorflow', 'wasm', 'cpu']).toContain(r.backend);
    expect(r.dataset).toMatchObject({ rows: 30303, classes: 29 });
    expect(r.dataset.support).toHaveLength(29);
    expect(typeof r.seconds).toBe('number');
    expect(r.schemes.length).toBeGreaterThanOrEqual(8);
    for (const s of r.schemes) {
      expect(s.name).toMatch(/^(none|ins|isns|ens)/);
      expect(['0.5', 'tuned']).toContain(s.thresholds);
      for (const k of ['microF', 'macroF', 'precision', 'recall']) {
        expect(s[k]).toBeGreaterThanOrEqual(0);
        expect(s[k]).toBeLessThanOrEqual(1);
      }
      expect(s.perClass).toHaveLength(29);
      expect(Object.keys(s.perClass[0]).sort()).toEqual(['f', 'label', 'precision', 'recall', 'support']);
    }
    expect(new Set(r.schemes.map((s: { name: string }) => s.name.replace(/-.*/, '')))).toEqual(new Set(['none', 'ins', 'isns', 'ens']));
    expect(r.ensSelection.map((e: { beta: number }) => e.beta)).toEqual([0.9, 0.99, 0.999, 0.9999]);
  });

  it('report.md agrees with results.json and states a verdict', () => {
    const r = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8'));
    const md = readFileSync(join(out, 'report.md'), 'utf8');
    for (const s of r.schemes) {
      const row = `| ${s.name} | ${s.thresholds} | ${s.microF.toFixed(3)} | ${s.macroF.toFixed(3)} | ${s.precision.toFixed(3)} | ${s.recall.toFixed(3)} |`;
      expect(md).toContain(row);
    }
    expect(md).toContain(`**Verdict.** ${r.verdict}`);
    expect(r.verdict).toMatch(/re-weighting (helped|did not help)/);
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    expect(html.match(/<svg/g)).toHaveLength(2);
  });
});
