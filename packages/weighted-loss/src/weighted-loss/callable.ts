/**
 * Builds the object a loss constructor returns: a real function, so that
 * `model.compile({ loss })` takes the instance as it is (tfjs calls a loss as
 * `loss(yTrue, yPred)` and records its `name`), with the class's prototype,
 * so its methods and `instanceof` work.
 *
 * A JavaScript constructor that returns an object makes `new` return that
 * object: the base class returns this function, and the subclass
 * constructors then run on it as `this`.
 *
 * @param prototype - `new.target.prototype` of the constructor.
 * @param name - The function name tfjs records for the loss.
 * @param call - What the function does: the instance's `call` method.
 * @returns The callable instance.
 * @internal
 */
export function callableInstance<T extends object>(prototype: object, name: string, call: (self: T, yTrue: unknown, yPred: unknown) => unknown): T {
  const self = function loss(yTrue: unknown, yPred: unknown): unknown {
    return call(self as unknown as T, yTrue, yPred);
  };
  Object.setPrototypeOf(self, prototype);
  Object.defineProperty(self, 'name', { value: name });
  return self as unknown as T;
}

/**
 * Sets fields on a callable instance: writable, not enumerable (so a loss
 * logs as a function, not as its tensors). Every loss class declares its
 * fields with `declare`, without initialisers, and sets them here.
 *
 * @param self - The instance.
 * @param fields - The fields and their values.
 * @internal
 */
export function defineFields(self: object, fields: Record<string, unknown>): void {
  for (const [k, v] of Object.entries(fields)) {
    Object.defineProperty(self, k, { value: v, writable: true, enumerable: false, configurable: true });
  }
}
