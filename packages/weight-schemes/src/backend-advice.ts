/**
 * One warning, once per process, when a long training or the search runs on
 * TensorFlow.js' pure-JS cpu backend in Node: a new user who installs only
 * `@tensorflow/tfjs` trains there, 4–7× slower than on wasm, and tfjs' own
 * banner points at tfjs-node, which cannot install where its binary download
 * is blocked. Browsers are left alone (WebGL is their default; cpu there is a
 * choice).
 */

/** The environment variable that silences the warning (any value but '' or '0'). */
export const QUIET_BACKEND_ENV = 'TFJS_IMBALANCE_NO_BACKEND_WARNING';

let warned = false;

function inNode(): boolean {
  const p = (globalThis as { process?: { versions?: { node?: string } } }).process;
  return typeof p?.versions?.node === 'string';
}

function quiet(): boolean {
  const v = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.[QUIET_BACKEND_ENV];
  return v !== undefined && v !== '' && v !== '0';
}

/** The advice for `what` on `backend`, or `undefined` when there is none to give (not the cpu backend, or not Node). */
export function slowBackendAdvice(backend: string, what: string): string | undefined {
  if (backend !== 'cpu' || !inNode()) return undefined;
  return (
    `@tfjs-imbalance: ${what} runs on TensorFlow.js' pure-JS cpu backend, 4–7× slower in Node than wasm. ` +
    "Install @tensorflow/tfjs-backend-wasm, then `import '@tensorflow/tfjs-backend-wasm'` and `await tf.setBackend('wasm')` before training " +
    `(or use @tensorflow/tfjs-node where its binary installs). Set ${QUIET_BACKEND_ENV}=1 to silence this warning.`
  );
}

/** Warns (console.warn) with {@link slowBackendAdvice}, once per process, unless silenced. */
export function warnSlowBackend(backend: string, what: string): void {
  if (warned || quiet()) return;
  const advice = slowBackendAdvice(backend, what);
  if (advice === undefined) return;
  warned = true;
  console.warn(advice);
}

/** Forgets that the warning was given (tests). */
export function resetSlowBackendWarning(): void {
  warned = false;
}
