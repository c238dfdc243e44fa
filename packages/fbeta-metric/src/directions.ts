/**
 * The direction of each log key the F-beta package writes, declared by the
 * callback or metric that writes it, so that `earlyStopping` does not guess
 * from the name (a custom `logName: 'val_quality'` is a score to maximise).
 * Kept on `globalThis` under a `Symbol.for` key, so two copies of the
 * package share it.
 * @packageDocumentation
 */

type Direction = 'max' | 'min';
const KEY = Symbol.for('@tfjs-imbalance/log-directions');

function directions(): Map<string, Direction> {
  const g = globalThis as unknown as Record<symbol, Map<string, Direction> | undefined>;
  return (g[KEY] ??= new Map());
}

/** Declares that larger (or smaller) values of a log key are better. @internal */
export function declareDirection(key: string, direction: Direction): void {
  directions().set(key, direction);
}

/** The declared direction of a log key, if a callback or metric declared one. @internal */
export function declaredDirection(key: string): Direction | undefined {
  return directions().get(key);
}
