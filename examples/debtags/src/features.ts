import { fnv1a } from './dataset.js';

/** Lower-cased word tokens: runs of letters and digits (package names split on -, ., +). */
export function tokenize(text: string): string[] {
  return text.toLowerCase().match(/[a-z0-9]+/g) ?? [];
}

/**
 * Hashed unigram and bigram features of each example's text fields, as sorted
 * unique bucket indices (binary bag of n-grams; each field's tokens are
 * prefixed with the field index, so a word in the name differs from one in the
 * description).
 */
export function hashedFeatures(texts: readonly (readonly string[])[], dim: number): Int32Array[] {
  return texts.map((fields) => {
    const buckets = new Set<number>();
    fields.forEach((field, f) => {
      const toks = tokenize(field);
      toks.forEach((t, i) => {
        buckets.add(fnv1a(`${f}:${t}`) % dim);
        if (i > 0) buckets.add(fnv1a(`${f}:${toks[i - 1]} ${t}`) % dim);
      });
      if (f === 0) buckets.add(fnv1a(`name:${field}`) % dim);
    });
    return Int32Array.from([...buckets].sort((a, b) => a - b));
  });
}

/** Dense, L2-normalised rows [rows.length, dim] from sparse bucket indices. */
export function densify(rows: readonly Int32Array[], dim: number): Float32Array {
  const out = new Float32Array(rows.length * dim);
  rows.forEach((idx, r) => {
    const v = idx.length ? 1 / Math.sqrt(idx.length) : 0;
    for (const i of idx) out[r * dim + i] = v;
  });
  return out;
}

/** Multi-hot rows [examples.length, labels.length]. */
export function multiHot(labelsOf: readonly (readonly string[])[], labels: readonly string[]): Float32Array {
  const pos = new Map(labels.map((l, i) => [l, i]));
  const out = new Float32Array(labelsOf.length * labels.length);
  labelsOf.forEach((ls, r) => {
    for (const l of ls) {
      const j = pos.get(l);
      if (j !== undefined) out[r * labels.length + j] = 1;
    }
  });
  return out;
}
