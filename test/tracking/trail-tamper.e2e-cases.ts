import { Client } from 'pg';
import { ServiceMessaging } from '@credit/messaging';
import { TRACKING_MESSAGING } from '../../apps/tracking/src/tracking.tokens';
import { TrailSealJob } from '../../apps/tracking/src/trail/trail-seal.job';
import { DECISION, uscc } from '../registry/registry-fixtures';
import { waitFor } from '../support/infra';
import { api, startPlatform, TestPlatform } from '../support/services';

type Verify = {
  valid: boolean;
  records: number;
  sealed: number;
  firstBroken: { position: number; type: string } | null;
  reason?: string;
};

/** The trail cannot be rewritten by the application, and a record altered in the database is found. */
describe('tracking: the trail is tamper-evident', () => {
  let platform: TestPlatform;
  let supervisor: string;
  let entryId: string;

  beforeAll(async () => {
    platform = await startPlatform();
    const admin = await platform.token('CREDIT_OFFICE', ['admin']);
    const court = await platform.token('COURT', ['initiator']);
    supervisor = await platform.token('CREDIT_OFFICE', ['supervisor']);
    await api('POST', `${platform.url.registry}/v1/departments`, {
      token: admin,
      body: { code: 'COURT', name: 'c', region: '330100' },
    });
    await api('POST', `${platform.url.registry}/v1/list-types`, {
      token: admin,
      body: {
        code: 'LT',
        name: 'l',
        colour: 'black',
        ownerDept: 'COURT',
        legalBasis: 'b',
        infoClass: 'A',
        severity: 'general',
        defaultPeriodDays: 365,
        subjectKinds: ['legal_person'],
        noticeWorkingDays: 0,
        suspendOnObjection: false,
      },
    });
    const created = await api<{ id: string }>('POST', `${platform.url.registry}/v1/list-entries`, {
      token: court,
      body: {
        listType: 'LT',
        subject: { kind: 'legal_person', id: uscc('TAMPER01'), name: 'x' },
        decision: DECISION,
      },
    });
    if (!created.body.id) throw new Error(`create failed: ${JSON.stringify(created.body)}`);
    entryId = created.body.id;
    for (const step of ['notice', 'publish'])
      await api('POST', `${platform.url.registry}/v1/list-entries/${entryId}/${step}`, { token: court });
    // the two documents served with the listing (两书同达), before the end: a fixed order of five records
    await waitFor(
      async () => {
        const res = await api<{ items: { status: string }[] }>(
          'GET',
          `${platform.url.registry}/v1/list-entries/${entryId}/documents`,
          { token: court },
        );
        return res.body.items?.filter((d) => d.status === 'issued').length === 2;
      },
      { message: 'the documents served' },
    );
    await api('POST', `${platform.url.registry}/v1/list-entries/${entryId}/end`, {
      token: court,
      body: { reason: 'revoked' },
    });
    await waitFor(
      async () => {
        const res = await api<{ items: unknown[] }>(
          'GET',
          `${platform.url.tracking}/v1/list-entries/${entryId}/trail`,
          { token: supervisor },
        );
        return res.body.items?.length === 6;
      },
      {
        message:
          'six trail records (noticed, published, fanned out with none issued, the two documents served, ended)',
      },
    );
    expect(await platform.app.tracking.get(TrailSealJob).seal()).toMatchObject({ sealed: 6 });
  });

  afterAll(async () => {
    await platform?.close();
  });

  const verify = async () =>
    (
      await api<Verify>('GET', `${platform.url.tracking}/v1/list-entries/${entryId}/trail/verify`, {
        token: supervisor,
      })
    ).body;

  it('refuses updates and deletes of records and seals from the database itself', async () => {
    const pg = new Client({ connectionString: platform.databaseUrl });
    await pg.connect();
    try {
      await expect(
        pg.query(`UPDATE tracking.trail_records SET actor_dept = 'X' WHERE entry_id = $1`, [entryId]),
      ).rejects.toThrow(/append-only/);
      await expect(
        pg.query(`DELETE FROM tracking.trail_records WHERE entry_id = $1`, [entryId]),
      ).rejects.toThrow(/append-only/);
      await expect(pg.query(`TRUNCATE tracking.trail_records`)).rejects.toThrow(/append-only/);
      await expect(
        pg.query(`UPDATE tracking.trail_seals SET hash = 'x' WHERE entry_id = $1`, [entryId]),
      ).rejects.toThrow(/append-only/);
      await expect(
        pg.query(`DELETE FROM tracking.trail_seals WHERE entry_id = $1`, [entryId]),
      ).rejects.toThrow(/append-only/);
      await expect(pg.query(`TRUNCATE tracking.trail_seals`)).rejects.toThrow(/append-only/);
    } finally {
      await pg.end();
    }
    expect(await verify()).toMatchObject({ valid: true, records: 6, sealed: 6, firstBroken: null });
  });

  it('names the first record altered behind its back (triggers disabled by a superuser)', async () => {
    const pg = new Client({ connectionString: platform.databaseUrl });
    await pg.connect();
    try {
      await pg.query('ALTER TABLE tracking.trail_records DISABLE TRIGGER USER');
      await pg.query(
        `UPDATE tracking.trail_records SET data = jsonb_set(data, '{reason}', '"expired"')
         WHERE entry_id = $1 AND type = 'credit.list-entry.ended.v1'`,
        [entryId],
      );
      await pg.query('ALTER TABLE tracking.trail_records ENABLE TRIGGER USER');
    } finally {
      await pg.end();
    }
    const result = await verify();
    expect(result.valid).toBe(false);
    expect(result.firstBroken).toMatchObject({ position: 6, type: 'credit.list-entry.ended.v1' });
    expect(result.reason).toMatch(/content/);
    const forbidden = await api('GET', `${platform.url.tracking}/v1/list-entries/${entryId}/trail/verify`, {
      token: await platform.token('COURT', ['initiator']),
    });
    expect(forbidden.status).toBe(403);
  });

  it('names the place of a seal removed behind its back', async () => {
    const pg = new Client({ connectionString: platform.databaseUrl });
    await pg.connect();
    try {
      await pg.query('ALTER TABLE tracking.trail_seals DISABLE TRIGGER USER');
      await pg.query(`DELETE FROM tracking.trail_seals WHERE entry_id = $1 AND position = 2`, [entryId]);
      await pg.query('ALTER TABLE tracking.trail_seals ENABLE TRIGGER USER');
    } finally {
      await pg.end();
    }
    const result = await verify();
    expect(result).toMatchObject({ valid: false, sealed: 5, firstBroken: { position: 3 } });
    expect(result.reason).toMatch(/missing/);
  });

  it('seals nothing past a partition the trail has not read to its end (decision 0011)', async () => {
    const messaging = platform.app.tracking.get<symbol, ServiceMessaging>(TRACKING_MESSAGING);
    const job = platform.app.tracking.get(TrailSealJob);
    const court = await platform.token('COURT', ['initiator']);
    expect((await job.watermark())!.getTime()).toBeGreaterThan(Date.now() - 1000); // read everything
    await messaging.stop();
    let pending: string;
    const before = new Date();
    try {
      const created = await api<{ id: string }>('POST', `${platform.url.registry}/v1/list-entries`, {
        token: court,
        body: {
          listType: 'LT',
          subject: { kind: 'legal_person', id: uscc('TAMPER02'), name: 'y' },
          decision: DECISION,
        },
      });
      pending = created.body.id;
      for (const step of ['notice', 'publish'])
        await api('POST', `${platform.url.registry}/v1/list-entries/${pending}/${step}`, { token: court });
      // once the publication is on its topic, unread, the watermark stays before it
      await waitFor(
        async () => {
          const w = await job.watermark();
          return w === null || w < before;
        },
        { message: 'the watermark held back by the unread partition' },
      );
      expect((await job.seal()).sealed).toBe(0);
    } finally {
      await messaging.start();
    }
    await waitFor(async () => (await job.watermark())! > before, {
      message: 'the trail read everything again',
    });
    await waitFor(async () => (await job.seal()).sealed > 0 || undefined, {
      message: 'the new records sealed',
    });
    const trail = await api<{ items: { type: string; sealed: boolean }[] }>(
      'GET',
      `${platform.url.tracking}/v1/list-entries/${pending!}/trail`,
      { token: supervisor },
    );
    expect(trail.body.items[0]).toMatchObject({ type: 'credit.list-entry.noticed.v1', sealed: true });
    expect(trail.body.items[1]).toMatchObject({ type: 'credit.list-entry.published.v1', sealed: true });
  });
});
