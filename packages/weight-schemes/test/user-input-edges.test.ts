import { countMultiHot } from '@tfjs-imbalance/weight-schemes';

describe('user-input edges', () => {
  it('a blank or unparsed CSV cell is an error naming the cell, never a silent 0', () => {
    expect(() => countMultiHot([[1, 0], [0, ' ' as never]])).toThrow('labels: value at row 1, column 1 is string  ; labels and scores must be numbers. Parse the cells first (Number(cell))');
    expect(() => countMultiHot([['' as never, 1]])).toThrow('labels: value at row 0, column 0 is');
    expect(() => countMultiHot([[null as never, 1]])).toThrow('labels: value at row 0, column 0 is null; labels and scores must be numbers. Fill in the missing value.');
    // Numbers, booleans and typed arrays still count.
    expect(countMultiHot([[1, 0], [true as never, 1], Float32Array.from([0, 1])]).positives).toEqual([2, 2]);
  });

});

describe('checkFloat32Backend', () => {
  const fake = (backend: string, flags: Record<string, boolean>) => ({ getBackend: () => backend, env: () => ({ getBool: (f: string) => flags[f] ?? false }) });
  it('refuses WebGL with 16-bit textures, forced or for want of float32 render targets, and nothing else', async () => {
    const { checkFloat32Backend } = await import('@tfjs-imbalance/weight-schemes/internal');
    expect(() => checkFloat32Backend(fake('webgl', { WEBGL_FORCE_F16_TEXTURES: true, WEBGL_RENDER_FLOAT32_ENABLED: true }), 'the loss')).toThrow('backend: is WebGL with 16-bit float textures');
    expect(() => checkFloat32Backend(fake('webgl', { WEBGL_RENDER_FLOAT32_ENABLED: false }), 'the loss')).toThrow("Use the wasm or cpu backend (tf.setBackend('wasm'))");
    expect(() => checkFloat32Backend(fake('webgl', { WEBGL_RENDER_FLOAT32_ENABLED: true }), 'the loss')).not.toThrow();
    expect(() => checkFloat32Backend(fake('webgpu', {}), 'the loss')).not.toThrow();
    expect(() => checkFloat32Backend(fake('wasm', {}), 'the loss')).not.toThrow();
  });
});
