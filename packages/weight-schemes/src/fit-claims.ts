/**
 * One object, one running fit. A callback or a loss whose state belongs to
 * one training (the model whose scores a callback logs, the best weights
 * early stopping keeps, the class weights a callback sets on a loss) gives
 * wrong answers, silently, when two fits of different models share it at
 * the same time. Each such object claims the model at train begin; a claim
 * held by another model whose fit is still running is refused. A claim needs
 * no release: once that model's fit is over (tfjs clears its `isTraining`,
 * also when the fit throws), the next fit takes the object over.
 */
import { InvalidOptionError } from './errors.js';

const claims = new WeakMap<object, object>();

function training(model: object): boolean {
  return (model as { isTraining?: unknown }).isTraining === true;
}

/**
 * Claims `owner` for the fit of `model`, or throws when another model's fit
 * that is still running holds it. `argument` and `what` name the object in
 * the error; `why` says what sharing it would get wrong. @internal
 */
export function claimForFit(owner: object, model: unknown, argument: string, what: string, why: string): void {
  if (model === null || typeof model !== 'object') return;
  const holder = claims.get(owner);
  if (holder !== undefined && holder !== model && training(holder)) {
    throw new InvalidOptionError(argument, `${what} is already in a running fit of another model, so ${why}. Give each fit that runs at the same time its own (build it once per model).`);
  }
  claims.set(owner, model);
}
