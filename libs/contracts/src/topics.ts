/** Kafka topics of the public contract (API.md). A deployment may prefix them (KAFKA_TOPIC_PREFIX). */
export const Topics = {
  listEntries: 'credit.list-entries',
  assignments: 'credit.assignments',
  feedback: 'credit.feedback',
  tracking: 'credit.tracking',
  /** departments as the registry registers them (key = department code) */
  departments: 'credit.departments',
  /** reads of personal data, recorded by each service for enforcement's access log (decision 0021) */
  access: 'credit.access',
  /** the admins' allow-list of webhook hosts, as enforcement keeps it (key = the host) */
  webhookHosts: 'credit.webhook-hosts',
  /** 信用承诺: the commitment register's events (key = the subject's identifier) */
  commitments: 'credit.commitments',
  /** 公示 and its withdrawal, for external platforms (key = the entry id; issue 14) */
  publication: 'credit.publication',
} as const;

export type Topic = (typeof Topics)[keyof typeof Topics];

export const ALL_TOPICS: readonly Topic[] = Object.values(Topics);

/**
 * What the trail reads: every topic but the access records (reads, not events of an entry) and the
 * publication feed (a masked copy of the entry's own published, ended and amended events).
 */
export const TRAIL_TOPICS: readonly Topic[] = ALL_TOPICS.filter(
  (t) => t !== Topics.access && t !== Topics.publication,
);

/** Where a message that cannot be processed is parked, with its reason in the headers. */
export function deadLetterTopic(topic: string): string {
  return `${topic}.dlq`;
}
