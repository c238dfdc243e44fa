/** One measured pair: ours and the baseline, alternated within one run. */
export interface Measurement {
  readonly name: string;
  readonly backend: string;
  readonly ours_ms: number;
  readonly baseline_ms: number;
  readonly ratio: number;
  readonly runs: number;
  readonly goal: number;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

/**
 * Times `ours` and `baseline` alternately after warm-up runs and returns the
 * medians: the two see the same machine load, so their ratio is stable even
 * when absolute times are not.
 */
export async function compare(
  name: string,
  backend: string,
  goal: number,
  ours: () => unknown | Promise<unknown>,
  baseline: () => unknown | Promise<unknown>,
  { warmup = 3, runs = 15, repeat = 1 }: { warmup?: number; runs?: number; repeat?: number } = {},
): Promise<Measurement> {
  for (let i = 0; i < warmup; i++) {
    await ours();
    await baseline();
  }
  const a: number[] = [];
  const b: number[] = [];
  for (let i = 0; i < runs; i++) {
    // Alternate which goes first, so neither always follows the other.
    const pair: [number[], () => unknown][] = i % 2 ? [[b, baseline], [a, ours]] : [[a, ours], [b, baseline]];
    for (const [into, f] of pair) {
      (globalThis as { gc?: () => void }).gc?.(); // collect outside the timing, for both sides alike
      // A sub-millisecond step is timed over `repeat` calls, so timer and GC noise average out.
      const t0 = performance.now();
      for (let k = 0; k < repeat; k++) await f();
      into.push((performance.now() - t0) / repeat);
    }
  }
  const ours_ms = median(a);
  const baseline_ms = median(b);
  return { name, backend, ours_ms, baseline_ms, ratio: ours_ms / baseline_ms, runs: runs * repeat, goal };
}
