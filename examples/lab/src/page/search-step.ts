/**
 * Step 2: the search's settings, and the Web Worker that runs it, with its
 * progress on the page. Cancel terminates the worker (the search has no
 * abort flag); a new search starts a new worker.
 */
import type { LabResult, RunRequest, RunSummary, WorkerMessage } from '../shared/protocol.js';
import { PRESETS, type LabSettings, type PresetName } from '../shared/search.js';
import { byId, el, f3 } from './dom.js';

/** The settings on the page: the preset, with the classes and seed as entered. */
export function readSettings(): LabSettings {
  const preset = (document.querySelector<HTMLInputElement>('input[name="preset"]:checked')?.value ?? 'quick') as PresetName;
  return { ...PRESETS[preset], classes: Number(byId<HTMLInputElement>('classes').value), seed: Number(byId<HTMLInputElement>('seed').value) };
}

/** Sets the classes field to the preset's number when the preset changes. */
export function setupPresets(): void {
  for (const radio of document.querySelectorAll<HTMLInputElement>('input[name="preset"]')) {
    radio.addEventListener('change', () => {
      if (radio.checked) byId<HTMLInputElement>('classes').value = String(PRESETS[radio.value as PresetName].classes);
    });
  }
}

/** What a running search reports back. */
export interface SearchCallbacks {
  readonly done: (result: LabResult, modelJson: string, weights: ArrayBuffer) => void;
  readonly failed: (message: string) => void;
}

/** One search in its own worker. */
export class SearchRun {
  private readonly worker: Worker;
  private readonly started = performance.now();
  private total = 1;
  private index = 0;
  private epochs: number;
  private batches: number | undefined;
  private lastScore = Number.NaN;
  private finished = false;

  constructor(request: RunRequest, private readonly callbacks: SearchCallbacks) {
    this.epochs = request.settings.epochs;
    this.worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module', name: 'tfjs-imbalance search' });
    this.worker.onmessage = (e: MessageEvent<WorkerMessage>) => this.handle(e.data);
    this.worker.onerror = (e) => {
      e.preventDefault();
      this.fail(`The search's worker failed to run: ${e.message || 'its script did not load'}.`);
    };
    this.worker.postMessage(request);
    byId('backend-status').textContent = 'Starting the worker and a TensorFlow.js backend…';
    byId('progress').hidden = false;
    this.setProgress(0, 'Preparing the features…');
  }

  /** Stops the worker at once, wherever the search is. */
  cancel(): void {
    if (this.finished) return;
    this.finished = true;
    this.worker.terminate();
    this.setProgress(0, `Cancelled after ${this.seconds()} s: the worker was stopped and nothing was kept.`);
    byId('progress').hidden = true;
  }

  private seconds = () => ((performance.now() - this.started) / 1000).toFixed(1);

  private fail(message: string): void {
    if (this.finished) return;
    this.finished = true;
    this.worker.terminate();
    byId('progress').hidden = true;
    this.setProgress(0, '');
    this.callbacks.failed(message);
  }

  private setProgress(fraction: number, text: string): void {
    const bar = byId<HTMLProgressElement>('progress');
    bar.value = Math.max(0, Math.min(1, fraction));
    bar.setAttribute('aria-valuetext', `${Math.round(bar.value * 100)}%`);
    byId('progress-text').textContent = text;
  }

  private handle(m: WorkerMessage): void {
    if (this.finished) return;
    switch (m.type) {
      case 'backend':
        byId('backend-status').textContent = `Training on ${m.detail}${m.skipped.length ? `; skipped ${m.skipped.join('; ')}` : ''}.`;
        break;
      case 'prepared':
        this.setProgress(0, `Features ready: ${m.dim.toLocaleString('en')} inputs, ${m.classes} classes. Starting plain training…`);
        break;
      case 'run-start':
        this.index = m.index;
        this.total = m.total;
        this.batches = m.batches;
        this.lastScore = Number.NaN;
        this.setProgress(m.index / m.total, `Run ${m.index + 1} of ${m.total}: ${m.name}, starting…`);
        break;
      case 'batch': {
        const within = (m.epoch + (this.batches ? (m.batch + 1) / this.batches : 0)) / this.epochs;
        const score = Number.isNaN(this.lastScore) ? '' : `; last validation micro F0.5 ${f3(this.lastScore)}`;
        this.setProgress((this.index + Math.min(1, within)) / this.total, `Run ${this.index + 1} of ${this.total}: ${m.name}, epoch ${m.epoch + 1} of at most ${this.epochs}, batch ${m.batch + 1}${this.batches ? ` of ${this.batches}` : ''}, loss ${m.loss.toFixed(4)}${score} (${this.seconds()} s)`);
        break;
      }
      case 'epoch':
        this.lastScore = m.score;
        this.setProgress((this.index + Math.min(1, (m.epoch + 1) / this.epochs)) / this.total, `Run ${this.index + 1} of ${this.total}: ${m.name}, epoch ${m.epoch + 1} done, validation micro F0.5 ${f3(m.score)} (${this.seconds()} s)`);
        break;
      case 'run-end':
        byId('run-log').append(el('li', {}, runLine(m.run)));
        this.setProgress((this.index + 1) / this.total, `Run ${this.index + 1} of ${this.total} done (${this.seconds()} s).`);
        break;
      case 'done':
        this.finished = true;
        this.worker.terminate();
        this.setProgress(1, `Done in ${this.seconds()} s.`);
        this.callbacks.done(m.result, m.modelJson, m.weights);
        break;
      case 'error':
        this.fail(m.message);
        break;
    }
  }
}

function runLine(r: RunSummary): string {
  const stop = r.stop.kind === 'pruned' ? `pruned at epoch ${r.stop.epoch}` : `${r.epochs} epochs (best ${r.bestEpoch + 1})`;
  const gain = r.gain === undefined ? '' : `, gain ${r.gain.objective.estimate >= 0 ? '+' : '−'}${Math.abs(r.gain.objective.estimate).toFixed(3)}`;
  return `${r.name}: ${stop}; validation micro ${f3(r.validation.micro)}, macro ${f3(r.validation.macro)}${gain}; ${r.seconds.toFixed(1)} s`;
}
