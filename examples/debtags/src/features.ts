/** Lower-cased word tokens: runs of letters and digits (package names split on -, ., +). */
export function tokenize(text: string): string[] {
  return text.toLowerCase().match(/[a-z0-9]+/g) ?? [];
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
