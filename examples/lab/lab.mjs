#!/usr/bin/env node
// npm run lab: builds the lab into site/ and serves it locally, on the port it
// prints (8321, or any free one when that is taken; --port N to choose).
// site/ can also be hosted as it is, by any static file server.
import { parseArgs } from 'node:util';
import { build, SITE } from './build.mjs';
import { serve } from './serve.mjs';

const { values } = parseArgs({ options: { port: { type: 'string', default: '8321' } } });
const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`--port: expected a port number, got "${values.port}".`);
  process.exit(2);
}
await build();
const { url } = await serve(SITE, port);
console.log(`\nthe lab: ${url}  (Ctrl-C stops it)`);
