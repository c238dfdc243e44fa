import { InvalidOptionError } from '@tfjs-imbalance/weight-schemes';
import { describe } from '@tfjs-imbalance/weight-schemes/internal';
import type { WeightedLoss } from './weighted-loss.js';

/**
 * Rebuilds a loss from the `config` of its `getConfig()`: the constructor
 * arguments, and `emptyRowWeightValue`, the weight of empty rows the
 * callback had set under `emptyRowWeight: 'as-class'`, which is state, not
 * an argument. Every loss class's static `fromConfig` (what tfjs'
 * `tf.serialization` registry calls after `registerLosses()`) and
 * `lossFromConfig` go through here. @internal
 */
export function restoreLoss<L extends WeightedLoss>(config: unknown, make: (args: never) => L, argument = 'config'): L {
  if (config === null || typeof config !== 'object') {
    throw new InvalidOptionError(argument, `expected the constructor arguments from loss.getConfig().config, got ${describe(config)}.`);
  }
  const { emptyRowWeightValue, ...args } = config as Record<string, unknown>;
  if (emptyRowWeightValue !== undefined && (typeof emptyRowWeightValue !== 'number' || !Number.isFinite(emptyRowWeightValue) || emptyRowWeightValue < 0)) {
    throw new InvalidOptionError(`${argument}.emptyRowWeightValue`, `must be a finite number ≥ 0 (the weight of rows with no positive label), got ${describe(emptyRowWeightValue)}.`);
  }
  const loss = make(args as never);
  // The current weight of empty rows under 'as-class', which the callback had set.
  if (typeof emptyRowWeightValue === 'number' && loss.emptyRowWeight === 'as-class') {
    try {
      loss.setEmptyRowWeight(emptyRowWeightValue);
    } catch (e) {
      loss.dispose();
      throw e;
    }
  }
  return loss;
}
