// npm run test:docs: serves the generated API docs (docs/api, from `npm run docs`)
// and opens the index, every package page and every guide in headless Chromium:
// each must render a non-blank page with no console error and no failed request.
import { createServer } from 'node:http';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { extname, join, normalize, resolve } from 'node:path';
import { chromium } from 'playwright-core';

const ROOT = resolve(import.meta.dirname, '..', '..', 'docs', 'api');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
if (!existsSync(join(ROOT, 'index.html'))) {
  console.error('no docs/api/index.html: run npm run docs first.');
  process.exit(1);
}
if (!existsSync(CHROMIUM)) {
  console.error(`no Chromium at ${CHROMIUM}: install Debian's chromium or set CHROMIUM_PATH.`);
  process.exit(1);
}
const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml', '.json': 'application/json' };
const server = createServer((req, res) => {
  const path = normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname)).replace(/^([/\\])+/, '');
  if (path === 'favicon.ico') return res.writeHead(204).end(); // the browser asks for it; the docs have none
  const file = join(ROOT, path === '' ? 'index.html' : path);
  if (!file.startsWith(ROOT) || !existsSync(file)) return res.writeHead(404).end();
  res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const base = `http://127.0.0.1:${server.address().port}/`;
const pages = [
  'index.html',
  ...readdirSync(join(ROOT, 'modules')).map((f) => `modules/${f}`),
  ...readdirSync(join(ROOT, 'documents')).map((f) => `documents/${f}`),
];
const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--headless', '--no-sandbox', '--disable-gpu'] });
let failed = 0;
try {
  const page = await browser.newPage();
  for (const p of pages) {
    const problems = [];
    const onConsole = (m) => m.type() === 'error' && problems.push(`console: ${m.text()} ${m.location()?.url?.replace(base, '/') ?? ''}`);
    const onError = (e) => problems.push(`page error: ${e.message}`);
    const onResponse = (r) => r.status() >= 400 && problems.push(`${r.status()} ${r.url().replace(base, '/')}`);
    page.on('console', onConsole);
    page.on('pageerror', onError);
    page.on('response', onResponse);
    await page.goto(base + p, { waitUntil: 'load' });
    const text = await page.evaluate(() => document.querySelector('.col-content')?.textContent?.trim().length ?? 0);
    page.off('console', onConsole);
    page.off('pageerror', onError);
    page.off('response', onResponse);
    if (text < 200) problems.push(`the content is nearly blank (${text} characters)`);
    if (problems.length) failed++;
    console.log(`${problems.length ? 'FAIL' : 'ok  '} ${p}${problems.length ? `: ${problems.join('; ')}` : ''}`);
  }
} finally {
  await browser.close();
  server.close();
}
console.log(`${pages.length - failed} of ${pages.length} pages render without error`);
process.exit(failed ? 1 : 0);
