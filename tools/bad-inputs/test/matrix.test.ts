import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { ImbalanceError } from '@tfjs-imbalance/weight-schemes';
import { renderErrorsGuide } from '../src/render';
import { ROWS } from '../src/table';

describe('the bad-input matrix', () => {
  it('covers at least 120 bad inputs across all five packages, inside fit too', () => {
    expect(ROWS.length).toBeGreaterThanOrEqual(120);
    expect(ROWS.filter((r) => r.call.includes('model.fit')).length).toBeGreaterThanOrEqual(10);
    expect(new Set(ROWS.map((r) => r.pkg)).size).toBe(5);
  });

  /** Runs a call in a scope (which disposes the tensors it makes, also for async calls); returns its error and the tensors it left. */
  async function leftBehind(run: () => unknown): Promise<{ error: unknown; leaked: number }> {
    const before = tf.memory().numTensors;
    let error: unknown;
    tf.engine().startScope();
    try {
      await run();
    } catch (e) {
      error = e;
    } finally {
      tf.engine().endScope();
    }
    return { error, leaked: tf.memory().numTensors - before };
  }

  it.each(ROWS.map((r) => [`${r.pkg}: ${r.call}`, r] as const))('%s', async (_, row) => {
    const { error, leaked } = await leftBehind(row.run);
    expect(error).toBeInstanceOf(ImbalanceError);
    expect((error as Error).name).toBe(row.error);
    expect((error as Error).message).toContain(row.fragment);
    // Inside fit, tfjs-layers itself leaves tensors behind when a loss or callback throws: no more than that.
    const allowed = row.tfjsBaseline === undefined ? 0 : (await leftBehind(row.tfjsBaseline)).leaked;
    expect(leaked).toBeLessThanOrEqual(allowed);
  });

  it('is what docs/guides/errors.md shows (run npm run docs:errors after changing the table)', () => {
    const committed = readFileSync(join(__dirname, '..', '..', '..', 'docs', 'guides', 'errors.md'), 'utf8');
    expect(committed).toBe(renderErrorsGuide());
  });
});
