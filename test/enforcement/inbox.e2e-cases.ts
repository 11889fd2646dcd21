import { DECISION, idNumber, uscc } from '../registry/registry-fixtures';
import { waitFor } from '../support/infra';
import { measureBody, seedCatalog } from '../support/catalog-fixtures';
import { api, startPlatform, TestPlatform } from '../support/services';

type Item = {
  id: string;
  dept: string;
  status: string;
  measureCode: string;
  entryId: string;
  issuedAt: string;
};
type Problem = { code: string; status: number; errors?: { field: string }[] };

/** The department inbox (issue 5): isolation, every feedback path, batch acknowledgement, filters, watch lists. */
describe('enforcement: the department inbox', () => {
  let platform: TestPlatform;
  const t: Record<string, string> = {};
  let n = 0;

  beforeAll(async () => {
    platform = await startPlatform();
    for (const [name, dept, role] of [
      ['admin', 'CREDIT_OFFICE', 'admin'],
      ['court', 'COURT', 'initiator'],
      ['finance', 'FINANCE', 'implementer'],
      ['financeSystem', 'FINANCE', 'system'],
      ['ndrc', 'NDRC', 'implementer'],
      ['samr', 'SAMR', 'system'],
      ['financeInitiator', 'FINANCE', 'initiator'],
    ] as const) {
      t[name] = await platform.token(dept, [role]);
    }
    await seedCatalog(platform, t.admin, {
      listType: { suspendOnObjection: true },
      measures: [
        measureBody('FIN-A', 'FINANCE'),
        measureBody('FIN-B', 'FINANCE'),
        measureBody('NDRC-A', 'NDRC'),
      ],
    });
  });

  afterAll(async () => {
    await platform?.close();
  });

  async function listed(extra: Record<string, unknown> = {}) {
    const id = uscc(`1NB0X${String((n += 1)).padStart(3, '0')}`);
    const created = await api<{ id: string }>('POST', `${platform.url.registry}/v1/list-entries`, {
      token: t.court,
      body: {
        listType: 'COURT_DEFAULTER',
        subject: { kind: 'legal_person', id, name: 'x' },
        decision: DECISION,
        ...extra,
      },
    });
    for (const step of ['notice', 'publish']) {
      await api('POST', `${platform.url.registry}/v1/list-entries/${created.body.id}/${step}`, {
        token: t.court,
      });
    }
    return { subjectId: id, entryId: created.body.id };
  }

  const inbox = async (token: string, query = '') =>
    (
      await api<{ items: Item[]; nextCursor: string | null }>(
        'GET',
        `${platform.url.enforcement}/v1/inbox${query}`,
        { token },
      )
    ).body;

  const itemsOf = (token: string, entryId: string, count: number) =>
    waitFor(
      async () => {
        const items = (await inbox(token, '?limit=500')).items.filter((i) => i.entryId === entryId);
        return items.length === count ? items : undefined;
      },
      { message: `${count} inbox items` },
    );

  it("keeps each department to its own assignments: it can neither see nor touch another's", async () => {
    const { entryId } = await listed();
    const finance = await itemsOf(t.finance, entryId, 2);
    const ndrc = await itemsOf(t.ndrc, entryId, 1);
    expect(finance.every((i) => i.dept === 'FINANCE')).toBe(true);
    expect((await inbox(t.samr)).items.filter((i) => i.entryId === entryId)).toEqual([]);
    for (const [path, body] of [
      ['ack', undefined],
      ['feedback', { outcome: 'enforced', detail: 'x' }],
      ['lift-confirmation', undefined],
    ] as const) {
      const res = await api<Problem>(
        'POST',
        `${platform.url.enforcement}/v1/assignments/${ndrc[0].id}/${path}`,
        {
          token: t.finance,
          body,
        },
      );
      expect(res.status).toBe(403);
      expect(res.body.code).toBe('ASSIGNMENT.OTHER_DEPARTMENT');
    }
    expect((await inbox(t.financeInitiator, '')).items).toBeUndefined(); // wrong role: 403 problem, no items
    const wrongRole = await api('GET', `${platform.url.enforcement}/v1/inbox`, { token: t.financeInitiator });
    expect(wrongRole.status).toBe(403);
  });

  it('walks every feedback path and refuses steps out of order', async () => {
    const { entryId } = await listed();
    const [a, b] = await itemsOf(t.finance, entryId, 2);
    const post = (id: string, path: string, body?: unknown) =>
      api<Item & Problem>('POST', `${platform.url.enforcement}/v1/assignments/${id}/${path}`, {
        token: t.financeSystem,
        body,
      });

    expect((await post(a.id, 'feedback', { outcome: 'enforced', detail: 'x' })).body).toMatchObject({
      code: 'ASSIGNMENT.TRANSITION_NOT_ALLOWED',
      currentStatus: 'issued',
    });
    expect((await post(a.id, 'lift-confirmation')).status).toBe(409);
    expect((await post(a.id, 'ack')).body.status).toBe('acknowledged');
    expect((await post(a.id, 'ack')).body.status).toBe('acknowledged'); // a retried ack is harmless
    expect(
      (await post(a.id, 'feedback', { outcome: 'enforced', detail: '已否决投标', reference: 'ZFCG-1' })).body
        .status,
    ).toBe('enforced');
    expect((await post(a.id, 'feedback', { outcome: 'enforced', detail: '又一次' })).body.status).toBe(
      'enforced',
    );
    expect((await post(a.id, 'feedback', { outcome: 'not_applicable', detail: 'x' })).status).toBe(409);

    await post(b.id, 'ack');
    const noReason = await post(b.id, 'feedback', { outcome: 'not_applicable' });
    expect(noReason.status).toBe(400);
    expect(noReason.body.errors?.map((e) => e.field)).toContain('detail');
    expect(
      (await post(b.id, 'feedback', { outcome: 'not_applicable', detail: '该主体无采购业务' })).body.status,
    ).toBe('not_applicable');

    // the trigger follows every step
    await waitFor(
      async () => {
        const res = await api<{ items: { id: string; status: string }[] }>(
          'GET',
          `${platform.url.trigger}/v1/assignments?entryId=${entryId}&dept=FINANCE`,
          { token: t.court },
        );
        const status = Object.fromEntries(res.body.items.map((i) => [i.id, i.status]));
        return status[a.id] === 'enforced' && status[b.id] === 'not_applicable';
      },
      { message: 'trigger sees enforced and not applicable' },
    );

    await api('POST', `${platform.url.registry}/v1/list-entries/${entryId}/end`, {
      token: t.court,
      body: { reason: 'repaired' },
    });
    await waitFor(async () => (await inbox(t.finance, '?status=lifted')).items.some((i) => i.id === a.id), {
      message: 'lifted',
    });
    expect((await post(a.id, 'lift-confirmation')).body.status).toBe('lift_confirmed');
    expect((await post(a.id, 'lift-confirmation')).status).toBe(409);
    // not applicable was never binding: nothing to lift or confirm
    expect((await inbox(t.finance, '?status=not_applicable')).items.some((i) => i.id === b.id)).toBe(true);
  });

  it('acknowledges many at once, each id answering for itself', async () => {
    const { entryId } = await listed();
    const items = await itemsOf(t.finance, entryId, 2);
    const ndrc = await itemsOf(t.ndrc, entryId, 1);
    const res = await api<{ items: { id: string; status?: string; error?: { code: string } }[] }>(
      'POST',
      `${platform.url.enforcement}/v1/assignments/ack`,
      { token: t.finance, body: { ids: [items[0].id, items[1].id, ndrc[0].id] } },
    );
    expect(res.status).toBe(200);
    expect(res.body.items).toEqual([
      { id: items[0].id, status: 'acknowledged' },
      { id: items[1].id, status: 'acknowledged' },
      { id: ndrc[0].id, error: expect.objectContaining({ code: 'ASSIGNMENT.OTHER_DEPARTMENT' }) },
    ]);
    const tooMany = await api('POST', `${platform.url.enforcement}/v1/assignments/ack`, {
      token: t.finance,
      body: { ids: Array.from({ length: 501 }, () => items[0].id) },
    });
    expect(tooMany.status).toBe(400);
  });

  it('filters by status, measure, list type and issue date, and pages with a cursor', async () => {
    await listed();
    const all = await waitFor(async () => {
      const body = await inbox(t.finance, '?limit=500');
      return body.items.length >= 8 ? body.items : undefined;
    });
    const byMeasure = await inbox(t.finance, '?measureCode=FIN-B&limit=500');
    expect(byMeasure.items.length).toBeGreaterThan(0);
    expect(byMeasure.items.every((i) => i.measureCode === 'FIN-B')).toBe(true);
    expect((await inbox(t.finance, '?listType=OTHER')).items).toEqual([]);
    const future = new Date(Date.now() + 3_600_000).toISOString();
    expect((await inbox(t.finance, `?issuedFrom=${encodeURIComponent(future)}`)).items).toEqual([]);
    expect((await inbox(t.finance, `?issuedTo=${encodeURIComponent(future)}&limit=500`)).items).toHaveLength(
      all.length,
    );
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: Item[]; nextCursor: string | null } = await inbox(
        t.finance,
        `?limit=3${cursor ? `&cursor=${cursor}` : ''}`,
      );
      seen.push(...page.items.map((i) => i.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen.sort()).toEqual(all.map((i) => i.id).sort());
    expect(
      (await api('GET', `${platform.url.enforcement}/v1/inbox?issuedFrom=yesterday`, { token: t.finance }))
        .status,
    ).toBe(400);
  });

  it('tells a department at once when a subject it watches, or its legal representative, is listed and lifted', async () => {
    const watched = uscc('WATCH001');
    const representative = idNumber('19850505', '333');
    // neither implements a measure that could reach them: an admin grants them a reason to follow
    for (const [dept, subject] of [
      ['SAMR', watched],
      ['NDRC', representative],
    ])
      expect(
        (
          await api('PUT', `${platform.url.enforcement}/v1/watch-list/grants/${dept}/${subject}`, {
            token: t.admin,
            body: {},
          })
        ).status,
      ).toBe(200);
    expect(
      (
        await api('PUT', `${platform.url.enforcement}/v1/watch-list/${watched}`, {
          token: t.samr,
          body: { note: '许可证持有人' },
        })
      ).status,
    ).toBe(200);
    await api('PUT', `${platform.url.enforcement}/v1/watch-list/${representative}`, {
      token: t.ndrc,
      body: {},
    });
    const created = await api<{ id: string }>('POST', `${platform.url.registry}/v1/list-entries`, {
      token: t.court,
      body: {
        listType: 'COURT_DEFAULTER',
        subject: { kind: 'legal_person', id: watched, name: '被关注企业' },
        relatedPersons: [
          { role: 'legal_representative', kind: 'individual', id: representative, name: '某人' },
        ],
        decision: DECISION,
      },
    });
    for (const step of ['notice', 'publish'])
      await api('POST', `${platform.url.registry}/v1/list-entries/${created.body.id}/${step}`, {
        token: t.court,
      });
    type Notification = {
      id: number;
      type: string;
      subjectId: string;
      entryId: string;
      summary: { listType: string };
    };
    const notifications = async (token: string, after = 0) =>
      (
        await api<{ items: Notification[] }>(
          'GET',
          `${platform.url.enforcement}/v1/watch-list/notifications?after=${after}`,
          { token },
        )
      ).body.items;
    const samr = await waitFor(
      async () => {
        const items = await notifications(t.samr);
        return items.length > 0 ? items : undefined;
      },
      { message: 'SAMR notified' },
    );
    expect(samr[0]).toMatchObject({
      type: 'credit.list-entry.published.v1',
      subjectId: watched,
      entryId: created.body.id,
      summary: { listType: 'COURT_DEFAULTER' },
    });
    await waitFor(async () => (await notifications(t.ndrc)).some((x) => x.subjectId === representative), {
      message: 'NDRC notified about the representative',
    });
    expect(await notifications(t.finance)).toEqual([]);

    await api('POST', `${platform.url.registry}/v1/list-entries/${created.body.id}/end`, {
      token: t.court,
      body: { reason: 'repaired' },
    });
    const later = await waitFor(
      async () => {
        const items = await notifications(t.samr, samr[samr.length - 1].id);
        return items.length > 0 ? items : undefined;
      },
      { message: 'SAMR told of the end' },
    );
    expect(later[0].type).toBe('credit.list-entry.ended.v1');
    await waitFor(
      async () => (await notifications(t.ndrc)).some((x) => x.type === 'credit.list-entry.ended.v1'),
      {
        message: 'NDRC told of the end too',
      },
    );
    expect(
      (await api('DELETE', `${platform.url.enforcement}/v1/watch-list/${watched}`, { token: t.samr })).status,
    ).toBe(204);
    expect(
      (await api('DELETE', `${platform.url.enforcement}/v1/watch-list/${watched}`, { token: t.samr })).status,
    ).toBe(404);
  });
});
