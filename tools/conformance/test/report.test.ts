import { join } from 'node:path';
import { FAMILIES } from '../src/runner';
import { conform } from '../src/report';

const FIXTURES = join(__dirname, '..', '..', '..', 'conformance', 'fixtures');

describe('conform', () => {
  it('prints skipped cases and fails the run on them', async () => {
    const saved = FAMILIES['softmax_ce'];
    FAMILIES['softmax_ce'] = { unsupported: 'not built yet' };
    const lines: string[] = [];
    const errors: string[] = [];
    try {
      const code = await conform([join(FIXTURES, 'public-softmax_ce.json')], { log: (l) => lines.push(l), error: (l) => errors.push(l) });
      expect(code).toBe(1);
    } finally {
      FAMILIES['softmax_ce'] = saved!;
    }
    expect(lines).toContain('softmax_ce: 0 run, 0 passed, 0 failed, 2 skipped, 0 values compared (unsupported: not built yet)');
    expect(lines).toContain('  SKIPPED softmax_ce#0');
    expect(lines).toContain('0 passed, 0 failed, 2 skipped');
    expect(errors).toContain('2 case(s) skipped: a skipped case checks nothing, so it fails the run');
  });
});
