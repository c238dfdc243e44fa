import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..', '..');
const CLI = join(ROOT, 'tools', 'conformance', 'dist', 'cli.js');
const FIXTURES = join(ROOT, 'conformance', 'fixtures');

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
    expect(out).toMatch(/^53 passed, 0 failed$/m);
    expect(code).toBe(0);
  });

  it('passes every case of all five families', () => {
    const files = ['bce', 'fbeta', 'focal', 'schemes', 'softmax_ce'].map((f) => join(FIXTURES, `public-${f}.json`));
    const { code, out } = run(...files);
    expect(out).toContain('bce: 32 run, 32 passed, 0 failed, 0 skipped');
    expect(out).toContain('focal: 16 run, 16 passed, 0 failed, 0 skipped');
    expect(out).toContain('softmax_ce: 2 run, 2 passed, 0 failed, 0 skipped');
    expect(out).toMatch(/^103 passed, 0 failed$/m);
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
});
