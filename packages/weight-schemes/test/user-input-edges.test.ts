import { countMultiHot } from '@tfjs-imbalance/weight-schemes';

describe('user-input edges', () => {
  it('a blank or unparsed CSV cell is an error naming the cell, never a silent 0', () => {
    expect(() => countMultiHot([[1, 0], [0, ' ' as never]])).toThrow('labels: value at row 1, column 1 is string  ; labels and scores must be numbers. Parse the cells first (Number(cell))');
    expect(() => countMultiHot([['' as never, 1]])).toThrow('labels: value at row 0, column 0 is');
    expect(() => countMultiHot([[null as never, 1]])).toThrow('labels: value at row 0, column 0 is null; labels and scores must be numbers. Fill in the missing value.');
    // Numbers, booleans and typed arrays still count.
    expect(countMultiHot([[1, 0], [true as never, 1], Float32Array.from([0, 1])]).positives).toEqual([2, 2]);
  });

});
