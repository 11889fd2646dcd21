import { EVENT_CHANNELS, EventService, TOPIC_CHANNELS } from './event-channels';
import { EventType } from './event-types';
import { EVENT_SCHEMAS } from './schemas';
import { ALL_TOPICS, deadLetterTopic, Topic } from './topics';

/** `credit.list-entries` → `list-entries` (AsyncAPI keys: letters, digits, `-`, `_`, `.`). */
const channelId = (topic: string) => topic.replace(/^credit\./, '');
const ref = (path: string) => ({ $ref: `#/${path}` });

/** The structured CloudEvents 1.0 envelope every record carries (cloud-event.ts). */
const CLOUD_EVENT = {
  type: 'object',
  description: 'CloudEvents 1.0, structured JSON mode; `data` is the payload of the event’s `type`.',
  required: ['specversion', 'id', 'source', 'type', 'time', 'datacontenttype', 'data'],
  properties: {
    specversion: { const: '1.0' },
    id: { type: 'string', description: 'unique per event; consumers skip an id they have applied' },
    source: { type: 'string', description: 'the producing service, e.g. /credit/registry' },
    type: { type: 'string' },
    time: { type: 'string', format: 'date-time' },
    subject: { type: 'string', description: 'the aggregate the event is about (e.g. the entry id)' },
    datacontenttype: { const: 'application/json' },
    actordept: { type: 'string', description: 'extension: the department whose act caused the event' },
    correlationid: { type: 'string', description: 'extension: the request that caused the event' },
    traceparent: { type: 'string', description: 'extension: W3C trace context of the producing span' },
  },
};

/**
 * The AsyncAPI 3.0 document of the platform's topics: one channel per topic (and its dead-letter topic),
 * one message per event type with its payload schema (EVENT_SCHEMAS), a send operation per producing
 * service and a receive operation per consuming one (EVENT_CHANNELS, TOPIC_CHANNELS). Written to
 * docs/events/asyncapi.json by `npm run contracts:asyncapi` and served at `GET /docs/events`.
 */
export function asyncApiDocument(): Record<string, unknown> {
  const types = (Object.keys(EVENT_CHANNELS) as EventType[]).sort();
  const typesOn = (topic: Topic) => types.filter((t) => EVENT_CHANNELS[t].topic === topic);
  const schemas: Record<string, unknown> = { CloudEvent: CLOUD_EVENT };
  const messages: Record<string, unknown> = {};
  for (const type of types) {
    // a JSON copy: TypeBox's own markers are symbols, which JSON leaves out
    schemas[type] = JSON.parse(JSON.stringify(EVENT_SCHEMAS[type])) as object;
    messages[type] = {
      name: type,
      title: type,
      summary: `CloudEvents type ${type} on ${EVENT_CHANNELS[type].topic}`,
      contentType: 'application/json',
      payload: {
        allOf: [
          ref('components/schemas/CloudEvent'),
          {
            type: 'object',
            properties: { type: { const: type }, data: ref(`components/schemas/${type}`) },
          },
        ],
      },
      bindings: {
        kafka: {
          key: { type: 'string', description: TOPIC_CHANNELS[EVENT_CHANNELS[type].topic].key },
          bindingVersion: '0.5.0',
        },
      },
    };
  }
  const channels: Record<string, unknown> = {};
  const operations: Record<string, unknown> = {};
  for (const topic of [...ALL_TOPICS].sort()) {
    const id = channelId(topic);
    const onTopic = typesOn(topic);
    const channelMessages = Object.fromEntries(onTopic.map((t) => [t, ref(`components/messages/${t}`)]));
    channels[id] = {
      address: topic,
      title: topic,
      description: `${TOPIC_CHANNELS[topic].description} Record key: ${TOPIC_CHANNELS[topic].key}.`,
      messages: channelMessages,
      bindings: { kafka: { topic, bindingVersion: '0.5.0' } },
    };
    channels[`${id}.dlq`] = {
      address: deadLetterTopic(topic),
      title: deadLetterTopic(topic),
      description: `Records of ${topic} a consumer could not process, unchanged, with the reason in the record headers (replay: npm run dead-letters).`,
      messages: channelMessages,
      bindings: { kafka: { topic: deadLetterTopic(topic), bindingVersion: '0.5.0' } },
    };
    const messageRefs = (ts: readonly EventType[], channel: string) =>
      ts.map((t) => ref(`channels/${channel}/messages/${t.replace(/\//g, '~1')}`));
    const producers = [
      ...new Set(onTopic.flatMap((t) => EVENT_CHANNELS[t].producers as readonly EventService[])),
    ];
    for (const service of producers.sort())
      operations[`${service}-sends-${id}`] = {
        action: 'send',
        title: `${service} publishes on ${topic}`,
        channel: ref(`channels/${id}`),
        messages: messageRefs(
          onTopic.filter((t) => (EVENT_CHANNELS[t].producers as readonly EventService[]).includes(service)),
          id,
        ),
      };
    for (const service of TOPIC_CHANNELS[topic].consumers)
      operations[`${service}-receives-${id}`] = {
        action: 'receive',
        title: `${service} consumes ${topic}`,
        channel: ref(`channels/${id}`),
        messages: messageRefs(onTopic, id),
      };
  }
  return {
    asyncapi: '3.0.0',
    info: {
      title: 'Joint reward and punishment platform — events',
      version: '1',
      description:
        'The Kafka topics of the platform and the CloudEvents they carry (API.md "Events"). Generated from libs/contracts by `npm run contracts:asyncapi`; do not edit. A deployment may prefix every topic (KAFKA_TOPIC_PREFIX).',
    },
    defaultContentType: 'application/json',
    servers: {
      kafka: {
        host: 'localhost:9092',
        protocol: 'kafka',
        description: 'The brokers of KAFKA_BROKERS (this address is the local development broker).',
      },
    },
    channels,
    operations,
    components: { schemas, messages },
  };
}
