import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { CaseFormatError, type CaseResult } from './compare.js';
import { runFbeta } from './families/fbeta.js';
import { runBce, runFocal, runSoftmaxCe } from './families/losses.js';
import { runSchemes } from './families/schemes.js';
import { runAsl, runDb, runLogitAdjusted } from './families/long-tail.js';
import { runAveragePrecision } from './families/average-precision.js';
import { runPositions } from './families/positions.js';
import { runFbetaWeighted } from './families/fbeta-weighted.js';

/** A family's runner, or the reason it cannot run yet. */
type Family = ((cases: unknown) => Promise<CaseResult[]>) | { unsupported: string };

/** Every family the reference vectors hold. */
export const FAMILIES: Record<string, Family> = {
  schemes: runSchemes,
  fbeta: runFbeta,
  bce: runBce,
  focal: runFocal,
  softmax_ce: runSoftmaxCe,
  asl: runAsl,
  db: runDb,
  logit_adjusted_ce: runLogitAdjusted,
  average_precision: runAveragePrecision,
  positions: runPositions,
  fbeta_weighted: runFbetaWeighted,
};

/** The outcome of one file. */
export interface FileResult {
  readonly file: string;
  readonly family: string;
  readonly cases: readonly CaseResult[];
  /** Set when the family cannot run yet; its cases count as skipped. */
  readonly unsupported?: string;
}

function countCases(cases: unknown): number {
  if (Array.isArray(cases)) return cases.length;
  if (cases !== null && typeof cases === 'object') {
    return Object.values(cases).reduce((n: number, v) => n + (Array.isArray(v) ? v.length : 0), 0);
  }
  return 0;
}

/** Reads one vectors file and runs every case through the public API of the built packages. */
export async function runFile(file: string): Promise<FileResult> {
  const json = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
  const unknownTop = Object.keys(json).filter((k) => !['family', 'note', 'provenance', 'cases'].includes(k));
  if (unknownTop.length) throw new CaseFormatError(`${basename(file)}: unknown top-level field(s) ${unknownTop.join(', ')}`);
  const family = String(json['family']);
  const run = FAMILIES[family];
  if (run === undefined) {
    throw new CaseFormatError(`${basename(file)}: unknown family "${family}" (known: ${Object.keys(FAMILIES).join(', ')})`);
  }
  if (typeof run !== 'function') {
    const cases = Array.from({ length: countCases(json['cases']) }, (_, i) => ({
      name: `${family}#${i}`,
      status: 'skipped' as const,
      details: [run.unsupported],
      checks: 0,
    }));
    return { file, family, cases, unsupported: run.unsupported };
  }
  if (countCases(json['cases']) === 0) throw new CaseFormatError(`${basename(file)}: no cases (an empty file checks nothing)`);
  return { file, family, cases: await run(json['cases']) };
}
