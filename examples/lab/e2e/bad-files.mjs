// The bad files the CI test drops on the page, each with the message it must get.
// Built here, in memory: nothing to keep in the repository.

const rows = (n, f) => Array.from({ length: n }, (_, i) => f(i)).join('\n');
const words = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot', 'golf', 'hotel', 'india', 'juliet', 'kilo', 'lima'];
const sentence = (i) => `${words[i % 12]} ${words[(i * 7) % 12]} ${words[(i * 5 + 3) % 12]} number ${i}`;

/** Each case: a file for the picker, the field separator to choose first, and what the message must say. */
export const BAD_FILES = [
  { what: 'an empty file', file: { name: 'empty.csv', mimeType: 'text/csv', buffer: Buffer.alloc(0) }, expect: /“empty\.csv” is empty: the lab needs a header row and data rows\./ },
  {
    what: 'no label column (every column distinct in every row)',
    file: { name: 'no-labels.csv', mimeType: 'text/csv', buffer: Buffer.from(`id,text\n${rows(200, (i) => `${i},${sentence(i)}`)}\n`) },
    expect: /No column of “no-labels\.csv” looks like labels\. .*id: 200 distinct in 200 rows; text: 200 distinct in 200 rows/,
  },
  {
    what: 'a label column with one class',
    file: { name: 'one-class.csv', mimeType: 'text/csv', buffer: Buffer.from(`text,label\n${rows(200, (i) => `${sentence(i)},spam`)}\n`) },
    expect: /The label column “label” has a single class \(“spam”, in 200 of 200 rows\)\. A classifier needs at least two classes/,
  },
  {
    what: 'a 10 MB text file',
    file: { name: 'big.txt', mimeType: 'text/plain', buffer: Buffer.from('lorem ipsum dolor sit amet '.repeat(Math.ceil((10 * 1024 * 1024) / 27)).slice(0, 10 * 1024 * 1024)) },
    expect: /“big\.txt” is 10\.0 MB; the lab reads files up to 8\.0 MB.*Take a sample of its rows/,
  },
  {
    what: 'a wrong separator (a tab-separated file read with commas)',
    delimiter: ',',
    file: { name: 'tabs.tsv', mimeType: 'text/tab-separated-values', buffer: Buffer.from(`text\tlabel\n${rows(200, (i) => `${sentence(i)}\t${i % 3 ? 'ham' : 'spam'}`)}\n`) },
    expect: /With the comma as field separator, the header of “tabs\.tsv” is a single column \(“text ⇥ label”\)\. It looks tab-separated: choose “tab” as the field separator\./,
    fix: '\t',
  },
  {
    what: 'a non-UTF-8 file (Latin-1)',
    file: { name: 'latin1.csv', mimeType: 'text/csv', buffer: Buffer.concat([Buffer.from(`text,label\n${rows(5, (i) => `${sentence(i)},ham`)}\n`), Buffer.from('caf\xe9 cr\xe8me,spam\n', 'latin1')]) },
    expect: /“latin1\.csv” is not UTF-8 text: line 7 has a byte sequence UTF-8 does not allow.*iconv -f latin1 -t utf-8/,
  },
  {
    what: 'a ragged row',
    file: { name: 'ragged.csv', mimeType: 'text/csv', buffer: Buffer.from(`text,label\n${sentence(1)},ham\n${sentence(2)},ham,extra\n`) },
    expect: /“ragged\.csv”, line 3: 3 fields where the header has 2\./,
  },
];

/** A stack trace or an internal error's look: what a message on the page must never show. */
export const LOOKS_INTERNAL = /\n\s+at |\bat \S+ \(|\.js:\d+:\d+|\bTypeError\b|\bReferenceError\b|undefined is not|Cannot read prop/;
