import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const SCRIPT = join(__dirname, '..', 'scripts', 'build-dataset.mjs');

const PACKAGES = `Package: 0ad
Source: 0ad (0.0.26-3)
Version: 0.0.26-3+b1
Section: games
Description: Real-time strategy game of ancient warfare
Tag: game::strategy, interface::graphical, interface::x11, role::program,
 uitoolkit::sdl, use::gameplaying

Package: notags
Section: utils
Description: no debtags here

Package: libfoo-dev
Section: contrib/libdevel
Description: Foo library
 long description that is dropped
Tag: devel::library, role::devel-lib
`;

describe('scripts/build-dataset.mjs', () => {
  it('turns Packages stanzas into the dataset rows (packages with debtags only)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'packages-'));
    writeFileSync(join(dir, 'Packages'), PACKAGES);
    const r = spawnSync(process.execPath, [SCRIPT, join(dir, 'Packages'), join(dir, 'out.tsv')], { encoding: 'utf8' });
    expect(r.stdout).toContain('2 packages with debtags written to');
    expect(r.status).toBe(0);
    expect(readFileSync(join(dir, 'out.tsv'), 'utf8').split('\n')).toEqual([
      'package\tsource\tsection\tdescription\ttags',
      '0ad\t0ad\tgames\tReal-time strategy game of ancient warfare\tgame::strategy,interface::graphical,interface::x11,role::program,uitoolkit::sdl,use::gameplaying',
      'libfoo-dev\tlibfoo-dev\tlibdevel\tFoo library\tdevel::library,role::devel-lib',
      '',
    ]);
  });
});
