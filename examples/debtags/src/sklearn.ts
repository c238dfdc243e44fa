/**
 * scikit-learn's answer on the demo's own split, computed by
 * `scripts/sklearn_reference.py` in a Python child process while the search
 * trains (the search's wasm backend uses one core; scikit-learn's liblinear
 * the other). Where Python or scikit-learn is missing, the demo says so in
 * one line and goes on without it.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { setPriority, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const SCRIPT = join(dirname(fileURLToPath(import.meta.url)), '..', 'scripts', 'sklearn_reference.py');

/** Test micro / macro / bottom-third F-beta. */
export interface SkScores {
  readonly micro: number;
  readonly macro: number;
  readonly bottomThird: number;
}

/** One scikit-learn variant on test, at 0.5 and at thresholds tuned on validation. */
export interface SkVariant {
  readonly at05: SkScores;
  readonly tuned: SkScores;
  readonly macroAP: number;
  readonly seconds: number;
}

/** What the reference tool wrote. */
export interface SklearnReference {
  readonly what: string;
  readonly tuning: string;
  readonly variants: Readonly<Record<string, SkVariant>>;
}

/** The reference, or why there is none. */
export type SklearnOutcome = { readonly reference: SklearnReference } | { readonly skipped: string };

/** What the tool needs: the rows' texts and labels, the split, and the bottom third by training count. */
export interface SklearnInputs {
  readonly texts: readonly string[];
  readonly labels: readonly (readonly number[])[];
  readonly split: { readonly train: readonly number[]; readonly val: readonly number[]; readonly test: readonly number[] };
  readonly classes: number;
  readonly bottomThird: readonly number[];
  readonly variants: readonly string[];
  readonly beta: number;
  readonly C: number;
}

/**
 * Starts the reference in a child process; the promise settles when it ends
 * (never rejects). With `cacheDir`, a reference computed before from the
 * same inputs (the same data, split, labels and settings) is read from there
 * instead, and a new one is written there.
 */
export async function startSklearnReference(inputs: SklearnInputs, cacheDir?: string, python = process.env['PYTHON'] ?? 'python3'): Promise<SklearnOutcome> {
  const text = JSON.stringify(inputs);
  const hash = createHash('sha256').update(text).digest('hex');
  const cache = cacheDir === undefined ? undefined : join(cacheDir, 'sklearn-reference.json');
  if (cache !== undefined && existsSync(cache)) {
    const saved = JSON.parse(readFileSync(cache, 'utf8')) as { hash: string; reference: SklearnReference };
    if (saved.hash === hash) return { reference: saved.reference };
  }
  const outcome = await run(text, python);
  if (cache !== undefined && 'reference' in outcome) {
    mkdirSync(cacheDir!, { recursive: true });
    writeFileSync(cache, JSON.stringify({ hash, reference: outcome.reference }));
  }
  return outcome;
}

function run(text: string, python: string): Promise<SklearnOutcome> {
  const dir = mkdtempSync(join(tmpdir(), 'debtags-sklearn-'));
  const input = join(dir, 'in.json');
  const output = join(dir, 'out.json');
  writeFileSync(input, text);
  return new Promise<SklearnOutcome>((resolve) => {
    let stderr = '';
    // One thread and the lowest priority: the reference runs beside the search, which must not wait for it.
    // (With numpy's default threads, it slowed the 200-tag search's epochs from 2.1 to 5-7 s on 2 cores.)
    const threads = { OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1', MKL_NUM_THREADS: '1' };
    const child = spawn(python, [SCRIPT, input, output], { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, ...threads } });
    if (child.pid !== undefined) {
      try {
        setPriority(child.pid, 19);
      } catch {
        // Not allowed here: it runs at the normal priority.
      }
    }
    child.stderr.on('data', (d: Buffer) => void (stderr += d.toString()));
    child.on('error', (e) => resolve({ skipped: `no ${python} to run scikit-learn (${e.message}); the scikit-learn reference is skipped` }));
    child.on('close', (code) => {
      if (code === 0) {
        try {
          resolve({ reference: JSON.parse(readFileSync(output, 'utf8')) as SklearnReference });
        } catch (e) {
          resolve({ skipped: `the scikit-learn reference wrote no result (${(e as Error).message})` });
        }
      } else if (code === 3) resolve({ skipped: `${stderr.trim()}; the scikit-learn reference is skipped` });
      else resolve({ skipped: `the scikit-learn reference failed (exit ${code}): ${stderr.trim().split('\n').slice(-3).join(' ')}` });
    });
  }).finally(() => rmSync(dir, { recursive: true, force: true }));
}

/** How the library's runs compare with scikit-learn on test: the bars, computed. */
export interface SklearnComparison {
  /** The scikit-learn variant with the best tuned macro F-beta. */
  readonly best: string;
  /** The selection's tuned macro minus that variant's. */
  readonly selectionMacroVsBest: number;
  /** The selection's tuned bottom third minus that variant's. */
  readonly selectionBottomThirdVsBest: number;
  /** The selection's tuned micro minus scikit-learn plain's tuned micro. */
  readonly selectionMicroVsPlain: number;
  /** Our plain training's tuned macro minus scikit-learn plain's tuned macro. */
  readonly plainMacroVsPlain: number;
}

/** The comparison, given our plain training's and the selection's tuned test scores. */
export function compareWithSklearn(ref: SklearnReference, plain: SkScores, selection: SkScores): SklearnComparison {
  const [best, b] = Object.entries(ref.variants).reduce((a, e) => (e[1].tuned.macro > a[1].tuned.macro ? e : a));
  const skPlain = ref.variants['plain']!.tuned;
  return {
    best,
    selectionMacroVsBest: selection.macro - b.tuned.macro,
    selectionBottomThirdVsBest: selection.bottomThird - b.tuned.bottomThird,
    selectionMicroVsPlain: selection.micro - skPlain.micro,
    plainMacroVsPlain: plain.macro - skPlain.macro,
  };
}
