import type { MetricRecipe } from '@tfjs-imbalance/weight-schemes/internal';
import type { WeightedLossConfig } from './weighted-loss/args.js';

/** The user-defined-metadata key under which the loss (and, by {@link saveForResume}, the metrics) are saved with a model. */
export const TRAINING_METADATA_KEY = 'tfjsImbalanceTraining';

/** The key `attachLossConfig` wrote before 0.2; models saved with it still load. @internal */
export const FORMER_LOSS_METADATA_KEY = 'tfjsImbalanceLoss';

/** One output's loss as saved: one of ours by its config, or a tfjs loss by name. @internal */
export type SavedLoss = { readonly weightedLoss: WeightedLossConfig } | { readonly name: string };
/** One metric as saved: one of ours by its recipe, or a tfjs metric by name. @internal */
export type SavedMetric = { readonly recipe: MetricRecipe } | { readonly name: string };
/** One item, a list, or a record by output name. @internal */
export type Nested<T> = T | T[] | Record<string, T>;

/** What is saved under {@link TRAINING_METADATA_KEY}. @internal */
export interface SavedTraining {
  readonly version: 1;
  readonly loss: Nested<SavedLoss>;
  readonly metrics?: Nested<SavedMetric | SavedMetric[]>;
}
