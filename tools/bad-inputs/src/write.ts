// npm run docs:errors: writes docs/guides/errors.md from the table.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderErrorsGuide } from './render';

writeFileSync(join(__dirname, '..', '..', '..', 'docs', 'guides', 'errors.md'), renderErrorsGuide());
console.log('wrote docs/guides/errors.md');
