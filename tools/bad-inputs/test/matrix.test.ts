import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { ImbalanceError } from '@tfjs-imbalance/weight-schemes';
import { renderErrorsGuide } from '../src/render';
import { ROWS } from '../src/table';

describe('the bad-input matrix', () => {
  it('covers at least 40 bad inputs across all four packages', () => {
    expect(ROWS.length).toBeGreaterThanOrEqual(40);
    expect(new Set(ROWS.map((r) => r.pkg)).size).toBe(4);
  });

  it.each(ROWS.map((r) => [`${r.pkg}: ${r.call}`, r] as const))('%s', async (_, row) => {
    const before = tf.memory().numTensors;
    let error: unknown;
    tf.engine().startScope(); // disposes the tensors the row's call makes, also for async calls
    try {
      await row.run();
    } catch (e) {
      error = e;
    } finally {
      tf.engine().endScope();
    }
    expect(error).toBeInstanceOf(ImbalanceError);
    expect((error as Error).name).toBe(row.error);
    expect((error as Error).message).toContain(row.fragment);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('is what docs/guides/errors.md shows (run npm run docs:errors after changing the table)', () => {
    const committed = readFileSync(join(__dirname, '..', '..', '..', 'docs', 'guides', 'errors.md'), 'utf8');
    expect(committed).toBe(renderErrorsGuide());
  });
});
