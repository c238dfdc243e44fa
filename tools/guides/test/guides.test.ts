// Runs every ```ts block of docs/guides/*.md as a program, so the guides cannot drift from the code.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';

const ROOT = join(__dirname, '..', '..', '..');
const GUIDES = join(ROOT, 'docs', 'guides');
const OUT = join(ROOT, '.tmp', 'guide-snippets');

/** Every ```ts block of a markdown file. */
function snippets(markdown: string): string[] {
  return [...markdown.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!);
}

/** Moves the imports to the top and the rest into an exported async function (the guides use top-level await). */
function toModule(code: string): string {
  const lines = code.split('\n');
  const imports = lines.filter((l) => l.startsWith('import '));
  const body = lines.filter((l) => !l.startsWith('import '));
  return `${imports.join('\n')}\nexport default async function run(): Promise<void> {\n${body.join('\n')}\n}\n`;
}

const cases = readdirSync(GUIDES)
  .filter((f) => f.endsWith('.md'))
  .flatMap((f) => snippets(readFileSync(join(GUIDES, f), 'utf8')).map((code, i) => [`${f} #${i + 1}`, code] as const));

describe('docs/guides snippets', () => {
  beforeAll(() => mkdirSync(OUT, { recursive: true }));

  it('has snippets to run', () => {
    expect(cases.length).toBeGreaterThanOrEqual(5);
  });

  it.each(cases)('%s runs without error and leaks no tensors', async (name, code) => {
    const file = join(OUT, `${name.replace(/[^a-z0-9]+/gi, '_')}.ts`);
    writeFileSync(file, toModule(code));
    const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    const before = tf.memory().numTensors;
    try {
      const mod = require(file) as { default: () => Promise<void> };
      await mod.default();
    } finally {
      log.mockRestore();
    }
    expect(tf.memory().numTensors).toBe(before);
  });
});
