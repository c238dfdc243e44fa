import { describeGain, objectiveName, standing } from './select.js';
import type { SearchProgress, TreatmentComparison, TreatmentRun } from './types.js';

/** Options of {@link formatComparison}. */
export interface FormatOptions {
  /** Decimals of the scores. Defaults to `3`. */
  readonly digits?: number;
}

const pad = (v: string, n: number) => (v.length >= n ? `${v} ` : v.padEnd(n));

/**
 * A comparison as a plain-text table, one row per run, followed by the
 * verdict and why each pruned run stopped: what to print after a search, or
 * to paste into an issue. A pruned run's scores are in parentheses: they are
 * where it stopped, not what it would have reached.
 *
 * @param comparison - The result of {@link compareTreatments}.
 * @param options - See {@link FormatOptions}.
 * @returns The table and the verdict, lines separated by `\n`.
 *
 * @example
 * ```ts
 * const comparison = await compareTreatments({ model, train, validation, seed: 1 });
 * console.log(formatComparison(comparison));
 * ```
 */
export function formatComparison(comparison: TreatmentComparison, options: FormatOptions = {}): string {
  const d = options.digits ?? 3;
  const { settings: st } = comparison;
  const name = objectiveName(st);
  const f = (v: number, partial: boolean) => (partial ? `(${v.toFixed(d)})` : v.toFixed(d));
  const header = [
    `${comparison.runs.length} runs on ${comparison.backend}, seed ${comparison.seed}; objective ${name}, micro F${st.beta} at most ${st.maxMicroDrop} below plain training's; budget: ${st.budget}; the runs cost ${comparison.costRatio.toFixed(1)}× plain training.`,
    'Validation figures at cross-fitted tuned thresholds.',
    '',
  ];
  const columns = ['run', 'epochs (best)', 'stopped', `micro F${st.beta}`, `macro F${st.beta}`, 'bottom third', 'macro AP', `gain in ${name}${st.level === undefined ? '' : ` (${Math.round(st.level * 100)}% interval)`}`, ''];
  const widths = [Math.max(8, ...comparison.runs.map((r) => r.name.length + 2)), 15, 17, 12, 12, 14, 10, 36, 0];
  const rows = comparison.runs.map((r, i) => {
    const partial = r.stop.kind === 'pruned';
    const status = r === comparison.selected ? 'selected' : standing(r, i);
    return [
      r.name,
      `${r.epochs} (${r.bestEpoch + 1})`,
      r.stop.kind === 'pruned' ? `pruned at ${r.stop.epoch}` : r.stop.kind === 'early-stopping' ? 'early stopping' : 'all epochs',
      f(r.validation.micro, partial),
      f(r.validation.macro, partial),
      f(r.validation.bottomThird, partial),
      f(r.validation.macroAP, partial),
      r.gain === undefined ? '—' : describeGain(r.gain.objective, st.level).replace(/\((\d+)% interval /, '('),
      status === 'plain' ? '' : status,
    ];
  });
  const table = [columns, ...rows].map((cells) => cells.map((c, k) => (k === cells.length - 1 ? c : pad(c, widths[k]!))).join('').trimEnd());
  const pruned = comparison.runs.filter((r) => r.stop.kind === 'pruned');
  const notes = [
    '',
    comparison.verdict,
    ...(pruned.length === 0 ? [] : ['', 'Pruned (scored where they stopped; not selectable):', ...pruned.map((r) => `  ${r.name}: ${r.stop.reason}.`)]),
  ];
  return [...header, ...table, ...notes].join('\n');
}

/** A progress printer for `verbose` 1 or 2, or `undefined` for 0. @internal */
export function consoleProgress(verbose: 0 | 1 | 2): ((e: SearchProgress) => void) | undefined {
  if (verbose === 0) return undefined;
  const out = (globalThis as { process?: { stdout?: { isTTY?: boolean; write(s: string): boolean } } }).process?.stdout;
  const tty = out?.isTTY === true;
  let current = '';
  let epochs = '';
  let batches: number | undefined;
  const rewrite = (line: string) => out?.write(`\r\x1b[2K${line}`);
  const print = (line: string) => {
    if (tty) out!.write(`\r\x1b[2K${line}\n`);
    else console.log(line);
  };
  return (e) => {
    switch (e.type) {
      case 'run-start':
        current = `[${e.index + 1}/${e.total}] ${e.name}`;
        batches = e.batchesPerEpoch;
        epochs = '';
        if (tty) rewrite(current);
        break;
      case 'batch':
        if (tty) rewrite(`${current}  epoch ${e.epoch + 1}${batches === undefined ? '' : `  batch ${e.batch + 1}/${batches}`}  loss ${e.loss.toFixed(4)}${epochs}`);
        break;
      case 'epoch':
        epochs = `  val ${e.score.toFixed(3)}`;
        if (verbose === 2) print(`${current}  epoch ${e.epoch + 1}: validation ${e.score.toFixed(4)}${Number.isNaN(e.objective) ? '' : `, objective ${e.objective.toFixed(4)}`}`);
        break;
      case 'run-end':
        print(runLine(current, e.run));
        break;
    }
  };
}

function runLine(prefix: string, r: TreatmentRun): string {
  const stop = r.stop.kind === 'pruned' ? `pruned at epoch ${r.stop.epoch}` : `${r.epochs} epochs, best ${r.bestEpoch + 1}`;
  const gain = r.gain === undefined ? '' : `  gain ${r.gain.objective.estimate >= 0 ? '+' : '−'}${Math.abs(r.gain.objective.estimate).toFixed(3)} [${r.gain.objective.low.toFixed(3)}, ${r.gain.objective.high.toFixed(3)}]`;
  return `${prefix}  ${stop}  micro ${r.validation.micro.toFixed(3)}  macro ${r.validation.macro.toFixed(3)}${gain}  ${r.seconds.toFixed(1)} s`;
}
