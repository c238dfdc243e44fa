import { QUIET_BACKEND_ENV, resetSlowBackendWarning, slowBackendAdvice, warnSlowBackend } from '@tfjs-imbalance/weight-schemes/internal';

describe('the slow-backend warning', () => {
  const saved = process.env[QUIET_BACKEND_ENV];
  let warn: jest.SpyInstance;
  beforeEach(() => {
    delete process.env[QUIET_BACKEND_ENV];
    resetSlowBackendWarning();
    warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
  });
  afterEach(() => {
    warn.mockRestore();
    if (saved !== undefined) process.env[QUIET_BACKEND_ENV] = saved;
    resetSlowBackendWarning();
  });

  it('advises wasm on the cpu backend in Node only', () => {
    expect(slowBackendAdvice('cpu', 'the search')).toMatch(/^@tfjs-imbalance: the search runs on TensorFlow\.js' pure-JS cpu backend/);
    for (const b of ['wasm', 'tensorflow', 'webgl', 'webgpu']) expect(slowBackendAdvice(b, 'the search')).toBeUndefined();
  });

  it('warns once per process, and not at all when silenced', () => {
    warnSlowBackend('wasm', 'a');
    expect(warn).not.toHaveBeenCalled();
    warnSlowBackend('cpu', 'a');
    warnSlowBackend('cpu', 'b');
    expect(warn).toHaveBeenCalledTimes(1);
    resetSlowBackendWarning();
    warn.mockClear();
    process.env[QUIET_BACKEND_ENV] = '1';
    warnSlowBackend('cpu', 'a');
    expect(warn).not.toHaveBeenCalled();
    process.env[QUIET_BACKEND_ENV] = '0';
    warnSlowBackend('cpu', 'a');
    expect(warn).toHaveBeenCalledTimes(1);
  });
});
