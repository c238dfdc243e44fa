// The bundled sample the page offers: about a tenth of the debtags demo's data
// (examples/debtags/data), whole source packages picked by a seeded hash, so
// the demo's split by source still holds. Written by build.mjs.
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { fnv1a } from '@tfjs-imbalance/example-debtags/dist/dataset.js';

const DATA = new URL('../../debtags/data/debtags-bookworm.tsv.gz', import.meta.url);

/** The sample as TSV text, with its row count. */
export function debtagsSample(fraction = 0.1) {
  const [header, ...lines] = gunzipSync(readFileSync(DATA)).toString('utf8').split('\n').filter((l) => l !== '');
  const source = header.split('\t').indexOf('source');
  const kept = lines.filter((l) => fnv1a(`lab-sample:${l.split('\t')[source]}`) / 2 ** 32 < fraction);
  return { text: `${[header, ...kept].join('\n')}\n`, rows: kept.length };
}
