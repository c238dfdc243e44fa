/**
 * Which way is better for an epoch-log key (`'max'`: larger), declared by
 * the object that logs it, as Keras' metrics carry their direction: a
 * callback declares its key on the model it is bound to, when tfjs binds it;
 * a compile metric carries its keys on itself. `earlyStopping({ mode:
 * 'auto' })` reads them from its own model, so two trainings never see each
 * other's keys.
 */
export type Direction = 'max' | 'min';

/** Where a model holds the directions its callbacks declared (a `Symbol.for` key: two copies of the package share it). */
const ON_MODEL = Symbol.for('@tfjs-imbalance/log-directions');

/** Declares, on the model a callback is bound to, which way is better for the key it logs. @internal */
export function declareOnModel(model: object, key: string, direction: Direction): void {
  const m = model as { [ON_MODEL]?: Map<string, Direction> };
  (m[ON_MODEL] ??= new Map()).set(key, direction);
}

/** What a compile metric declares on itself: the direction of each key tfjs logs for it. @internal */
export interface DeclaresDirections {
  readonly directions: Readonly<Record<string, Direction>>;
}

/**
 * The declared direction of a key for a model: by a callback bound to it, or
 * by one of its compiled metrics; `undefined` when nothing declared it.
 * @internal
 */
export function declaredDirection(model: unknown, key: string): Direction | undefined {
  const m = model as { [ON_MODEL]?: Map<string, Direction>; metricsTensors?: unknown } | null | undefined;
  const declared = m?.[ON_MODEL]?.get(key);
  if (declared !== undefined) return declared;
  const metrics = Array.isArray(m?.metricsTensors) ? (m!.metricsTensors as unknown[]) : [];
  for (const entry of metrics) {
    const fn = (Array.isArray(entry) ? entry[0] : entry) as Partial<DeclaresDirections> | undefined;
    const d = fn?.directions?.[key];
    if (d !== undefined) return d;
  }
  return undefined;
}
