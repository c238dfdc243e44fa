import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataError, fnv1a, loadTable, seededShuffle, selectLabels, splitByGroup } from '../src/dataset';
import { multiHot, tokenize } from '../src/features';

const BUNDLED = join(__dirname, '..', 'data', 'debtags-bookworm.tsv.gz');
const spec = { textColumns: ['package', 'section', 'description'], labelColumn: 'tags', groupColumn: 'source' };

function temp(name: string, content: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'debtags-')), name);
  writeFileSync(file, content);
  return file;
}

describe('loadTable', () => {
  it('reads the bundled dataset: 30,303 rows with text, labels and groups', () => {
    const rows = loadTable(BUNDLED, spec);
    expect(rows).toHaveLength(30303);
    expect(rows[0]).toEqual({
      text: ['0ad', 'games', 'Real-time strategy game of ancient warfare'],
      labels: expect.arrayContaining(['game::strategy', 'role::program', 'use::gameplaying']),
      group: '0ad',
    });
  });

  it('stops at a malformed row with its line number', () => {
    const file = temp('bad.tsv', 'package\tsource\tsection\tdescription\ttags\na\ta\tgames\tA game\tx::y\nb\tb\tgames\tmissing the tags column\n');
    expect(() => loadTable(file, spec)).toThrow(DataError);
    expect(() => loadTable(file, spec)).toThrow(/bad\.tsv:3: .*Every row needs the header's number of fields/);
  });

  it('names a missing column and lists the real ones', () => {
    const file = temp('cols.csv', 'title,labels\n"A, B",x|y\n');
    expect(() => loadTable(file, { textColumns: ['title'], labelColumn: 'tags' })).toThrow('cols.csv:1: no label column "tags"; the columns are: title, labels.');
    expect(loadTable(file, { textColumns: ['title'], labelColumn: 'labels', labelSeparator: '|' })).toEqual([
      { text: ['A, B'], labels: ['x', 'y'], group: '#2' },
    ]);
  });
});

describe('selectLabels', () => {
  it('keeps the k most frequent labels, ties by name, leaving out *::TODO', () => {
    const ex = (labels: string[]) => ({ text: [], labels, group: '' });
    const rows = [ex(['a::x', 'role::TODO', 'b::y']), ex(['b::y', 'role::TODO']), ex(['c::z', 'role::TODO']), ex(['a::x'])];
    expect(selectLabels(rows, 2)).toEqual(['a::x', 'b::y']);
    expect(selectLabels(rows, 5)).toEqual(['a::x', 'b::y', 'c::z']);
  });

  it('selects 29 tags on debtags, most frequent first, none of them TODO', () => {
    const labels = selectLabels(loadTable(BUNDLED, spec), 29);
    expect(labels).toHaveLength(29);
    expect(labels[0]).toBe('devel::library');
    expect(labels.some((l) => l.endsWith('::TODO'))).toBe(false);
  });
});

describe('splitByGroup', () => {
  const rows = loadTable(BUNDLED, spec);
  const groups = rows.map((r) => r.group);

  it('is deterministic for a seed, and the hash is the same on every machine', () => {
    expect(fnv1a('a')).toBe(0xe40c292c);
    expect(fnv1a('foobar')).toBe(0xbf9cf968);
    expect(splitByGroup(groups, 42)).toEqual(splitByGroup(groups, 42));
    expect(splitByGroup(groups, 7)).not.toEqual(splitByGroup(groups, 42));
    // A pinned fingerprint of the default split: changes only if the split changes.
    const s = splitByGroup(groups, 42);
    expect([s.filter((x) => x === 'train').length, s.filter((x) => x === 'val').length, s.filter((x) => x === 'test').length]).toEqual([21206, 4318, 4779]);
  });

  it('shuffles rows the same way for a seed', () => {
    const items = Array.from({ length: 50 }, (_, i) => i);
    expect(seededShuffle(items, 1)).toEqual(seededShuffle(items, 1));
    expect(seededShuffle(items, 1)).not.toEqual(seededShuffle(items, 2));
    expect([...seededShuffle(items, 1)].sort((a, b) => a - b)).toEqual(items);
  });

  it('never puts one source package in two splits', () => {
    const s = splitByGroup(groups, 42);
    const seen = new Map<string, string>();
    groups.forEach((g, i) => {
      expect(seen.get(g) ?? s[i]).toBe(s[i]);
      seen.set(g, s[i]!);
    });
  });
});

describe('features', () => {
  it('tokenizes into lower-cased runs of letters and digits, and makes multi-hot rows', () => {
    expect(tokenize('libFoo-dev2, Development files')).toEqual(['libfoo', 'dev2', 'development', 'files']);
    expect(Array.from(multiHot([['b', 'z'], []], ['a', 'b']))).toEqual([0, 1, 0, 0]);
  });
});
