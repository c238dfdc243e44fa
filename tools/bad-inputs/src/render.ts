// Renders the bad-input table as docs/guides/errors.md (npm run docs:errors).
import { ROWS } from './table';

/** The markdown of docs/guides/errors.md. */
export function renderErrorsGuide(): string {
  const esc = (s: string) => s.replace(/\|/g, '\\|');
  const byPkg = new Map<string, typeof ROWS>();
  for (const r of ROWS) byPkg.set(r.pkg, [...(byPkg.get(r.pkg) ?? []), r]);
  const sections = [...byPkg.entries()].map(([pkg, rows]) =>
    [
      `## @tfjs-imbalance/${pkg}`,
      '',
      '| call | what is wrong | error | the message says |',
      '|---|---|---|---|',
      ...rows.map((r) => `| \`${esc(r.call)}\` | ${esc(r.what)} | \`${r.error}\` | ${esc(r.fragment)} |`),
      '',
    ].join('\n'),
  );
  return [
    '---',
    'title: Errors',
    '---',
    '',
    '# Errors: what bad input gets',
    '',
    'Every public function rejects bad input with an error that names the argument, says what was wrong (with',
    'shapes) and how to fix it, never with a NaN or a silent wrong answer. All errors extend `ImbalanceError`',
    '(from `@tfjs-imbalance/weight-schemes`), which has the `argument` at fault.',
    '',
    `This page is generated from the test table that checks all ${ROWS.length} cases (\`tools/bad-inputs\`), so it`,
    'cannot drift from the code: `npm run docs:errors` rewrites it. Each case also checks that the failed call',
    'leaves no tensor behind (inside `fit`, no more than tfjs-layers itself leaves when any loss or callback throws).',
    '',
    'Where a check runs: the loss classes check every batch\'s labels inside `fit`, `fitDataset` and `evaluate`,',
    'with or without a callback (`validateLabels`). The logits/probabilities mix-up, a loss shared by two outputs',
    'with online counts, and a compile metric whose `from` contradicts the model are caught at train begin by',
    '`sampleWeightCallback`, `fbetaCallback` or `averagePrecisionCallback`, since a loss or compile metric never sees the model.',
    'With none of those callbacks attached, an `fbetaMetric({ from })` that contradicts the last layer is not caught.',
    '',
    ...sections,
  ].join('\n');
}
