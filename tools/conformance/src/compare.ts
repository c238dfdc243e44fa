/**
 * Tolerance for floats: |a − b| ≤ RTOL·|b| + ATOL·max|B|, where B is the whole
 * expected array of the field (a scalar is its own array). The absolute part
 * is scaled to the array's largest magnitude, so a small element of a large
 * gradient is held to its own size: flipping its sign fails.
 */
export const RTOL = 1e-4;
/** See {@link RTOL}. */
export const ATOL = 1e-6;

/** Raised by a family when a case cannot be run: a malformed or unknown field. */
export class CaseFormatError extends Error {}

/** Collects the mismatches of one case. */
export class Checker {
  readonly failures: string[] = [];
  /** How many scalar values were compared. */
  checks = 0;

  /** Floats (or nested arrays of floats) within the tolerance of {@link RTOL}; NaN matches NaN. */
  close(field: string, actual: unknown, expected: unknown): void {
    const scale = ATOL * largestMagnitude(expected);
    this.walk(field, actual, expected, (a, b) => (Number.isNaN(b) ? Number.isNaN(a) : Math.abs(a - b) <= RTOL * Math.abs(b) + scale));
  }

  /** Counts (or nested arrays of counts), exactly. */
  exact(field: string, actual: unknown, expected: unknown): void {
    this.walk(field, actual, expected, (a, b) => a === b);
  }

  private walk(field: string, actual: unknown, expected: unknown, ok: (a: number, b: number) => boolean): void {
    if (Array.isArray(expected)) {
      const a = actual as ArrayLike<unknown>;
      if (a === null || typeof a !== 'object' || a.length !== expected.length) {
        this.failures.push(`${field}: expected ${expected.length} values, got ${describe(actual)}`);
        return;
      }
      expected.forEach((e, i) => this.walk(`${field}[${i}]`, a[i], e, ok));
      return;
    }
    if (typeof expected !== 'number') throw new CaseFormatError(`${field}: expected value is not a number`);
    this.checks++;
    if (typeof actual !== 'number' || !ok(actual, expected)) {
      this.failures.push(`${field}: expected ${expected}, got ${String(actual)}`);
    }
  }

  /** Runs a computation, turning a thrown error into a failure of this field. */
  attempt<T>(field: string, run: () => T): T | undefined {
    try {
      return run();
    } catch (e) {
      this.failures.push(`${field}: threw ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`);
      return undefined;
    }
  }
}

/** The largest finite |value| in a number or nested array of numbers (0 when there is none). */
function largestMagnitude(x: unknown): number {
  if (typeof x === 'number') return Number.isFinite(x) ? Math.abs(x) : 0;
  if (Array.isArray(x)) return x.reduce((m: number, v) => Math.max(m, largestMagnitude(v)), 0);
  return 0;
}

function describe(x: unknown): string {
  if (Array.isArray(x)) return `an array of length ${x.length}`;
  return String(x);
}

/**
 * Checks that a case holds only the given fields (inputs plus expected
 * values) and every required one: an unknown field is an error, never skipped.
 */
export function checkFields(where: string, c: object, known: readonly string[], required: readonly string[] = known): void {
  const unknown = Object.keys(c).filter((k) => !known.includes(k));
  if (unknown.length) throw new CaseFormatError(`${where}: unknown field(s) ${unknown.join(', ')}`);
  const missing = required.filter((k) => !(k in c));
  if (missing.length) throw new CaseFormatError(`${where}: missing field(s) ${missing.join(', ')}`);
}

/** The outcome of one case. */
export interface CaseResult {
  readonly name: string;
  readonly status: 'passed' | 'failed' | 'skipped';
  readonly details: readonly string[];
  /** How many scalar values the case compared. */
  readonly checks: number;
}

/** Runs one case body with a fresh checker. */
export async function runCase(name: string, body: (check: Checker) => void | Promise<void>): Promise<CaseResult> {
  const check = new Checker();
  try {
    await body(check);
  } catch (e) {
    if (e instanceof CaseFormatError) throw e;
    check.failures.push(`threw ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`);
  }
  if (check.failures.length === 0 && check.checks === 0) check.failures.push('compared no value');
  return { name, status: check.failures.length ? 'failed' : 'passed', details: check.failures, checks: check.checks };
}
