// A small synthetic table with text and numeric features and '|'-separated
// labels, for the CI test's second round trip (numeric standardisation, a
// dropped file, a row-by-row split). Deterministic: no random numbers.

const WORDS = ['red', 'green', 'blue', 'small', 'large', 'fast', 'slow', 'round', 'flat', 'soft', 'hard', 'warm'];

/** CSV text of `n` rows: `text`, `x1`, `x2` (numeric, some empty) and `labels` (a, b, c, rare). */
export function syntheticCsv(n = 800) {
  const lines = ['text,x1,x2,labels'];
  for (let i = 0; i < n; i++) {
    const x1 = Math.sin(i * 1.3) * 2 + 1;
    const x2 = Math.cos(i * 0.7) * 50 + 100;
    const labels = [];
    if (i % 2 === 0) labels.push('a');
    if (i % 3 === 0) labels.push('b');
    if (x1 > 2) labels.push('c');
    if (i % 11 === 0 && x2 > 100) labels.push('rare');
    const words = [WORDS[i % 12], WORDS[(i * 5) % 12], labels.includes('a') ? 'apple' : 'pear', labels.includes('rare') && i % 4 === 0 ? 'unusual' : WORDS[(i * 7) % 12]];
    lines.push(`"${words.join(' ')}, item ${i % 50}",${i % 37 === 0 ? '' : x1.toFixed(3)},${x2.toFixed(1)},${labels.join('|')}`);
  }
  return `${lines.join('\n')}\n`;
}
