import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..', '..');
const CLI = join(ROOT, 'tools', 'conformance', 'dist', 'cli.js');
const FIXTURES = join(ROOT, 'conformance', 'fixtures');

const PINS = join(ROOT, 'conformance', 'pins.json');

function run(...files: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...files], { encoding: 'utf8', env: { ...process.env, TFJS_BACKEND: 'cpu' } });
  return { code: r.status, out: r.stdout + r.stderr };
}

function tempCopy(name: string, edit: (json: any) => void): string {
  const json = JSON.parse(readFileSync(join(FIXTURES, name), 'utf8'));
  edit(json);
  const file = join(mkdtempSync(join(tmpdir(), 'conformance-')), name);
  writeFileSync(file, JSON.stringify(json));
  return file;
}

describe('npm run conformance (built packages, public API)', () => {
  it('passes every schemes and fbeta case of the reference vectors', () => {
    const { code, out } = run(join(FIXTURES, 'public-schemes.json'), join(FIXTURES, 'public-fbeta.json'));
    expect(out).toContain('schemes: 47 run, 47 passed, 0 failed, 0 skipped');
    expect(out).toContain('fbeta: 6 run, 6 passed, 0 failed, 0 skipped');
    expect(out).toMatch(/^53 passed, 0 failed, 0 skipped$/m);
    expect(code).toBe(0);
  });

  it('passes every case of all five families', () => {
    const files = ['bce', 'fbeta', 'focal', 'schemes', 'softmax_ce'].map((f) => join(FIXTURES, `public-${f}.json`));
    const { code, out } = run(...files);
    expect(out).toContain('bce: 32 run, 32 passed, 0 failed, 0 skipped');
    expect(out).toContain('focal: 16 run, 16 passed, 0 failed, 0 skipped');
    expect(out).toContain('softmax_ce: 2 run, 2 passed, 0 failed, 0 skipped');
    expect(out).toMatch(/^103 passed, 0 failed, 0 skipped$/m);
    expect(code).toBe(0);
  });

  it('fails on a loss gradient that is off', () => {
    const file = tempCopy('public-bce.json', (j) => (j.cases[31].grad_mean[0][0] += 0.01));
    const { code, out } = run(file);
    expect(out).toContain('bce: 32 run, 31 passed, 1 failed');
    expect(out).toMatch(/FAILED soft_targets\n\s+grad_mean\[0\]\[0\]/);
    expect(code).toBe(1);
  });

  it('fails, with the field and both values, when a reference value is off by 0.1%', () => {
    const file = tempCopy('public-schemes.json', (j) => (j.cases.class_weights[0].weights.ins[0] *= 1.001));
    const { code, out } = run(file);
    expect(out).toContain('schemes: 47 run, 46 passed, 1 failed, 0 skipped');
    expect(out).toMatch(/FAILED class_weights\/tiny\n\s+ins\[0\]: expected 0\.23099\d*, got 0\.230769/);
    expect(code).toBe(1);
  });

  it('fails on an F-beta average that is off', () => {
    const file = tempCopy('public-fbeta.json', (j) => (j.cases[2].sklearn[0].samples += 0.001));
    const { code, out } = run(file);
    expect(out).toContain('fbeta: 6 run, 5 passed, 1 failed');
    expect(code).toBe(1);
  });

  it('treats an unknown field or family as an error, never a skip', () => {
    const extra = tempCopy('public-fbeta.json', (j) => (j.cases[0].surprise = 1));
    const r1 = run(extra);
    expect(r1.out).toContain('unknown field(s) surprise');
    expect(r1.code).toBe(1);
    const family = tempCopy('public-fbeta.json', (j) => (j.family = 'auc'));
    const r2 = run(family);
    expect(r2.out).toContain('unknown family "auc"');
    expect(r2.code).toBe(1);
  });

  it('fails when the sign of every small gradient element is flipped (the tolerance scales with the array)', () => {
    let flipped = 0;
    const file = tempCopy('public-bce.json', (j) => {
      for (const c of j.cases) {
        for (const key of ['grad_mean', 'grad_sum']) {
          for (const row of c[key]) {
            row.forEach((g: number, k: number) => {
              // Under the old |a − b| ≤ 1e-5 + 1e-4·|b|, each of these flips passed: 2|g| < 1e-5.
              if (g !== 0 && Math.abs(g) < 5e-6) {
                row[k] = -g;
                flipped++;
              }
            });
          }
        }
      }
    });
    expect(flipped).toBeGreaterThan(100);
    const { code, out } = run(file);
    const failedCases = Number(/bce: 32 run, \d+ passed, (\d+) failed/.exec(out)![1]);
    expect(failedCases).toBeGreaterThanOrEqual(10);
    expect(out).toMatch(/grad_(mean|sum)\[\d+\]\[\d+\]: expected -?\d/);
    expect(code).toBe(1);
  });

  it('pins the number of cases and compared values per file', () => {
    const ok = spawnSync(process.execPath, [CLI, '--pins', PINS, join(FIXTURES, 'public-softmax_ce.json')], { encoding: 'utf8', env: { ...process.env, TFJS_BACKEND: 'cpu' } });
    expect(ok.status).toBe(0);
    const pins = JSON.parse(readFileSync(PINS, 'utf8'));
    const dir = mkdtempSync(join(tmpdir(), 'pins-'));
    const moved = join(dir, 'pins.json');
    writeFileSync(moved, JSON.stringify({ ...pins, 'public-softmax_ce.json': { cases: 2, checks: pins['public-softmax_ce.json'].checks + 1 } }));
    const off = spawnSync(process.execPath, [CLI, '--pins', moved, join(FIXTURES, 'public-softmax_ce.json')], { encoding: 'utf8', env: { ...process.env, TFJS_BACKEND: 'cpu' } });
    expect(off.stderr).toMatch(/public-softmax_ce\.json: 2 cases comparing \d+ values, but .* pins 2 cases and \d+ values/);
    expect(off.status).toBe(1);
    writeFileSync(moved, '{}');
    const missing = spawnSync(process.execPath, [CLI, '--pins', moved, join(FIXTURES, 'public-softmax_ce.json')], { encoding: 'utf8', env: { ...process.env, TFJS_BACKEND: 'cpu' } });
    expect(missing.stderr).toContain('public-softmax_ce.json: not pinned in');
    expect(missing.status).toBe(1);
  });

  it('fails on a file with no cases', () => {
    const file = tempCopy('public-softmax_ce.json', (j) => (j.cases = []));
    const { code, out } = run(file);
    expect(out).toContain('no cases (an empty file checks nothing)');
    expect(code).toBe(1);
  });
});
