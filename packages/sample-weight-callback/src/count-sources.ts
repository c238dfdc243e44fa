import type { BatchSource, ClassCounts, LabelFormat, LabelMatrix } from '@tfjs-imbalance/weight-schemes';
import type { OnlineCounts, Weighting } from '@tfjs-imbalance/weighted-loss';
import { checkClassCount } from './args.js';
import { countData } from './count-data.js';

/**
 * Where the sample-weight callback's class counts come from, answering "the
 * counts the weights use now": fixed counts ({@link FixedCounts}), the
 * training set counted during each epoch ({@link EpochCounts}), or decayed
 * running counts ({@link DecayedCounts}). Online sources read the losses'
 * counts without blocking, only when they may have changed.
 * @internal
 */
export interface CountSource {
  /** Whether the counts come from the training batches (early batches may miss classes). */
  readonly online: boolean;
  /** At train begin, after the losses' counts were cleared. */
  begin(): Promise<void>;
  /** At the first epoch of a fit: 0, or fit's `initialEpoch` when training resumes. */
  startFit(epoch: number): void;
  /** The counts the weights come from now; `undefined` while nothing was counted. */
  now(): Promise<ClassCounts | undefined>;
  /** After a training batch: the counts the weights should follow now (with `perBatch`), else `undefined`. */
  afterBatch(perBatch: boolean): Promise<ClassCounts | undefined>;
  /** At an epoch's end. @returns Whether the counts were renewed as a whole (this fit's first complete epoch). */
  endEpoch(): Promise<boolean>;
  /** The counts last known, without a read (for the callback's table). */
  known(): ClassCounts | undefined;
}

/** Counts with every class at 0 are no counts yet (the start of an online fit). */
function countsOf(c: OnlineCounts | ClassCounts | undefined): ClassCounts | undefined {
  if (c === undefined || c.positives.every((n) => n === 0)) return undefined;
  return { positives: c.positives, samples: c.samples, emptyRows: c.emptyRows };
}

/** Known counts: given, or counted from `data` at the first train begin. @internal */
export class FixedCounts implements CountSource {
  readonly online = false;
  constructor(
    private counts: ClassCounts | undefined,
    private readonly data: LabelMatrix | BatchSource<unknown> | undefined,
    private readonly weighting: Weighting,
    private readonly format: LabelFormat,
  ) {}

  async begin(): Promise<void> {
    if (this.counts !== undefined || this.data === undefined) return;
    this.counts = await countData(this.data, this.format, this.weighting.numClasses, this.weighting.ignoreClass);
    checkClassCount(this.counts.positives.length, this.weighting.numClasses, 'args.data');
  }
  startFit(): void {}
  async now(): Promise<ClassCounts | undefined> {
    return this.counts;
  }
  async afterBatch(): Promise<undefined> {
    return undefined; // fixed counts cannot change
  }
  async endEpoch(): Promise<boolean> {
    return false;
  }
  known(): ClassCounts | undefined {
    return this.counts;
  }
}

/** Reads the losses' online counts without blocking (they throw on invalid labels); the first loss's are the counts. */
async function readOnline(weightings: readonly Weighting[], restart: boolean): Promise<OnlineCounts> {
  const [counts] = await Promise.all(weightings.map((w) => w.counts({ restart })));
  return counts!;
}

/**
 * The training set, counted during each epoch: the running counts until a
 * first epoch of the fit is complete, then the last complete epoch's. A
 * resumed fit keeps the weights it was saved with until its first epoch is
 * counted.
 * @internal
 */
export class EpochCounts implements CountSource {
  readonly online = true;
  private epochCounts: ClassCounts | undefined;
  private running: OnlineCounts | undefined;
  private resumed = false;
  constructor(private readonly weightings: readonly Weighting[]) {}

  async begin(): Promise<void> {
    this.epochCounts = undefined;
    this.running = undefined;
    this.resumed = false;
  }
  startFit(epoch: number): void {
    this.resumed = epoch > 0;
  }
  async now(): Promise<ClassCounts | undefined> {
    if (this.epochCounts !== undefined) return this.epochCounts;
    this.running = await readOnline(this.weightings, false);
    return countsOf(this.running);
  }
  async afterBatch(perBatch: boolean): Promise<ClassCounts | undefined> {
    if (!perBatch || this.epochCounts !== undefined || this.resumed) return undefined;
    this.running = await readOnline(this.weightings, false);
    return countsOf(this.running);
  }
  async endEpoch(): Promise<boolean> {
    const first = this.epochCounts === undefined;
    // This epoch's counts are the training set's; the next epoch is counted afresh.
    this.epochCounts = countsOf(await readOnline(this.weightings, true)) ?? this.epochCounts;
    return first && this.epochCounts !== undefined;
  }
  known(): ClassCounts | undefined {
    return this.epochCounts ?? countsOf(this.running);
  }
}

/** Exponentially decayed running counts: multiplied by `decay` after every batch. @internal */
export class DecayedCounts implements CountSource {
  readonly online = true;
  private running: OnlineCounts | undefined;
  constructor(
    private readonly weightings: readonly Weighting[],
    private readonly decay: number,
  ) {}

  async begin(): Promise<void> {
    this.running = undefined;
  }
  startFit(): void {}
  async now(): Promise<ClassCounts | undefined> {
    this.running = await readOnline(this.weightings, false);
    return countsOf(this.running);
  }
  async afterBatch(perBatch: boolean): Promise<ClassCounts | undefined> {
    const counts = perBatch ? await this.now() : undefined;
    for (const w of this.weightings) w.decay(this.decay);
    return counts;
  }
  async endEpoch(): Promise<boolean> {
    this.running = await readOnline(this.weightings, false); // checks the epoch's labels
    return false;
  }
  known(): ClassCounts | undefined {
    return countsOf(this.running);
  }
}
