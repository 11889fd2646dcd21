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

  describe('an ended entry dropped (decision 0067)', () => {
    /** a row of `entry`: several rows may share one, as an entry's measures do */
    const ofEntry = (n: number, keys: string[], entry: string): BindingRow => {
      const r = row(n, keys);
      return { ...r, measure: { ...r.measure, entryId: entry } };
    };
    const held = (index: BindingIndex, key: string) => index.known(key)?.map((m) => m.assignmentId);

    it("drops the entry under every key it holds it under, a related person's too, and keeps another's", () => {
      const index = new BindingIndex('100');
      index.add(ofEntry(1, ['A', 'LEGACY-A'], 'E1'));
      index.add(ofEntry(2, ['A', 'LEGACY-A'], 'E1'));
      index.add(ofEntry(3, ['A'], 'E2'));
      index.add(ofEntry(4, ['P'], 'E1')); // A's legal representative, reached by the same entry
      index.add(ofEntry(5, ['P'], 'E3')); // P listed on an entry of their own
      index.add(ofEntry(6, ['Q'], 'E1')); // A's principal person
      expect(index.keysOfEntry('E1').sort()).toEqual(['A', 'LEGACY-A', 'P', 'Q']);
      // what docs/scale.md's memory figure counts: E1 under four keys, E2 and E3 under one each
      expect(index.entryShape).toEqual({ entries: 3, keys: 6 });
      // as the end's event names it: the listed subject's identifiers only
      const dropped = index.dropEnded(new Set(['E1']), ['A', 'LEGACY-A']);
      expect([...dropped].sort()).toEqual(['A', 'LEGACY-A', 'P', 'Q']);
      expect(held(index, 'A')).toEqual([rowId(3)]);
      expect(held(index, 'LEGACY-A')).toEqual([]);
      expect(held(index, 'P')).toEqual([rowId(5)]);
      expect(held(index, 'Q')).toEqual([]);
      expect(index.keysOfEntry('E1')).toEqual([]);
      expect(index.keysOfEntry('E2')).toEqual(['A']);
      expect(index.keysOfEntry('E3')).toEqual(['P']);
      expect(index.dirtyCount).toBe(0);
      expect(index.size).toBe(2);
    });

    it("follows every change of a key's measures: a reload, a rebalance's drop, another index taken in", () => {
      const index = new BindingIndex('100');
      index.add(ofEntry(1, ['A'], 'E1'));
      index.add(ofEntry(2, ['P'], 'E1'));
      index.add(ofEntry(3, ['P'], 'E2'));
      // P read again: E1's row there no longer binds (lifted alone), E4's came
      index.markDirty(['P']);
      index.applyReload(index.takeDirty(10), [ofEntry(3, ['P'], 'E2'), ofEntry(7, ['P'], 'E4')]);
      expect(index.keysOfEntry('E1')).toEqual(['A']);
      expect(index.keysOfEntry('E4')).toEqual(['P']);
      // partitions read later: a related person of E1 held there
      const part = new BindingIndex('90');
      part.add(ofEntry(8, ['R'], 'E1'));
      index.absorb(part);
      expect(index.keysOfEntry('E1').sort()).toEqual(['A', 'R']);
      // R's partition taken by a rebalance
      index.dropWhere((target) => target === 'R');
      expect(index.keysOfEntry('E1')).toEqual(['A']);
      index.dropEnded(new Set(['E1', 'E4']), []);
      expect(held(index, 'A')).toEqual([]);
      expect(held(index, 'P')).toEqual([rowId(3)]);
      expect(index.keysOfEntry('E1')).toEqual([]);
      expect(index.keysOfEntry('E4')).toEqual([]);
    });

    it("marks a related person's dirty key again: a read of it begun before the end is not applied", () => {
      const index = new BindingIndex('100');
      index.add(ofEntry(1, ['A'], 'E1'));
      index.add(ofEntry(2, ['P'], 'E1'));
      index.markDirty(['P']);
      const before = index.takeDirty(10);
      index.dropEnded(new Set(['E1']), ['A']);
      index.applyReload(before, [ofEntry(2, ['P'], 'E1')]); // read before the end was written
      expect(index.known('P')).toBeUndefined();
      index.applyReload(index.takeDirty(10), []);
      expect(held(index, 'P')).toEqual([]);
    });

    it('changes nothing when repeated, or for an entry it does not hold', () => {
      const index = new BindingIndex('100');
      index.add(ofEntry(1, ['A'], 'E1'));
      index.add(ofEntry(2, ['A'], 'E2'));
      index.dropEnded(new Set(['E1']), ['A']);
      index.dropEnded(new Set(['E1']), ['A']);
      index.dropEnded(new Set(['E9']), ['A', 'NOBODY']);
      expect(held(index, 'A')).toEqual([rowId(2)]);
      expect(held(index, 'NOBODY')).toEqual([]);
    });

    it('marks a dirty key again: a reload begun before the end is not applied, one after it is', () => {
      const index = new BindingIndex('100');
      index.add(ofEntry(1, ['A'], 'E1'));
      index.markDirty(['A']); // another change of A, being read
      const before = index.takeDirty(10);
      index.dropEnded(new Set(['E1']), ['A']);
      index.applyReload(before, [ofEntry(1, ['A'], 'E1')]); // read before the end was written
      expect(index.known('A')).toBeUndefined();
      index.applyReload(index.takeDirty(10), [ofEntry(5, ['A'], 'E3')]);
      expect(held(index, 'A')).toEqual([rowId(5)]);
    });

    it('keeps the rows held at their versions, so that the backstop reads their keys again', () => {
      const index = new BindingIndex('100');
      index.add(ofEntry(1, ['A'], 'E1'));
      index.dropEnded(new Set(['E1']), ['A']);
      expect(index.rows).toBe(1);
      const rewritten = index.compareChanged([{ id: rowId(1), version: '2', keys: ['A'], binding: false }]);
      expect([...rewritten]).toEqual(['A']);
      expect(index.rows).toBe(0);
    });
  });
});
