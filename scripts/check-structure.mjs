#!/usr/bin/env node
// The codebase's shape, checked (ARCHITECTURE.md): no import cycle between the source files of a package, type-only
// imports included, no source file over 400 lines, and every imported package declared. Exits 1 with the cycle or the file.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const MAX_LINES = 400;
const roots = readdirSync(join(root, 'packages')).map((p) => join(root, 'packages', p, 'src'));

function files(dir) {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}

const problems = [];
const graph = new Map();
for (const src of roots) {
  for (const file of files(src)) {
    const text = readFileSync(file, 'utf8');
    const lines = text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
    if (lines > MAX_LINES) problems.push(`${relative(root, file)} has ${lines} lines (at most ${MAX_LINES}): split it by concept.`);
    // Every relative import or re-export, `import type` included (a type-only cycle still ties two files together).
    const deps = [...text.matchAll(/^(?:import|export)\s[^;]*?from\s+'(\.{1,2}\/[^']+)'/gm)].map((m) => resolve(dirname(file), m[1].replace(/\.js$/, '.ts')));
    graph.set(file, deps);
  }
}

// Every package a package's source or tests import is declared in its package.json (tests included: a test's
// import of a sibling package is a dependency of that package's test suite).
for (const dir of readdirSync(join(root, 'packages'))) {
  const pkg = JSON.parse(readFileSync(join(root, 'packages', dir, 'package.json'), 'utf8'));
  const declared = new Set([pkg.name, ...Object.keys({ ...pkg.dependencies, ...pkg.peerDependencies, ...pkg.devDependencies })]);
  for (const sub of ['src', 'test']) {
    const base = join(root, 'packages', dir, sub);
    let list;
    try {
      list = files(base);
    } catch {
      continue;
    }
    for (const file of list) {
      for (const m of readFileSync(file, 'utf8').matchAll(/^(?:import|export)\s[^;]*?from\s+'((?:@[\w.-]+\/)?[\w.-]+)/gm)) {
        if (m[1].startsWith('.') || m[1] === 'node' || declared.has(m[1])) continue;
        problems.push(`${relative(root, file)} imports ${m[1]}, which ${pkg.name} does not declare: add it to its ${sub === 'src' ? 'dependencies or peerDependencies' : 'devDependencies'}.`);
      }
    }
  }
}

// Depth-first search for a back edge: each cycle is reported once, from the file where it was entered.
const state = new Map();
const stack = [];
function visit(file) {
  state.set(file, 'open');
  stack.push(file);
  for (const dep of graph.get(file) ?? []) {
    if (!graph.has(dep)) continue;
    if (state.get(dep) === 'open') {
      const cycle = [...stack.slice(stack.indexOf(dep)), dep].map((f) => relative(root, f));
      problems.push(`import cycle: ${cycle.join(' → ')}`);
    } else if (!state.has(dep)) visit(dep);
  }
  stack.pop();
  state.set(file, 'done');
}
for (const file of graph.keys()) if (!state.has(file)) visit(file);

if (problems.length > 0) {
  console.error(problems.join('\n'));
  process.exit(1);
}
console.log(`structure: ${graph.size} source files, none over ${MAX_LINES} lines, no import cycle, every imported package declared.`);
