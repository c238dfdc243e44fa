import { readFileSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { runFile, type FileResult } from './runner.js';

/** The pinned size of one file: how many cases, and how many scalar values they compare. */
export interface Pin {
  readonly cases: number;
  readonly checks: number;
}

/** Options of {@link conform}. */
export interface ConformOptions {
  /** A JSON file of {@link Pin}s keyed by the vectors file's base name. Defaults to none (no pin check). */
  readonly pinsFile?: string;
  /** Rewrite `pinsFile` from this run instead of checking it. Defaults to `false`. */
  readonly writePins?: boolean;
  /** Where report lines go. Defaults to `console.log`. */
  readonly log?: (line: string) => void;
  /** Where error lines go. Defaults to `console.error`. */
  readonly error?: (line: string) => void;
}

/**
 * Runs every file and reports one line per family, each case that did not
 * pass, and `N passed, N failed, N skipped`. Returns the exit code: 1 on any
 * failure, any skipped case, a malformed file, or a pin mismatch.
 */
export async function conform(files: readonly string[], options: ConformOptions = {}): Promise<number> {
  const { pinsFile, writePins = false, log = console.log, error = console.error } = options;
  const pins: Record<string, Pin> =
    pinsFile === undefined || writePins ? {} : (JSON.parse(readFileSync(pinsFile, 'utf8')) as Record<string, Pin>);
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  let broken = false;
  for (const file of files) {
    let r: FileResult;
    try {
      r = await runFile(file);
    } catch (e) {
      error(`${file}: ERROR ${e instanceof Error ? e.message : String(e)}`);
      broken = true;
      continue;
    }
    const n = (s: string) => r.cases.filter((c) => c.status === s).length;
    const [p, f, s] = [n('passed'), n('failed'), n('skipped')];
    const checks = r.cases.reduce((t, c) => t + c.checks, 0);
    passed += p;
    failed += f;
    skipped += s;
    log(`${r.family}: ${p + f} run, ${p} passed, ${f} failed, ${s} skipped, ${checks} values compared${r.unsupported ? ` (unsupported: ${r.unsupported})` : ''}`);
    for (const c of r.cases.filter((c) => c.status !== 'passed')) {
      log(`  ${c.status.toUpperCase()} ${c.name}`);
      for (const d of c.details.slice(0, 5)) log(`    ${d}`);
      if (c.details.length > 5) log(`    … and ${c.details.length - 5} more`);
    }
    if (pinsFile === undefined) continue;
    const key = basename(file);
    if (writePins) {
      pins[key] = { cases: r.cases.length, checks };
      continue;
    }
    const pin = pins[key];
    if (pin === undefined) {
      error(`${key}: not pinned in ${pinsFile}; review its counts above, then run with --write-pins`);
      broken = true;
    } else if (pin.cases !== r.cases.length || pin.checks !== checks) {
      error(
        `${key}: ${r.cases.length} cases comparing ${checks} values, but ${pinsFile} pins ${pin.cases} cases and ${pin.checks} values; ` +
          'a runner stopped checking something, or the vectors changed (then run with --write-pins)',
      );
      broken = true;
    }
  }
  if (writePins && pinsFile !== undefined) writeFileSync(pinsFile, `${JSON.stringify(pins, null, 2)}\n`);
  log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
  if (skipped > 0) error(`${skipped} case(s) skipped: a skipped case checks nothing, so it fails the run`);
  return failed > 0 || skipped > 0 || broken ? 1 : 0;
}
