import { MediumPlatform } from '../../../../test/support/medium';
import {
  DECISION,
  entry,
  Problem,
  seededRegistry,
  Tokens,
  uscc,
} from '../../../../test/support/medium-registry';

type Objection = { id: string; status: string; entryId: string; deadline: string; overdue: boolean };

describe('objections (异议): who may open one, on what, and how often', () => {
  let platform: MediumPlatform;
  let tokens: Tokens;
  let n = 0;

  seededRegistry((started, seeded) => void ([platform, tokens] = [started, seeded]));

  const body = () => ({
    listType: 'COURT_DEFAULTER',
    subject: { kind: 'legal_person', id: uscc(`M0BJ${String((n += 1)).padStart(4, '0')}`), name: '某公司' },
    decision: DECISION,
  });
  const open = (id: string, token = tokens.court) =>
    platform.api<Objection & Problem>('POST', `/v1/list-entries/${id}/objections`, {
      token,
      body: { reason: '债务已清偿' },
    });
  const resolve = (id: string, outcome: Record<string, unknown>, token = tokens.court) =>
    platform.api<Objection & Problem>('POST', `/v1/objections/${id}/resolve`, { token, body: outcome });
  const getEntry = async (id: string) =>
    (
      await platform.api<{ status: string; objectionOpen: boolean }>('GET', `/v1/list-entries/${id}`, {
        token: tokens.court,
      })
    ).body;

  it('cannot be opened on an entry not in force, nor by another department, nor without a reason', async () => {
    const draft = await entry(platform, tokens.court, body());
    expect((await open(draft)).body).toMatchObject({ code: 'OBJECTION.ENTRY_NOT_IN_FORCE' });
    const id = await entry(platform, tokens.court, body(), ['notice', 'publish']);
    expect((await open(id, tokens.tax)).body).toMatchObject({ code: 'LIST_ENTRY.NOT_OWNER' });
    const empty = await platform.api<Problem>('POST', `/v1/list-entries/${id}/objections`, {
      token: tokens.court,
      body: {},
    });
    expect(empty.status).toBe(400);
    expect(empty.body.errors?.[0].field).toBe('reason');
  });

  it('flags the entry at once, allows one open objection, and is resolved once by its owner', async () => {
    const id = await entry(platform, tokens.court, body(), ['notice', 'publish']);
    const opened = await open(id);
    expect(opened.status).toBe(201);
    expect(opened.body).toMatchObject({ status: 'open', overdue: false, entryId: id });
    expect(new Date(opened.body.deadline).getTime()).toBeGreaterThan(Date.now() + 4 * 86_400_000);
    expect((await getEntry(id)).objectionOpen).toBe(true);
    expect((await open(id)).body).toMatchObject({ code: 'OBJECTION.ALREADY_OPEN' });
    expect((await resolve(opened.body.id, { outcome: 'upheld', note: 'x' }, tokens.tax)).status).toBe(403);
    expect(
      (await resolve(opened.body.id, { outcome: 'upheld', note: '经核查，失信事实成立' })).body.status,
    ).toBe('upheld');
    expect(await getEntry(id)).toMatchObject({ status: 'published', objectionOpen: false });
    expect((await resolve(opened.body.id, { outcome: 'withdrawn', note: 'x' })).body).toMatchObject({
      code: 'OBJECTION.ALREADY_RESOLVED',
      status: 409,
    });
  });
});
