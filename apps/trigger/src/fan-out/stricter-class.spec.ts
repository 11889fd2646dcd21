import { stricterClass } from './fan-out.handlers';

describe('stricterClass (the class an entry is fanned out under, decision 0023)', () => {
  it.each([
    ['A', 'C', 'C'],
    ['C', 'A', 'C'],
    ['B', 'A', 'B'],
    ['A', undefined, 'A'],
    [undefined, 'B', 'B'],
    [null, null, null],
  ] as const)('%s and %s → %s', (a, b, expected) => {
    expect(stricterClass(a, b)).toBe(expected);
  });
});
