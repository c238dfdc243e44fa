/**
 * A trained candidate's validation scores: its thresholds, eligibility and,
 * after plain training, its gain over plain training with the noise
 * interval. @internal
 */
import { predictLogits } from './inputs.js';
import { pairedBootstrap, type Interval, type ResampledRun, type Score } from './noise.js';
import { objectiveOf, scoreValidation, type MicroReference } from './scores.js';
import { floorOf, type SearchPlan, type TrainedCandidate } from './train-candidate.js';
import type { TreatmentRun } from './types.js';

/** Plain training's scored run, what the other runs are measured against. */
export interface PlainScores {
  readonly run: TreatmentRun;
  readonly reference: MicroReference;
  readonly resampled: ResampledRun;
}

/** A scored run, with its out-of-fold predictions (for the bootstrap) and, for plain training, its micro reference. */
export interface ScoredCandidate {
  readonly run: TreatmentRun;
  readonly resampled: ResampledRun;
  readonly reference: MicroReference | undefined;
}

/**
 * Scores a trained candidate on validation: its thresholds, eligibility and,
 * after plain training, its gain with the noise interval. A worker thread
 * scores the candidate it trained (the bootstrap's streams are seeded by the
 * run's name, so the answer is the same), which keeps the parent's thread,
 * on a core the workers need, free.
 */
export async function scoreRun(plan: SearchPlan, trained: TrainedCandidate, plain: PlainScores | undefined): Promise<ScoredCandidate> {
  const s = plan.settings;
  const logits = await predictLogits(trained.model, plan.validation, s.batchSize);
  const floor = floorOf(s, plain?.reference, plan.bottomThird, plan.yVal.shape[1]);
  const plainRun = plain?.run;
  const score = (f: typeof floor) => scoreValidation(plan.yVal, logits, { beta: s.beta, tail: plan.bottomThird, thresholds: true, floor: f });
  const eligibleAt = (v: TreatmentRun['validation']) => plainRun === undefined || s.objective === 'micro' || v.micro >= plainRun.validation.micro - s.maxMicroDrop;
  let scored = score(floor);
  const eligible = eligibleAt(scored.scores);
  // A run the floor cannot bring within the trade-off keeps the thresholds that are best for its objective: raising
  // them for micro F-beta it cannot keep anyway would only cost the objective (debtags, 200 tags, INS: cross-fitted
  // validation macro F0.5 0.456 floored, 0.470 not, 0.462 at 0.5).
  if (!eligible && floor !== undefined) scored = score(undefined);
  const validation = scored.scores;
  const gain = plain === undefined ? undefined : gainOver(plan, scored.resampled, plain.resampled, validation, plain.run, trained.treatment.name);
  const run: TreatmentRun = {
    name: trained.treatment.name,
    treatment: trained.treatment,
    validation,
    objective: objectiveOf(validation, s.objective),
    eligible,
    gain,
    stop: trained.stop,
    thresholds: scored.thresholds ?? [],
    epochs: trained.epochs,
    bestEpoch: trained.bestEpoch,
    prunedAt: trained.stop.kind === 'pruned' ? trained.stop.epoch : undefined,
    curve: trained.curve,
    seconds: trained.seconds,
  };
  return { run, resampled: scored.resampled, reference: scored.reference };
}

/** The gain over plain training in the objective and in micro F-beta, with the paired bootstrap's intervals (point estimates with `noise: false`). */
function gainOver(plan: SearchPlan, run: ResampledRun, plain: ResampledRun, v: TreatmentRun['validation'], plainRun: TreatmentRun, name: string): { objective: Interval; micro: Interval } {
  const s = plan.settings;
  const objectiveScore: Score =
    s.objective === 'macro-ap'
      ? { kind: 'ap' }
      : { kind: 'f', beta: s.beta, classes: s.objective === 'bottom-third' ? plan.bottomThird : 'all', micro: s.objective === 'micro' };
  const point = (d: number): Interval => ({ estimate: d, low: d, high: d });
  if (s.noise === undefined) {
    return { objective: point(objectiveOf(v, s.objective) - plainRun.objective), micro: point(v.micro - plainRun.validation.micro) };
  }
  const settings = { resamples: s.noise.resamples, level: s.noise.level };
  return {
    objective: pairedBootstrap(plan.yVal, run, plain, objectiveScore, { ...settings, rand: plan.streams.stream(`bootstrap:objective:${name}`) }),
    micro: pairedBootstrap(plan.yVal, run, plain, { kind: 'f', beta: s.beta, classes: 'all', micro: true }, { ...settings, rand: plan.streams.stream(`bootstrap:micro:${name}`) }),
  };
}

