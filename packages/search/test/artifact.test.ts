import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { compareTreatments, loadClassifier, saveClassifier, type TreatmentComparison } from '@tfjs-imbalance/search';

function problem(rows: number, seed: number) {
  let s = seed;
  const rand = () => ((s = (s * 16807) % 2147483647) / 2147483647);
  const x = Array.from({ length: rows }, () => Array.from({ length: 6 }, () => rand() * 2 - 1));
  const y = x.map((r) => [r[0]! + r[1]! > 0 ? 1 : 0, r[2]! > 0.6 ? 1 : 0, r[3]! - r[4]! > 1 ? 1 : 0]);
  return { x: tf.tensor2d(x), y: tf.tensor2d(y) };
}

describe('saveClassifier and loadClassifier', () => {
  let comparison: TreatmentComparison;
  let dir: string;
  const train = problem(400, 3);
  const validation = problem(200, 5);
  beforeAll(async () => {
    comparison = await compareTreatments({
      model: () => tfl.sequential({ layers: [tfl.layers.dense({ units: 3, inputShape: [6] })] }),
      train,
      validation,
      candidates: [{ name: 'plain' }, { name: 'ins', scheme: 'ins' }],
      epochs: 3,
      batchSize: 64,
      seed: 1,
      optimizer: () => tf.train.adam(0.05),
    });
    dir = mkdtempSync(join(tmpdir(), 'classifier-'));
  });
  afterAll(() => {
    comparison.dispose();
    tf.dispose([train.x, train.y, validation.x, validation.y]);
    rmSync(dir, { recursive: true, force: true });
  });

  it('saves model.json and weights.bin without optimizer state or training config, and a fresh Node process predicts the same labels', async () => {
    await saveClassifier(comparison, dir, { labels: ['left', 'middle', 'right'] });
    expect(readdirSync(dir).sort()).toEqual(['model.json', 'weights.bin']);
    const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
    expect(json.trainingConfig).toBeUndefined();
    // The weights of one dense layer 6 → 3, and nothing else (no Adam moments).
    expect(readFileSync(join(dir, 'weights.bin')).byteLength).toBe((6 * 3 + 3) * 4);
    expect(json.userDefinedMetadata.tfjsImbalanceClassifier.labels).toEqual(['left', 'middle', 'right']);
    expect(json.userDefinedMetadata.tfjsImbalanceClassifier.selection.verdict).toBe(comparison.verdict);

    const here = await loadClassifier(dir);
    const rows = (await validation.x.array()) as number[][];
    const expected = await here.predict(validation.x);
    // The same labels as the search's model at its thresholds.
    const logits = (await (comparison.model.predict(validation.x) as tf.Tensor).array()) as number[][];
    const byThreshold = logits.map((r) => ['left', 'middle', 'right'].filter((_, c) => 1 / (1 + Math.exp(-r[c]!)) > comparison.selected.thresholds[c]!));
    expect(expected).toEqual(byThreshold);
    expect(here.thresholds).toEqual(comparison.selected.thresholds);
    here.dispose();

    // A fresh process with plain tfjs (core, layers, cpu) and the built package, as a user's script.
    const script = `
      import * as tf from '@tensorflow/tfjs-core';
      import '@tensorflow/tfjs-layers';
      import '@tensorflow/tfjs-backend-cpu';
      import { loadClassifier } from '@tfjs-imbalance/search';
      const rows = JSON.parse(process.argv[1]);
      const c = await loadClassifier(process.argv[2]);
      const x = tf.tensor2d(rows);
      process.stdout.write(JSON.stringify(await c.predict(x)));
      x.dispose(); c.dispose();`;
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script, JSON.stringify(rows), dir], { cwd: __dirname, encoding: 'utf8' });
    expect(JSON.parse(out)).toEqual(expected);
  });

  it('takes a model and thresholds, and refuses what does not fit, naming the argument', async () => {
    const m = tfl.sequential({ layers: [tfl.layers.dense({ units: 2, inputShape: [6] })] });
    const d = mkdtempSync(join(tmpdir(), 'classifier-'));
    await saveClassifier({ model: m, thresholds: [0.3, 0.7] }, `file://${d}`);
    const c = await loadClassifier(`file://${d}`);
    expect(c.labels).toEqual(['0', '1']);
    expect(c.metadata.treatment).toEqual({ name: 'plain' });
    c.dispose();
    await expect(saveClassifier({ model: m, thresholds: [0.3] }, d)).rejects.toThrow('source.thresholds: has 1 thresholds but the model outputs 2 logits per row');
    await expect(saveClassifier({ model: m, thresholds: [0.3, 0.7] }, d, { labels: ['a'] })).rejects.toThrow('options.labels: must be 2 strings');
    await expect(saveClassifier({ model: m, thresholds: [0.3, 1.5] }, d)).rejects.toThrow('source.thresholds[1]');
    await expect(loadClassifier(join(d, 'nowhere'))).rejects.toThrow('has no model.json to load');
    let plainArtifacts: tf.io.ModelArtifacts | undefined;
    await m.save(tf.io.withSaveHandler(async (a) => ((plainArtifacts = a), { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } })));
    await expect(loadClassifier(tf.io.fromMemory(plainArtifacts!))).rejects.toThrow('holds a model but no classifier metadata');
    m.dispose();
    rmSync(d, { recursive: true, force: true });
  });
});
