import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ENFORCEMENT_MESSAGING } from '../../apps/enforcement/src/enforcement.tokens';
import { REGISTRY_MESSAGING } from '../../apps/registry/src/registry.tokens';
import { TRACKING_MESSAGING } from '../../apps/tracking/src/tracking.tokens';
import { TRIGGER_MESSAGING } from '../../apps/trigger/src/trigger.tokens';
import { ALL_TOPICS, EVENT_CHANNELS, EventService, Topic, TOPIC_CHANNELS, Topics } from '@credit/contracts';
import { ServiceMessaging } from '@credit/messaging';
import { MediumPlatform, startMedium } from '../support/medium';

/**
 * Issue 17: the topic table operators read (deploy/topics.md) and the code's registry of topics
 * (TOPIC_CHANNELS, EVENT_CHANNELS: the AsyncAPI document) say what the services really do. Consumers are
 * read from the running services (each one's consumer groups and their topics); producers from the code
 * (each outbox write names its topic as `topic: Topics.<name>`; the access records of a service that
 * records its reads through the outbox).
 */
const ROOT = join(__dirname, '..', '..');
const SERVICES: EventService[] = ['registry', 'trigger', 'enforcement', 'tracking'];
const MESSAGING = {
  registry: REGISTRY_MESSAGING,
  trigger: TRIGGER_MESSAGING,
  enforcement: ENFORCEMENT_MESSAGING,
  tracking: TRACKING_MESSAGING,
} as const;

const byName = new Map(Object.entries(Topics).map(([name, topic]) => [name, topic as Topic]));

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return entry.name.endsWith('.ts') &&
      !/\.(spec|medium-spec|medium-cases|test-support)\.ts$/.test(entry.name)
      ? [path]
      : [];
  });
}

/** The topics a service's code writes to its outbox. */
function producedBy(service: EventService): Set<Topic> {
  const topics = new Set<Topic>();
  for (const file of sources(join(ROOT, 'apps', service, 'src'))) {
    const text = readFileSync(file, 'utf8');
    for (const match of text.matchAll(/\btopic: Topics\.(\w+)/g)) {
      const topic = byName.get(match[1]);
      if (!topic) throw new Error(`${file}: Topics.${match[1]} is not a topic`);
      topics.add(topic);
    }
    if (text.includes('outboxAccessRecorderProvider(')) topics.add(Topics.access);
  }
  return topics;
}

interface TableRow {
  producers: Set<string>;
  consumers: Set<string>;
  groups: Set<string>;
}

/** deploy/topics.md's table, by topic: the services in each column, and the consumer groups named. */
function topicTable(): Map<string, TableRow> {
  const rows = new Map<string, TableRow>();
  const servicesIn = (cell: string) =>
    new Set(cell.replace(/`[^`]*`/g, '').match(/\b(registry|trigger|enforcement|tracking)\b/g) ?? []);
  for (const line of readFileSync(join(ROOT, 'deploy/topics.md'), 'utf8').split('\n')) {
    const cells = line.split('|').map((c) => c.trim());
    const topic = /^`(credit\.[a-z-]+)`$/.exec(cells[1] ?? '')?.[1];
    if (!topic) continue;
    rows.set(topic, {
      producers: servicesIn(cells[2]),
      consumers: servicesIn(cells[3]),
      groups: new Set([...cells[3].matchAll(/`([^`]+)`/g)].map((m) => m[1])),
    });
  }
  return rows;
}

const sorted = (values: Iterable<string>) => [...values].sort();

describe('the topic table matches what the services produce and consume (issue 17)', () => {
  let platform: MediumPlatform;
  /** topic → consumer group → service */
  const groupsOn = new Map<string, Map<string, EventService>>();

  beforeAll(async () => {
    platform = await startMedium();
    for (const service of SERVICES) {
      const messaging = platform.app.get<ServiceMessaging>(MESSAGING[service]);
      for (const { group, topics } of messaging.consumerGroups)
        for (const topic of topics) {
          if (!groupsOn.has(topic)) groupsOn.set(topic, new Map());
          groupsOn.get(topic)!.set(group, service);
        }
    }
  }, 180_000);

  afterAll(async () => {
    await platform?.close();
  });

  const consumersOf = (topic: string) => new Set(groupsOn.get(topic)?.values() ?? []);

  it('every topic a service consumes is a contract topic', () => {
    expect(groupsOn.size).toBeGreaterThan(0);
    for (const topic of groupsOn.keys()) expect(ALL_TOPICS).toContain(topic);
  });

  it.each(ALL_TOPICS)('%s: TOPIC_CHANNELS names the services that consume it', (topic) => {
    expect(sorted(TOPIC_CHANNELS[topic].consumers)).toEqual(sorted(consumersOf(topic)));
  });

  it.each(ALL_TOPICS)('%s: EVENT_CHANNELS names the services that produce to it', (topic) => {
    const declared = new Set(
      Object.values(EVENT_CHANNELS)
        .filter((channel) => channel.topic === topic)
        .flatMap((channel) => [...channel.producers]),
    );
    const produced = SERVICES.filter((service) => producedBy(service).has(topic));
    expect(sorted(declared)).toEqual(sorted(produced));
  });

  it.each(ALL_TOPICS)('%s: deploy/topics.md lists its producers, consumers and consumer groups', (topic) => {
    const row = topicTable().get(topic);
    expect(row).toBeDefined();
    expect(sorted(row!.producers)).toEqual(sorted(SERVICES.filter((s) => producedBy(s).has(topic))));
    expect(sorted(row!.consumers)).toEqual(sorted(consumersOf(topic)));
    expect(sorted(row!.groups)).toEqual(sorted(groupsOn.get(topic)?.keys() ?? []));
  });

  it('deploy/topics.md has no row for a topic the code does not have', () => {
    expect(sorted(topicTable().keys())).toEqual(sorted(ALL_TOPICS));
  });
});
