import { randomUUID } from 'node:crypto';
import { TrailSealJob } from '../../apps/tracking/src/trail/trail-seal.job';
import { UNATTRIBUTED_TRAIL } from '../../apps/tracking/src/trail/trail.handlers';
import { EventTypes, Topics } from '@credit/contracts';
import { createCloudEvent, MessageBus } from '@credit/messaging';
import { DECISION, entry, uscc } from '../registry/registry-fixtures';
import { measureBody, seedCatalog } from '../support/catalog-fixtures';
import { waitFor } from '../support/infra';
import { api, startPlatform, TestPlatform } from '../support/services';

type TrailItem = {
  eventId: string;
  type: string;
  opaque?: true;
  sealed: boolean;
  data: Record<string, unknown>;
};

/**
 * The trail never drops an event it was sent: a poisoned event among good ones on the real bus (a NUL
 * the database refuses, a payload that breaks its schema, a record that is not JSON) is kept as an opaque,
 * escaped record — in its entry's trail when the entry id can be read — sealed into the hash chain like
 * the others, and counted by credit_trail_opaque_records_total.
 */
describe('tracking: the trail keeps what it cannot read as opaque records', () => {
  let platform: TestPlatform;
  const t: Record<string, string> = {};

  beforeAll(async () => {
    platform = await startPlatform();
    t.admin = await platform.token('CREDIT_OFFICE', ['admin']);
    t.court = await platform.token('COURT', ['initiator']);
    t.supervisor = await platform.token('CREDIT_OFFICE', ['supervisor']);
    await seedCatalog(platform, t.admin, { measures: [measureBody('OPAQUE-BAN', 'FINANCE')] });
  });

  afterAll(async () => {
    await platform?.close();
  });

  const trail = async (entryId: string) =>
    (
      await api<{ items: TrailItem[] }>('GET', `${platform.url.tracking}/v1/list-entries/${entryId}/trail`, {
        token: t.supervisor,
      })
    ).body.items ?? [];

  const opaqueCount = async () => {
    const text = await (await fetch(`${platform.url.tracking}/metrics`)).text();
    return [...text.matchAll(/^credit_trail_opaque_records_total\{[^}]*\} (\d+)/gm)].reduce(
      (n, m) => n + Number(m[1]),
      0,
    );
  };

  it('stores the poisoned events escaped and flagged, the good ones as usual, in one valid chain', async () => {
    const subjectId = uscc('AAQUE001');
    const entryId = await entry(
      { url: platform.url.registry },
      t.court,
      {
        listType: 'COURT_DEFAULTER',
        subject: { kind: 'legal_person', id: subjectId, name: 'x' },
        decision: DECISION,
      },
      ['notice', 'publish'],
    );
    const assignment = await waitFor(
      async () =>
        (
          await api<{ items: { id: string }[] }>(
            'GET',
            `${platform.url.trigger}/v1/assignments?entryId=${entryId}`,
            {
              token: t.supervisor,
            },
          )
        ).body.items?.[0],
      { message: 'the assignment issued' },
    );
    const before = await opaqueCount();
    const feedback = (type: string, extra: Record<string, unknown> = {}) =>
      createCloudEvent({
        type,
        source: 'credit/enforcement',
        subject: entryId,
        actorDept: 'FINANCE',
        data: {
          assignmentId: assignment.id,
          entryId,
          dept: 'FINANCE',
          actor: 'clerk',
          at: new Date().toISOString(),
          ...extra,
        },
      });
    const acknowledged = feedback(EventTypes.feedbackAcknowledged);
    const poisoned = feedback(EventTypes.feedbackEnforced, { detail: 'refused \u0000 here' });
    const invalid = feedback(EventTypes.feedbackEnforced, { detail: 42 });
    const enforced = feedback(EventTypes.feedbackEnforced, { detail: 'bid refused' });
    const notJson = `not json ${randomUUID()}`;
    await platform.app.tracking.get(MessageBus).publish(
      [acknowledged, poisoned, notJson, invalid, enforced].map((e) => ({
        topic: Topics.feedback,
        key: subjectId,
        value: typeof e === 'string' ? e : JSON.stringify(e),
      })),
    );

    const items = await waitFor(
      async () => {
        const found = await trail(entryId);
        const ids = new Set(found.map((i) => i.eventId));
        return [acknowledged, poisoned, invalid, enforced].every((e) => ids.has(e.id)) && found;
      },
      { message: 'every feedback event in the entry’s trail', timeoutMs: 30_000 },
    );
    const byId = new Map(items.map((i) => [i.eventId, i]));
    expect(byId.get(acknowledged.id)).not.toHaveProperty('opaque');
    expect(byId.get(enforced.id)).toMatchObject({ data: { detail: 'bid refused' } });
    expect(byId.get(enforced.id)).not.toHaveProperty('opaque');
    expect(byId.get(poisoned.id)).toMatchObject({
      type: EventTypes.feedbackEnforced,
      opaque: true,
      data: { opaque: true, code: 'MESSAGE.HANDLER_FAILED', event: { detail: 'refused \\u0000 here' } },
    });
    expect(byId.get(invalid.id)).toMatchObject({ opaque: true, data: { code: 'MESSAGE.INVALID_PAYLOAD' } });
    // a record whose entry cannot be read: the unattributed trail
    const unattributed = await waitFor(
      async () => (await trail(UNATTRIBUTED_TRAIL)).find((i) => i.data.raw === notJson),
      { message: 'the record that is not JSON in the unattributed trail' },
    );
    expect(unattributed).toMatchObject({
      opaque: true,
      type: 'unknown',
      data: { code: 'MESSAGE.MALFORMED_JSON' },
    });
    expect(await opaqueCount()).toBe(before + 3);

    // sealed into the hash chains like every other record
    for (const id of [entryId, UNATTRIBUTED_TRAIL]) {
      const verified = await waitFor(
        async () => {
          await platform.app.tracking.get(TrailSealJob).seal();
          const res = await api<{ valid: boolean; unsealed: number }>(
            'GET',
            `${platform.url.tracking}/v1/list-entries/${id}/trail/verify`,
            { token: t.supervisor },
          );
          return res.body.unsealed === 0 && res.body;
        },
        { message: `the trail of ${id} sealed` },
      );
      expect(verified).toMatchObject({ valid: true, unsealed: 0 });
    }
    expect((await trail(entryId)).filter((i) => i.opaque).every((i) => i.sealed)).toBe(true);
  });
});
