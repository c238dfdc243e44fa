import * as tf from '@tensorflow/tfjs-core';
import { describeBackend, selectBackend } from '@tfjs-imbalance/backend';

describe('selectBackend', () => {
  afterAll(async () => {
    await tf.setBackend('cpu');
  });

  it('skips a backend that fails to load, says why, and uses the next one', async () => {
    const choice = await selectBackend({ order: ['tensorflow', 'cpu'] });
    // tfjs-node is an optional dependency: it installs only where libtensorflow can be downloaded.
    expect(['tensorflow', 'cpu']).toContain(choice.name);
    expect(tf.getBackend()).toBe(choice.name);
    if (choice.name === 'cpu') {
      expect(choice.skipped[0]).toMatch(/^tensorflow: /);
      expect(describeBackend(choice)).toMatch(/^backend: cpu \(@tensorflow\/tfjs-backend-cpu\); skipped tensorflow: /);
    }
  });

  it('rejects an unknown backend name', async () => {
    await expect(selectBackend({ order: ['webgpu' as never] })).rejects.toThrow('unknown backend "webgpu"');
  });
});
