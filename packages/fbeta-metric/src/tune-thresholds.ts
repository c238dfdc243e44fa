import * as tf from '@tensorflow/tfjs-core';
import { ShapeMismatchError, checkOptionNames, toDenseMatrix, type LabelMatrix } from '@tfjs-imbalance/weight-schemes';
import { checkFBeta } from './fbeta-scores.js';
import { resolvePredictionArgs, type ScoreKind } from './prediction-options.js';

/** Options of {@link tuneThresholds}. */
export interface TuneThresholdsOptions {
  /** The β whose F-beta is maximised, per class. Defaults to `0.5`. */
  readonly beta?: number;
  /** What the scores are. Thresholds are always returned as probabilities. Defaults to `'probabilities'`. */
  readonly from?: ScoreKind;
  /** The threshold a class keeps unless another is strictly better on this data. Defaults to `0.5`. */
  readonly initial?: number;
}

/** The result of {@link tuneThresholds}. */
export interface TunedThresholds {
  /** One probability threshold per class, to be strictly exceeded (pass it as `threshold` to the accumulator or callback). */
  readonly thresholds: number[];
  /** Each class's F-beta on the tuning data at its tuned threshold. */
  readonly f: number[];
  /** Each class's F-beta on the tuning data at the initial threshold. */
  readonly fInitial: number[];
}

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

/**
 * Per-class thresholds that maximise F-beta on held-out data. Re-weighting
 * changes the model's calibration (a boosted rare class scores high much
 * more readily), so the default 0.5 is rarely the best cut-off afterwards.
 * Tune on validation data, then apply the thresholds to test data.
 *
 * For each class it sorts the scores once and tries every cut between two
 * distinct scores (the midpoint, so float rounding cannot flip a decision):
 * O(N log N) per class, exact. A class keeps `initial` unless another
 * threshold is strictly better, so classes with no positive example keep it.
 *
 * @param yTrue - Multi-hot validation labels [N, C] (arrays or a tensor).
 * @param scores - The model's scores [N, C], probabilities or logits.
 * @param options - See {@link TuneThresholdsOptions}.
 * @returns The thresholds and the F-beta they reach on this data.
 *
 * @example Tune on validation, score on test
 * ```ts
 * const { thresholds } = tuneThresholds(yVal, valLogits, { beta: 0.5, from: 'logits' });
 * const test = new FBetaAccumulator({ beta: 0.5, from: 'logits', threshold: thresholds }).update(yTest, testLogits).result();
 * ```
 */
export function tuneThresholds(
  yTrue: LabelMatrix | tf.Tensor,
  scores: LabelMatrix | tf.Tensor,
  options: TuneThresholdsOptions = {},
): TunedThresholds {
  checkOptionNames('options', options, ['beta', 'from', 'initial']);
  const beta = checkFBeta('options.beta', options.beta ?? 0.5);
  const { from, threshold: initial } = resolvePredictionArgs(
    { from: options.from ?? 'probabilities', threshold: options.initial ?? 0.5 },
    'options',
  ) as { from: ScoreKind; threshold: number };
  const y = toDenseMatrix('yTrue', yTrue as LabelMatrix);
  const s = toDenseMatrix('scores', scores as LabelMatrix, { values: from === 'logits' ? 'finite' : 'probabilities' });
  if (y.rows !== s.rows || y.cols !== s.cols) {
    throw new ShapeMismatchError('scores', `has shape [${s.rows}, ${s.cols}] but yTrue has shape [${y.rows}, ${y.cols}]; they must match.`);
  }
  const b2 = beta * beta;
  const fOf = (tp: number, fp: number, fn: number) => {
    const den = (1 + b2) * tp + b2 * fn + fp;
    return den === 0 ? 0 : ((1 + b2) * tp) / den;
  };
  const N = y.rows;
  const C = y.cols;
  const thresholds: number[] = [];
  const f: number[] = [];
  const fInitial: number[] = [];
  for (let c = 0; c < C; c++) {
    const p = new Float64Array(N);
    const pos = new Uint8Array(N);
    let positives = 0;
    for (let i = 0; i < N; i++) {
      const v = s.data[i * C + c] as number;
      p[i] = from === 'logits' ? sigmoid(v) : v;
      pos[i] = (y.data[i * C + c] as number) >= 0.5 ? 1 : 0;
      positives += pos[i]!;
    }
    // F-beta at the initial threshold.
    let tp0 = 0;
    let fp0 = 0;
    for (let i = 0; i < N; i++) {
      if (p[i]! > initial) {
        if (pos[i]) tp0++;
        else fp0++;
      }
    }
    let best = fOf(tp0, fp0, positives - tp0);
    let bestT = initial;
    fInitial.push(best);
    // Sweep the cuts from the highest score down: predict everything above the cut.
    const order = Array.from(p.keys()).sort((a, b) => p[b]! - p[a]!);
    let tp = 0;
    let fp = 0;
    for (let k = 0; k < N; ) {
      const v = p[order[k]!]!;
      while (k < N && p[order[k]!]! === v) {
        if (pos[order[k]!]) tp++;
        else fp++;
        k++;
      }
      const next = k < N ? p[order[k]!]! : 0;
      const cut = k < N ? (v + next) / 2 : next < v ? next : v; // below the lowest score
      const score = fOf(tp, fp, positives - tp);
      if (score > best && (k < N || cut < v)) {
        best = score;
        bestT = cut;
      }
    }
    thresholds.push(bestT);
    f.push(best);
  }
  return { thresholds, f, fInitial };
}
