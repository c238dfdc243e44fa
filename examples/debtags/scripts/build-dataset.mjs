#!/usr/bin/env node
// Rebuilds the bundled dataset from an apt `Packages` index (plain or .gz):
//   node scripts/build-dataset.mjs /var/lib/apt/lists/deb.debian.org_debian_dists_bookworm_main_binary-amd64_Packages data/debtags-bookworm.tsv.gz
// Keeps every package that has debtags (the `Tag:` field) and writes a TSV with the
// columns package, source, section, description (the short description) and tags
// (comma-separated), sorted by package name.
import { readFileSync, writeFileSync } from 'node:fs';
import { gunzipSync, gzipSync } from 'node:zlib';

/** Parses the stanzas of a Packages index into rows. */
export function packagesToRows(text) {
  const rows = [];
  for (const stanza of text.split(/\n\s*\n/)) {
    const fields = {};
    let last;
    for (const line of stanza.split('\n')) {
      if (/^\s/.test(line) && last) fields[last] += `\n${line.trim()}`;
      else {
        const m = /^([A-Za-z0-9-]+):\s?(.*)$/.exec(line);
        if (m) fields[(last = m[1])] = m[2];
      }
    }
    if (!fields.Package || !fields.Tag) continue;
    const clean = (s) => s.replace(/[\t\n]+/g, ' ').trim();
    rows.push([
      fields.Package,
      (fields.Source ?? fields.Package).replace(/\s*\(.*\)$/, ''),
      (fields.Section ?? '').replace(/^(main|contrib|non-free|non-free-firmware)\//, ''),
      clean((fields.Description ?? '').split('\n')[0]),
      fields.Tag.split(',').map((t) => t.trim()).filter(Boolean).join(','),
    ]);
  }
  return rows.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}

/** The TSV text of the rows, with the header. */
export function rowsToTsv(rows) {
  return ['package\tsource\tsection\tdescription\ttags', ...rows.map((r) => r.join('\t'))].join('\n') + '\n';
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [input, output] = process.argv.slice(2);
  if (!input || !output) {
    console.error('usage: node scripts/build-dataset.mjs PACKAGES_FILE[.gz] OUT.tsv[.gz]');
    process.exit(2);
  }
  const raw = readFileSync(input);
  const rows = packagesToRows((input.endsWith('.gz') ? gunzipSync(raw) : raw).toString('utf8'));
  const tsv = rowsToTsv(rows);
  writeFileSync(output, output.endsWith('.gz') ? gzipSync(tsv, { level: 9 }) : tsv);
  console.log(`${rows.length} packages with debtags written to ${output}`);
}
