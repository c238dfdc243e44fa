/**
 * Step 4: the selected classifier as a zip to take home: what
 * `saveClassifier` wrote (model.json and weights.bin), the features it needs
 * (features.json), the data and settings of the run, the page's predictions,
 * and the Node scripts that use them (predict.mjs, reproduce.mjs and the
 * lab-kit.mjs they import), served next to the page under kit/.
 */
import { strToU8, zipSync, type Zippable } from 'fflate';
import type { LabResult } from '../shared/protocol.js';
import type { LabSettings } from '../shared/search.js';
import type { ColumnSpec } from '../shared/spec.js';
import { byId, el } from './dom.js';
import type { Loaded } from './data-step.js';

/** The scripts and notes the zip carries as they are. */
const KIT = ['lab-kit.mjs', 'predict.mjs', 'reproduce.mjs', 'README.md', 'package.json'];

/** What the run was made of, for reproduce.mjs. */
export interface RunRecord {
  readonly loaded: Loaded;
  readonly spec: ColumnSpec;
  readonly settings: LabSettings;
}

const json = (v: unknown) => strToU8(`${JSON.stringify(v, null, 1)}\n`);

/** The zip's files, by name. */
export async function artifactFiles(r: LabResult, modelJson: string, weights: ArrayBuffer, run: RunRecord): Promise<Record<string, Uint8Array>> {
  const kit = await Promise.all(
    KIT.map(async (name) => {
      const response = await fetch(`kit/${name}`);
      if (!response.ok) throw new Error(`kit/${name} could not be fetched (${response.status}); the page's files are incomplete`);
      return [name, new Uint8Array(await response.arrayBuffer())] as const;
    }),
  );
  const data = `data.${run.loaded.table.delimiter === '\t' ? 'tsv' : 'csv'}`;
  return {
    'model.json': strToU8(modelJson),
    'weights.bin': new Uint8Array(weights),
    'features.json': json(r.features),
    'settings.json': json({ version: 1, data, file: run.loaded.name, delimiter: run.loaded.table.delimiter, spec: run.spec, settings: run.settings }),
    'results.json': json({ backend: r.backend, seed: r.seed, selected: r.selected, verdict: r.verdict, front: r.front, classes: r.classes, runs: r.runs }),
    'predictions.json': json(r.predictions),
    [data]: strToU8(run.loaded.text),
    ...Object.fromEntries(kit),
  };
}

let url: string | undefined;

/** Zips the files, points the download link at the zip and lists what it holds. */
export function offerDownload(files: Record<string, Uint8Array>): void {
  const zippable: Zippable = Object.fromEntries(Object.entries(files).map(([name, bytes]) => [name, [bytes, { level: name === 'weights.bin' ? 0 : 6 }]]));
  const zip = zipSync(zippable);
  if (url !== undefined) URL.revokeObjectURL(url);
  url = URL.createObjectURL(new Blob([zip], { type: 'application/zip' }));
  const link = byId<HTMLAnchorElement>('download');
  link.href = url;
  byId('download-size').textContent = `(${(zip.length / 1024).toFixed(0)} kB)`;
  const what: Record<string, string> = {
    'model.json': 'the model and, in its metadata, the labels, thresholds, treatment and the figures it was selected on (saveClassifier)',
    'weights.bin': 'its weights',
    'features.json': 'the TF-IDF vocabulary and idf, and the numeric columns\' means and deviations',
    'settings.json': 'the columns, the preset and the seed',
    'results.json': 'every run\'s figures as this page showed them',
    'predictions.json': 'the test rows and this page\'s probabilities for them',
    'predict.mjs': 'loads the classifier with loadClassifier and predicts',
    'reproduce.mjs': 'runs the same search with the library\'s API and the same seed',
    'lab-kit.mjs': 'the lab\'s table reader, features and search arguments, for the two scripts',
  };
  byId('download-files').replaceChildren(
    ...Object.entries(files).map(([name, bytes]) => el('li', {}, el('code', {}, name), ` (${(bytes.length / 1024).toFixed(1)} kB)${what[name] ? `: ${what[name]}` : ''}`)),
  );
  const data = Object.keys(files).find((n) => n.startsWith('data.'))!;
  byId('home-commands').textContent = [
    'unzip lab-classifier.zip -d lab-classifier && cd lab-classifier',
    'npm install                     # tfjs and @tfjs-imbalance/search: see README.md in the zip',
    `node predict.mjs ${data}        # loadClassifier, then each row's labels and probabilities`,
    'node reproduce.mjs              # the same search with the library\'s API and the same seed',
  ].join('\n');
}
