// npm run pack: builds, then writes the five packages' tarballs into
// packs/ at the repository root (what the README's install-from-a-clone
// section installs, and what `npm run check:packages` checks).
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');
export const PACKS = join(ROOT, 'packs');

/** Packs every published package into packs/; returns the tarball paths. */
export function pack() {
  rmSync(PACKS, { recursive: true, force: true });
  mkdirSync(PACKS, { recursive: true });
  const out = [];
  for (const dir of readdirSync(join(ROOT, 'packages'))) {
    const cwd = join(ROOT, 'packages', dir);
    const json = JSON.parse(readFileSync(join(cwd, 'package.json'), 'utf8'));
    if (json.private) continue;
    const [info] = JSON.parse(execFileSync('npm', ['pack', '--json', '--pack-destination', PACKS], { cwd, encoding: 'utf8' }));
    out.push({ name: json.name, tarball: join(PACKS, info.filename), info });
  }
  return out;
}

if (process.argv[1] === import.meta.filename) {
  for (const { tarball, info } of pack()) console.log(`${tarball}  (${info.files.length} files, ${(info.size / 1024).toFixed(1)} kB)`);
}
