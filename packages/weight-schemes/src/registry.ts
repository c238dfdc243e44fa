/**
 * A registry of compile-metric factories shared by the packages, so that a
 * model saved with a metric of one package (the F-beta metric) can be
 * resumed by a helper of another (weighted-loss's `resumeTraining`) without
 * either depending on the other. It lives on `globalThis` under a
 * `Symbol.for` key, so two copies of a package share it.
 * @packageDocumentation
 */

/** What a compile metric built by a registered factory records about itself: the factory's name and its arguments. @internal */
export interface MetricRecipe {
  readonly factory: string;
  readonly args: Record<string, unknown>;
}

/** The property under which a compile metric records its {@link MetricRecipe}. @internal */
export const METRIC_RECIPE: unique symbol = Symbol.for('@tfjs-imbalance/metric-recipe');

type Factory = (args: Record<string, unknown>) => unknown;

/** A map kept on `globalThis` under `Symbol.for(name)`, so two copies of a package share it. */
function shared<T>(name: string): Map<string, T> {
  const g = globalThis as unknown as Record<symbol, Map<string, T> | undefined>;
  return (g[Symbol.for(name)] ??= new Map());
}

const factories = () => shared<Factory>('@tfjs-imbalance/metric-factories');
/** Registers a compile-metric factory under its name (the package that defines it does this on import). @internal */
export function registerMetricFactory(name: string, factory: Factory): void {
  factories().set(name, factory);
}

/** The factory registered under `name`, if its package was imported. @internal */
export function metricFactory(name: string): Factory | undefined {
  return factories().get(name);
}

/** The recipe a compile metric records, if a registered factory built it. @internal */
export function metricRecipe(metric: unknown): MetricRecipe | undefined {
  if (typeof metric !== 'function') return undefined;
  return (metric as unknown as Record<symbol, MetricRecipe | undefined>)[METRIC_RECIPE];
}
