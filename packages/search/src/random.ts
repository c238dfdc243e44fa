import seedrandom from 'seedrandom';

/**
 * The search's random streams, all derived from one seed.
 *
 * tfjs draws every random number it does not get a seed for from
 * `Math.random`: `fit`'s shuffle of the rows each epoch, the masks of
 * dropout layers, unseeded initialisers. While a candidate trains, the search
 * replaces `Math.random` with a stream seeded by the search's seed, the same
 * for every candidate: each sees the same row order in each epoch and the
 * same dropout masks as far as its architecture draws the same numbers
 * (common random numbers), so that the runs differ by their treatment, not
 * by their luck, and the same seed repeats a search exactly on the same
 * backend. The first model's initial weights, which every candidate starts
 * from, are drawn from a stream of their own, and so is the bootstrap of the
 * noise intervals.
 */
export class Streams {
  /** The seed everything derives from. */
  readonly seed: number;

  constructor(seed: number) {
    this.seed = seed;
  }

  /** A fresh uniform stream in [0, 1) for a named use. */
  stream(name: string): () => number {
    return seedrandom.alea(`${this.seed}:${name}`);
  }

  /**
   * Runs `train` with `Math.random` replaced by the training stream, from its
   * start, and restores it afterwards (also when `train` throws). Other code
   * that calls `Math.random` in this thread meanwhile draws from the same
   * stream, which shifts it: the runs stay random, but a rerun repeats
   * exactly only when nothing else draws while the search trains (a worker
   * keeps it whole).
   */
  async withTrainingStream<T>(train: () => Promise<T>): Promise<T> {
    const stream = this.stream('training');
    install(stream);
    try {
      return await train();
    } finally {
      uninstall(stream);
    }
  }

  /** Runs `build` (the model factory, whose initialisers draw from `Math.random`) on the initialisation stream. */
  withInitialisationStream<T>(build: () => T): T {
    const stream = this.stream('initialisation');
    install(stream);
    try {
      return build();
    } finally {
      uninstall(stream);
    }
  }
}

// Searches that train at once in one thread (each awaits between batches) share one replacement of
// Math.random, which draws from the stream of the one that started last, and the original comes back when
// the last one ends: restoring in turn would leave a finished search's stream in place.
let original: (() => number) | undefined;
const active: (() => number)[] = [];

function install(stream: () => number): void {
  if (active.length === 0) {
    original = Math.random;
    Math.random = () => active.at(-1)!();
  }
  active.push(stream);
}

function uninstall(stream: () => number): void {
  active.splice(active.lastIndexOf(stream), 1);
  if (active.length === 0) {
    Math.random = original!;
    original = undefined;
  }
}

/** A seed for a search that was given none: drawn from `Math.random`, reported so the run can be repeated. */
export function drawSeed(): number {
  return Math.floor(Math.random() * 2 ** 31);
}
