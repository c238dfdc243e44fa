/**
 * The one jest preset every project of the monorepo uses: ts-jest in
 * isolated-modules mode (types are checked separately by `tsc -p
 * tsconfig.test.json`), workspace packages mapped to their sources, and the
 * cpu backend in PROD mode.
 */
import type { Config } from 'jest';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = __dirname;
const WORKSPACE_DIRS = ['packages', 'tools', 'examples'];

/** `@tfjs-imbalance/<name>` → the workspace's `src/index.ts`, so tests run against sources. */
function workspaceMapper(): Record<string, string> {
  const map: Record<string, string> = {};
  for (const dir of WORKSPACE_DIRS) {
    if (!existsSync(join(ROOT, dir))) continue;
    for (const name of readdirSync(join(ROOT, dir))) {
      const index = join(ROOT, dir, name, 'src', 'index.ts');
      if (existsSync(index)) map[`^@tfjs-imbalance/${name}$`] = index;
      const internal = join(ROOT, dir, name, 'src', 'internal.ts');
      if (existsSync(internal)) map[`^@tfjs-imbalance/${name}/internal$`] = internal;
    }
  }
  return map;
}

/** A jest project for one workspace folder such as `packages/weight-schemes`. */
export function project(dir: string): Config {
  return {
    displayName: dir.split('/').pop()!,
    rootDir: join(ROOT, dir),
    testEnvironment: 'node',
    testMatch: ['<rootDir>/test/**/*.test.ts'],
    moduleFileExtensions: ['ts', 'js', 'json'],
    transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: join(ROOT, 'tsconfig.test.json') }] },
    moduleNameMapper: {
      ...workspaceMapper(),
      '^(\\.{1,2}/.*)\\.js$': '$1',
    },
    setupFiles: [join(ROOT, 'jest.setup.ts')],
    // Timeouts catch hangs only: no test may depend on how fast a shared, loaded machine runs it (jest's 5 s
    // default failed a test that takes 2 s on a quiet machine, under another CPU-heavy process).
    testTimeout: 600_000,
  };
}

/** Every workspace folder with a `test/` directory. */
export function projectDirs(): string[] {
  return WORKSPACE_DIRS.flatMap((dir) =>
    existsSync(join(ROOT, dir))
      ? readdirSync(join(ROOT, dir))
          .map((name) => `${dir}/${name}`)
          .filter((d) => existsSync(join(ROOT, d, 'test')))
      : [],
  );
}
