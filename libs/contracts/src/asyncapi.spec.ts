import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DiagnosticSeverity, Parser } from '@asyncapi/parser';
import { asyncApiDocument } from './asyncapi';
import { EVENT_CHANNELS } from './event-channels';
import { ASYNCAPI_FILE, EVENT_SCHEMA_DIR } from './event-schema-documents';
import { EventType, EventTypes } from './event-types';
import { ALL_TOPICS, deadLetterTopic } from './topics';

const committed = join(__dirname, '..', '..', '..', EVENT_SCHEMA_DIR, ASYNCAPI_FILE);

describe('docs/events/asyncapi.json: the AsyncAPI document of the topics', () => {
  const text = readFileSync(committed, 'utf8');

  it('is the one the contracts generate (else: npm run contracts:asyncapi)', () => {
    expect(JSON.parse(text)).toEqual(asyncApiDocument());
  });

  it('is a valid AsyncAPI 3 document: the parser reports no error', async () => {
    const { document, diagnostics } = await new Parser().parse(text);
    const errors = diagnostics
      .filter((d) => d.severity === DiagnosticSeverity.Error)
      .map((d) => `${d.code} ${d.path.join('.')}: ${d.message}`);
    expect(errors).toEqual([]);
    expect(document?.version()).toMatch(/^3\./);
  }, 60_000);

  it('has every event type of the code as a message, on the channel of its topic', async () => {
    const { document } = await new Parser().parse(text);
    const onChannel = new Map<string, string[]>();
    for (const channel of document!.channels())
      onChannel.set(
        channel.address()!,
        channel
          .messages()
          .all()
          .map((m) => m.name()!),
      );
    const missing = (Object.values(EventTypes) as EventType[]).filter(
      (type) => !onChannel.get(EVENT_CHANNELS[type].topic)?.includes(type),
    );
    expect({ missing }).toEqual({ missing: [] });
    // and every topic has its channel and its dead-letter channel
    expect([...onChannel.keys()].sort()).toEqual(ALL_TOPICS.flatMap((t) => [t, deadLetterTopic(t)]).sort());
    // each message names its payload's schema: the envelope and the type's data
    for (const message of document!.messages().all())
      expect(JSON.stringify(message.payload()?.json())).toContain(`"const":"${message.name()}"`);
  }, 60_000);

  it('gives every event type a producing operation', () => {
    const doc = asyncApiDocument() as {
      operations: Record<string, { action: string; messages: { $ref: string }[] }>;
    };
    const sent = new Set(
      Object.values(doc.operations)
        .filter((o) => o.action === 'send')
        .flatMap((o) => o.messages.map((m) => m.$ref.split('/').pop())),
    );
    expect(Object.values(EventTypes).filter((t) => !sent.has(t))).toEqual([]);
  });
});
