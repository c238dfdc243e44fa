// CI: every published package whose src changed since the last release (or,
// before the first release, since the first commit) must be named in a
// pending changeset. `changeset status` runs too, but it only fails when there
// are no changesets at all, so it misses one package changed without one.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const git = (...args) => execFileSync('git', args, { encoding: 'utf8' }).trim();
// The last release: its tag, else (a clone without tags) the last commit that wrote a CHANGELOG
// (what `changeset version` does), else, before the first release, the first commit.
let base;
try {
  base = git('describe', '--tags', '--abbrev=0', '--match', '@tfjs-imbalance/*');
} catch {
  base = git('log', '-1', '--format=%H', '--', 'packages/*/CHANGELOG.md') || git('rev-list', '--max-parents=0', 'HEAD').split('\n').pop();
}
execFileSync('npx', ['changeset', 'status', `--since=${base}`], { stdio: 'inherit' });

const changedDirs = new Set(
  git('diff', '--name-only', `${base}`, 'HEAD', '--', 'packages')
    .split('\n')
    .filter((f) => /^packages\/[^/]+\/src\//.test(f))
    .map((f) => f.split('/')[1]),
);
const changed = [...changedDirs]
  .map((dir) => JSON.parse(readFileSync(join('packages', dir, 'package.json'), 'utf8')))
  .filter((p) => !p.private)
  .map((p) => p.name);
const covered = new Set(
  readdirSync('.changeset')
    .filter((f) => f.endsWith('.md') && f !== 'README.md')
    .flatMap((f) => {
      const front = /^---\n([\s\S]*?)\n---/.exec(readFileSync(join('.changeset', f), 'utf8'))?.[1] ?? '';
      return [...front.matchAll(/^["']?([^"':]+)["']?\s*:\s*(major|minor|patch)\s*$/gm)].map((m) => m[1]);
    }),
);
const missing = changed.filter((name) => !covered.has(name));
console.log(`changesets: ${changed.length} package(s) changed since ${/^[0-9a-f]{40}$/.test(base) ? base.slice(0, 12) : base}; covered: ${changed.filter((n) => covered.has(n)).join(', ') || 'none'}`);
if (missing.length) {
  console.error(`missing changesets for: ${missing.join(', ')}. Run \`npx changeset\` and describe the change for users.`);
  process.exit(1);
}
