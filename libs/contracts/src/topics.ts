/** Kafka topics of the public contract (API.md). A deployment may prefix them (KAFKA_TOPIC_PREFIX). */
export const Topics = {
  listEntries: 'credit.list-entries',
  assignments: 'credit.assignments',
  feedback: 'credit.feedback',
  tracking: 'credit.tracking',
  /** departments as the registry registers them (key = department code) */
  departments: 'credit.departments',
  /** the admins' allow-list of webhook hosts, as enforcement keeps it (key = the host) */
  webhookHosts: 'credit.webhook-hosts',
} as const;

export type Topic = (typeof Topics)[keyof typeof Topics];

export const ALL_TOPICS: readonly Topic[] = Object.values(Topics);

/** Where a message that cannot be processed is parked, with its reason in the headers. */
export function deadLetterTopic(topic: string): string {
  return `${topic}.dlq`;
}
