import { InvalidOptionError } from '@tfjs-imbalance/weight-schemes';

/*
 * Checks of a tfjs-layers model against what the losses, metrics and
 * callbacks were told: the model is duck-typed (no import of tfjs-layers),
 * so the sample-weight callback and the search use them too, through
 * `@tfjs-imbalance/fbeta-metric/internal`.
 */

/**
 * The activation of a tfjs model's last layer, read from its config (duck-typed,
 * so this package needs no tfjs): `'sigmoid'`, `'softmax'`, `'linear'`, …, or
 * `undefined` when the layer does not say.
 * @internal
 */
export function lastLayerActivation(model: unknown): { layer: string; activation: string } | undefined {
  const layers = (model as { layers?: { name?: string; getConfig?: () => Record<string, unknown> }[] } | null)?.layers;
  const last = Array.isArray(layers) ? layers[layers.length - 1] : undefined;
  const activation = last?.getConfig?.()['activation'];
  return typeof activation === 'string' ? { layer: String(last?.name ?? 'the last layer'), activation } : undefined;
}

/**
 * Throws when what a model outputs contradicts what a loss or metric was told
 * it outputs: a sigmoid or softmax last layer with `from: 'logits'`, or a
 * linear one with `from: 'probabilities'`. Both train without an error and
 * give silently wrong values.
 * @internal
 */
export function checkOutputKind(model: unknown, from: string, argument: string): void {
  const last = lastLayerActivation(model);
  if (last === undefined) return;
  const squashed = last.activation === 'sigmoid' || last.activation === 'softmax';
  if (squashed && from === 'logits') {
    throw new InvalidOptionError(
      argument,
      `is 'logits' but the model's last layer "${last.layer}" has a ${last.activation} activation, so it outputs probabilities. ` +
        `Drop the activation (logits are the stable choice), or pass from: 'probabilities'.`,
    );
  }
  if (last.activation === 'linear' && from === 'probabilities') {
    throw new InvalidOptionError(
      argument,
      `is 'probabilities' but the model's last layer "${last.layer}" has no activation, so it outputs logits. ` +
        `Pass from: 'logits', or give the layer a sigmoid (or softmax) activation.`,
    );
  }
}

/**
 * The property under which a compile metric records what it expects the
 * model to output (`'logits'` or `'probabilities'`), so that callbacks can
 * check it at train begin (a compile metric has no hook of its own).
 * @internal
 */
export const PREDICTION_KIND: unique symbol = Symbol.for('@tfjs-imbalance/prediction-kind');

/**
 * {@link checkOutputKind} for every compile metric of the model that records
 * a {@link PREDICTION_KIND} (the F-beta metric does).
 * @internal
 */
export function checkCompiledMetrics(model: unknown): void {
  const compiled = (model as { metricsTensors?: unknown } | null)?.metricsTensors;
  if (!Array.isArray(compiled)) return;
  for (const entry of compiled) {
    const fn = (Array.isArray(entry) ? entry[0] : undefined) as ({ name?: string } & Record<symbol, unknown>) | undefined;
    const kind = fn?.[PREDICTION_KIND];
    if (typeof kind === 'string') checkOutputKind(model, kind, `args.from of the compile metric "${fn!.name ?? 'fbeta'}"`);
  }
}

/**
 * Throws when `data` is a dataset without end (`size` Infinity, as
 * `tf.data` reports after `.repeat()`), which a callback would read forever
 * at every epoch end. `reads` says what reads it to the end; `fix` ends the
 * message. @internal
 */
export function checkBoundedDataset(argument: string, data: unknown, reads: string, fix: string): void {
  if (data !== null && typeof data === 'object' && (data as { size?: unknown }).size === Infinity) {
    throw new InvalidOptionError(argument, `is an endless dataset (size Infinity, as after .repeat()), and ${reads} reads it to the end, so it would never return. ${fix}`);
  }
}
