import { BindingIndex } from './binding-index';
import { measureOf, rowId } from './measure-queries.fake';
import { BindingRow } from './measure-queries';

const row = (n: number, keys: string[], version = '1'): BindingRow => ({
  id: rowId(n),
  version,
  keys,
  measure: measureOf({ id: rowId(n), subjectId: keys[0], mode: 'block' }),
});

describe('BindingIndex', () => {
  it('answers for every identifier of every row, and nothing for one it does not hold', () => {
    const index = new BindingIndex('100');
    index.add(row(1, ['A', 'LEGACY-A']));
    index.add(row(2, ['A']));
    index.add(row(3, ['B']));
    expect(index.known('A')?.map((m) => m.assignmentId)).toEqual([rowId(1), rowId(2)]);
    expect(index.known('LEGACY-A')?.map((m) => m.assignmentId)).toEqual([rowId(1)]);
    expect(index.known('C')).toEqual([]);
    expect(index.size).toBe(3);
    expect(index.rows).toBe(3);
  });

  it('does not answer for a dirty identifier until a reload of its latest change is applied', () => {
    const index = new BindingIndex('100');
    index.add(row(1, ['A']));
    index.markDirty(['A']);
    expect(index.known('A')).toBeUndefined();
    const taken = index.takeDirty(10);
    index.markDirty(['A']); // changed again while the reload was reading
    index.applyReload(taken, []);
    expect(index.known('A')).toBeUndefined();
    index.applyReload(index.takeDirty(10), []);
    expect(index.known('A')).toEqual([]);
    expect(index.dirtyCount).toBe(0);
  });

  it('takes at most the asked number of dirty identifiers', () => {
    const index = new BindingIndex('100');
    index.markDirty(['A', 'B', 'C']);
    expect([...index.takeDirty(2).keys()]).toEqual(['A', 'B']);
  });

  it('holds a reloaded row at its version only if every identifier of it was applied', () => {
    const index = new BindingIndex('100');
    index.markDirty(['A', 'L']);
    const taken = index.takeDirty(10);
    index.markDirty(['L']); // L changed again: the row is not held as read under L
    index.applyReload(taken, [row(1, ['A', 'L'], '7')]);
    expect(index.known('A')?.map((m) => m.assignmentId)).toEqual([rowId(1)]);
    // the backstop then sees the row at 7 as different from what is held
    expect([
      ...index.compareChanged([{ id: rowId(1), version: '7', keys: ['A', 'L'], binding: true }]),
    ]).toEqual(['A', 'L']);
  });

  describe('rows written since the watermark', () => {
    const index = () => {
      const i = new BindingIndex('100');
      i.add(row(1, ['A'], '5'));
      i.add(row(2, ['B', 'LB'], '5'));
      return i;
    };

    it('a row at the version held changes nothing', () => {
      expect(index().compareChanged([{ id: rowId(1), version: '5', keys: ['A'], binding: true }]).size).toBe(
        0,
      );
    });

    it('a row rewritten names its old and new identifiers', () => {
      const i = index();
      const suspect = i.compareChanged([{ id: rowId(2), version: '9', keys: ['B2'], binding: true }]);
      expect([...suspect].sort()).toEqual(['B', 'B2', 'LB']);
      expect(i.compareChanged([{ id: rowId(2), version: '9', keys: ['B2'], binding: true }]).size).toBe(0);
    });

    it('a row that stopped binding (lifted) names its identifiers and is no longer held', () => {
      const i = index();
      expect([...i.compareChanged([{ id: rowId(1), version: '9', keys: ['A'], binding: false }])]).toEqual([
        'A',
      ]);
      expect(i.rows).toBe(1);
    });

    it('a new binding row names its identifiers; a row never held and not binding names none', () => {
      const i = index();
      expect([...i.compareChanged([{ id: rowId(3), version: '9', keys: ['C'], binding: true }])]).toEqual([
        'C',
      ]);
      expect(i.compareChanged([{ id: rowId(4), version: '9', keys: ['D'], binding: false }]).size).toBe(0);
      expect(i.rows).toBe(3);
    });
  });

  it('a whole listing finds rows rewritten and rows gone', () => {
    const index = new BindingIndex('100');
    index.add(row(1, ['A'], '5'));
    index.add(row(2, ['B'], '5'));
    index.add(row(3, ['C'], '5'));
    const listing = index.beginListing();
    const written = index.listed(
      [
        { id: rowId(1), version: '5' },
        { id: rowId(2), version: '8' },
      ],
      listing,
    );
    expect(written).toEqual([rowId(2)]);
    expect([...index.rewritten(written, [{ id: rowId(2), version: '8', keys: ['B'] }], listing)]).toEqual([
      'B',
    ]);
    expect([...index.endListing(listing)]).toEqual(['C']);
    expect(index.rows).toBe(2);
  });
});
