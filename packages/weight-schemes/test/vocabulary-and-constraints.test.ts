import { InvalidCountError, InvalidOptionError, OutOfRangeError, countStream, toDenseMatrix, type BatchDataset, type FlatMatrix } from '../src';
import { checkConstraint, checkDeclared, type Constraints } from '../src/internal';

describe('declared constraints (checkDeclared, checkConstraint)', () => {
  interface Options {
    readonly flag?: boolean;
    readonly count?: number;
    readonly rate?: number;
    readonly mode?: 'a' | 'b' | 'c';
    readonly free?: string;
  }
  const spec: Constraints<Options> = {
    flag: 'boolean',
    count: { whole: { min: 1, max: 9, what: 'resamples', hint: '1: one pass' } },
    rate: { range: { min: 0, max: 1, maxExclusive: true } },
    mode: { oneOf: ['a', 'b', 'c'] },
  };

  it('accepts valid options, and skips options left undefined (they take their defaults)', () => {
    expect(() => checkDeclared('args', { flag: false, count: 9, rate: 0, mode: 'c', free: 'x' }, spec)).not.toThrow();
    expect(() => checkDeclared('args', {}, spec)).not.toThrow();
    expect(() => checkDeclared('args', undefined, spec)).not.toThrow();
  });

  it.each([
    [{ flag: 'yes' }, InvalidOptionError, "args.flag: must be true or false, got string yes."],
    [{ count: 2.5 }, InvalidOptionError, 'args.count: must be a whole number of resamples in [1, 9] (1: one pass), got number 2.5.'],
    [{ count: 0 }, InvalidOptionError, 'args.count: must be a whole number of resamples in [1, 9]'],
    [{ count: '3' }, InvalidOptionError, 'args.count: must be a whole number of resamples in [1, 9] (1: one pass), got string 3.'],
    [{ rate: 1 }, OutOfRangeError, 'args.rate: must lie in [0, 1), got 1.'],
    [{ mode: 'd' }, InvalidOptionError, "args.mode: must be 'a', 'b' or 'c', got string d."],
  ] as const)('names the option and says what it must be: %j', (options, ErrorClass, message) => {
    expect(() => checkDeclared('args', options as Options, spec)).toThrow(ErrorClass);
    expect(() => checkDeclared('args', options as Options, spec)).toThrow(message);
  });

  it('words whole-number bounds by what is given, and throws the class asked for', () => {
    expect(() => checkConstraint('seed', 1.5, { whole: {} })).toThrow('seed: must be a whole number, got number 1.5.');
    expect(() => checkConstraint('n', -1, { whole: { min: 0 } })).toThrow('n: must be a whole number ≥ 0, got number -1.');
    expect(() => checkConstraint('n', 11, { whole: { max: 10 } })).toThrow('n: must be a whole number ≤ 10, got number 11.');
    expect(() => checkConstraint('numClasses', 0, { whole: { min: 1 } }, InvalidCountError)).toThrow(InvalidCountError);
    expect(() => checkConstraint('n', 2 ** 60, { whole: {} })).toThrow('must be a whole number'); // beyond safe integers
    expect(() => checkConstraint('args.monitor', '', { text: { what: 'a log key', example: 'val_fbeta' } })).toThrow("args.monitor: must be a log key such as 'val_fbeta', got string .");
    expect(() => checkConstraint('args.name', 3, { text: {} })).toThrow('args.name: must be a non-empty string, got number 3.');
    expect(() => checkConstraint('args.name', 'x', { text: {} })).not.toThrow();
  });
});

describe('one matrix and one dataset vocabulary', () => {
  it('a checked matrix is a FlatMatrix too (data and shape), with rows and cols spelt out', () => {
    const m: FlatMatrix = toDenseMatrix('labels', [[1, 0, 1], [0, 1, 0]]);
    expect(m.shape).toEqual([2, 3]);
    expect(toDenseMatrix('labels', { data: [1, 0, 0, 1], shape: [2, 2] })).toMatchObject({ rows: 2, cols: 2, shape: [2, 2] });
  });

  it('countStream reads any BatchDataset', async () => {
    const batches = [[[1, 0]], [[0, 1]], [[1, 1]]];
    const dataset: BatchDataset<number[][]> = {
      size: batches.length,
      async iterator() {
        let i = 0;
        return { next: async () => (i < batches.length ? { value: batches[i++]!, done: false } : { value: undefined, done: true }) };
      },
    };
    expect((await countStream(dataset)).positives).toEqual([2, 2]);
  });
});
