import { AssignerProtocol } from 'kafkajs';
import { StickyMember, stickyAssigner, stickyAssignment, TopicPartitions } from './sticky-assigner';

const T = 'credit.assignments';
const range = (n: number) => Array.from({ length: n }, (_, i) => i);
const member = (memberId: string, owned: number[] = [], topics = [T]): StickyMember => ({
  memberId,
  topics,
  owned: owned.length ? { [T]: owned } : {},
});
const sizes = (a: Record<string, TopicPartitions>) => Object.values(a).map((t) => (t[T] ?? []).length);
const moved = (before: Record<string, number[]>, after: Record<string, TopicPartitions>) =>
  Object.entries(after).reduce(
    (n, [id, t]) => n + (t[T] ?? []).filter((p) => !(before[id] ?? []).includes(p)).length,
    0,
  );

describe('stickyAssignment', () => {
  it('deals a first join evenly, every partition once', () => {
    const a = stickyAssignment([member('b'), member('a'), member('c')], () => range(7));
    expect(sizes(a).sort()).toEqual([2, 2, 3]);
    expect(
      Object.values(a)
        .flatMap((t) => t[T])
        .sort((x, y) => x - y),
    ).toEqual(range(7));
  });

  it('a replica joining takes only its share; the others keep the rest', () => {
    const before = { a: [0, 1, 2, 3], b: [4, 5, 6, 7], c: [8, 9, 10, 11] };
    const a = stickyAssignment(
      [member('a', before.a), member('b', before.b), member('c', before.c), member('d')],
      () => range(12),
    );
    expect(sizes(a)).toEqual([3, 3, 3, 3]);
    expect(moved(before, a)).toBe(3); // the joiner's three; round robin would move nine
    for (const id of ['a', 'b', 'c'] as const) expect(before[id]).toEqual(expect.arrayContaining(a[id][T]));
  });

  it('a replica leaving gives away only its own partitions', () => {
    const before = { a: [0, 3], b: [1, 4], c: [2, 5] };
    const a = stickyAssignment([member('a', before.a), member('c', before.c)], () => range(6));
    expect(sizes(a)).toEqual([3, 3]);
    expect(a.a[T]).toEqual(expect.arrayContaining(before.a));
    expect(a.c[T]).toEqual(expect.arrayContaining(before.c));
    expect([...a.a[T], ...a.c[T]].sort()).toEqual(range(6));
  });

  it('trims a member over its share and gives it to the one under', () => {
    const a = stickyAssignment([member('a', [0, 1, 2, 3, 4]), member('b', [5])], () => range(6));
    expect(sizes(a)).toEqual([3, 3]);
    expect(a.b[T]).toContain(5);
  });

  it('a partition two members claim goes to one; partitions that no longer exist are dropped', () => {
    const a = stickyAssignment([member('a', [0, 1, 9]), member('b', [1, 2])], () => range(4));
    const all = [...a.a[T], ...a.b[T]].sort();
    expect(all).toEqual(range(4));
    expect(sizes(a)).toEqual([2, 2]);
    expect(a.a[T]).toEqual(expect.arrayContaining([0, 1]));
  });

  it('gives the same answer whatever order the members come in', () => {
    const ms = [member('c', [5]), member('a', [0, 1]), member('b')];
    expect(stickyAssignment(ms, () => range(6))).toEqual(stickyAssignment([...ms].reverse(), () => range(6)));
  });

  it('assigns a topic only to the members that subscribed to it', () => {
    const a = stickyAssignment([member('a', [], [T, 'other']), member('b')], (t) =>
      t === T ? range(2) : range(3),
    );
    expect(a.a.other).toEqual([0, 1, 2]);
    expect(a.b.other).toBeUndefined();
    expect(sizes(a)).toEqual([1, 1]);
  });
});

describe('stickyAssigner (kafkajs)', () => {
  const cluster = { findTopicPartitionMetadata: () => range(4).map((partitionId) => ({ partitionId })) };

  it('sends what the member holds with its join and reads the others from theirs', async () => {
    const one = stickyAssigner();
    const two = stickyAssigner();
    one.remember({ [T]: [2, 3] });
    const make = (s: ReturnType<typeof stickyAssigner>) =>
      s.assigner({ cluster: cluster as never, groupId: 'g', logger: undefined as never });
    const members = [
      { memberId: 'm1', memberMetadata: make(one).protocol({ topics: [T] }).metadata },
      { memberId: 'm2', memberMetadata: make(two).protocol({ topics: [T] }).metadata },
    ];
    const answer = await make(one).assign({ members, topics: [T] });
    const of = (id: string) =>
      AssignerProtocol.MemberAssignment.decode(answer.find((a) => a.memberId === id)!.memberAssignment)!
        .assignment[T];
    expect(of('m1')).toEqual([2, 3]);
    expect(of('m2')).toEqual([0, 1]);
  });

  it('treats user data it cannot read as holding nothing', async () => {
    const s = stickyAssigner();
    const a = s.assigner({ cluster: cluster as never, groupId: 'g', logger: undefined as never });
    const odd = AssignerProtocol.MemberMetadata.encode({
      version: 0,
      topics: [T],
      userData: Buffer.from('{not json'),
    });
    const answer = await a.assign({ members: [{ memberId: 'x', memberMetadata: odd }], topics: [T] });
    expect(AssignerProtocol.MemberAssignment.decode(answer[0].memberAssignment)!.assignment[T]).toEqual(
      range(4),
    );
  });
});
