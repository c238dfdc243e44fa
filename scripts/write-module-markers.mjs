// Marks each package's CommonJS build as CommonJS: the packages are
// "type": "module", so dist/cjs needs its own package.json saying otherwise.
import { existsSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const clean = process.argv.includes('--clean');
for (const name of readdirSync('packages')) {
  const cjs = join('packages', name, 'dist', 'cjs');
  const marker = join(cjs, 'package.json');
  if (clean) rmSync(marker, { force: true });
  else if (existsSync(cjs)) writeFileSync(marker, '{ "type": "commonjs" }\n');
}
