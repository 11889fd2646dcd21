import { AssignerProtocol, PartitionAssigner } from 'kafkajs';

/** Partitions per topic. */
export type TopicPartitions = Record<string, number[]>;

export interface StickyMember {
  memberId: string;
  /** the topics this member subscribed to */
  topics: string[];
  /** what it held before this rebalance (its own word, sent with its join) */
  owned: TopicPartitions;
}

/**
 * A balanced assignment that moves as few partitions as it can: every member keeps what it held, up to
 * its fair share (`⌊n/m⌋`, or one more for `n mod m` of them), and only the partitions of members that
 * left, of new partitions, or over a share move — to whoever holds fewest. Kafka's round robin instead
 * deals every partition again at each join, so a replica joining moved most of the check index (each
 * move is a reload of that partition's rows, decision 0058). A partition two members claim (a member
 * that missed a rebalance) goes to the first by member id. Pure: the same members give the same answer.
 */
export function stickyAssignment(
  members: StickyMember[],
  partitionsOf: (topic: string) => number[],
): Record<string, TopicPartitions> {
  const sorted = [...members].sort((a, b) =>
    a.memberId < b.memberId ? -1 : a.memberId > b.memberId ? 1 : 0,
  );
  const result: Record<string, TopicPartitions> = {};
  for (const m of sorted) result[m.memberId] = {};
  const topics = [...new Set(sorted.flatMap((m) => m.topics))].sort();
  for (const topic of topics) {
    const subscribers = sorted.filter((m) => m.topics.includes(topic));
    const partitions = [...partitionsOf(topic)].sort((a, b) => a - b);
    const exists = new Set(partitions);
    const base = Math.floor(partitions.length / subscribers.length);
    let extra = partitions.length % subscribers.length;
    const held = new Map<string, number[]>();
    const taken = new Set<number>();
    // keep what each held, within the topic's partitions and at most one over the base share
    for (const m of subscribers) {
      const kept: number[] = [];
      for (const p of [...(m.owned[topic] ?? [])].sort((a, b) => a - b)) {
        if (!exists.has(p) || taken.has(p) || kept.length >= base + 1) continue;
        kept.push(p);
        taken.add(p);
      }
      held.set(m.memberId, kept);
    }
    // only `extra` members may hold base + 1: the others give their last one back
    for (const m of subscribers) {
      const kept = held.get(m.memberId)!;
      if (kept.length <= base) continue;
      if (extra > 0) extra -= 1;
      else taken.delete(kept.pop()!);
    }
    // the free partitions, each to a member holding fewest (ties: member id), never over the share
    for (const p of partitions) {
      if (taken.has(p)) continue;
      let to: number[] | undefined;
      for (const m of subscribers) {
        const kept = held.get(m.memberId)!;
        if (kept.length > base || (kept.length === base && extra === 0)) continue;
        if (!to || kept.length < to.length) to = kept;
      }
      if (to!.length === base) extra -= 1;
      to!.push(p);
      taken.add(p);
    }
    for (const m of subscribers) result[m.memberId][topic] = held.get(m.memberId)!.sort((a, b) => a - b);
  }
  return result;
}

/** What a member sends with its join: the partitions it holds now, as JSON. */
function encodeOwned(owned: TopicPartitions): Buffer {
  return Buffer.from(JSON.stringify(owned));
}

function decodeOwned(userData: Buffer | null | undefined): TopicPartitions {
  if (!userData || userData.length === 0) return {};
  try {
    const parsed: unknown = JSON.parse(userData.toString('utf8'));
    if (!parsed || typeof parsed !== 'object') return {};
    const owned: TopicPartitions = {};
    for (const [topic, list] of Object.entries(parsed as Record<string, unknown>)) {
      if (Array.isArray(list)) owned[topic] = list.filter((p): p is number => Number.isInteger(p));
    }
    return owned;
  } catch {
    return {}; // a member of another build: it keeps nothing, the rest still balances
  }
}

export const STICKY_ASSIGNER_NAME = 'CreditStickyAssigner';

/**
 * The sticky assignment as a kafkajs partition assigner (its public `partitionAssigners` option). Each
 * consumer has its own: `remember` is told what the member holds after every join (the GROUP_JOIN
 * event), and the next join sends it in the protocol's user data, which the group's leader reads.
 */
export function stickyAssigner(): {
  assigner: PartitionAssigner;
  remember: (owned: TopicPartitions) => void;
} {
  let owned: TopicPartitions = {};
  const assigner: PartitionAssigner = ({ cluster }) => ({
    name: STICKY_ASSIGNER_NAME,
    version: 1,
    async assign({ members }) {
      const decoded = members.map(({ memberId, memberMetadata }) => {
        const metadata = AssignerProtocol.MemberMetadata.decode(memberMetadata);
        return { memberId, topics: metadata?.topics ?? [], owned: decodeOwned(metadata?.userData) };
      });
      const assignment = stickyAssignment(decoded, (topic) =>
        cluster.findTopicPartitionMetadata(topic).map((m) => m.partitionId),
      );
      return Object.entries(assignment).map(([memberId, topics]) => ({
        memberId,
        memberAssignment: AssignerProtocol.MemberAssignment.encode({
          version: 1,
          assignment: topics,
          userData: Buffer.alloc(0),
        }),
      }));
    },
    protocol({ topics }) {
      return {
        name: STICKY_ASSIGNER_NAME,
        metadata: AssignerProtocol.MemberMetadata.encode({
          version: 1,
          topics,
          userData: encodeOwned(owned),
        }),
      };
    },
  });
  return { assigner, remember: (next) => (owned = next) };
}
