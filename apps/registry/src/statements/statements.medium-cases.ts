import { MediumPlatform } from '../../../../test/support/medium';
import {
  company,
  DECISION,
  entry,
  Problem,
  seededRegistry,
  Tokens,
  uscc,
} from '../../../../test/support/medium-registry';

type Statement = { id: string; receiptNo: string; status: string; reply?: string };

describe('statements (陈述申辩): filed while noticed, answered by the owner, before publication', () => {
  let platform: MediumPlatform;
  let tokens: Tokens;

  seededRegistry((started, seeded) => void ([platform, tokens] = [started, seeded]));

  const file = (entryId: string, token = tokens.tax) =>
    platform.api<Statement & Problem>('POST', `/v1/list-entries/${entryId}/statements`, {
      token,
      body: { content: '该笔税款已于决定前缴清，附缴款凭证', onBehalfOf: '当事人来函' },
    });
  const answer = (id: string, body: Record<string, unknown>, token = tokens.tax) =>
    platform.api<Statement & Problem>('POST', `/v1/statements/${id}/answer`, { token, body });
  const publish = (entryId: string) =>
    platform.api<Problem & { status: string | number }>('POST', `/v1/list-entries/${entryId}/publish`, {
      token: tokens.tax,
    });

  it('is refused on a draft, answered once by the owner, and holds publication until the period ends', async () => {
    const id = await entry(platform, tokens.tax, {
      listType: 'TAX_MAJOR',
      subject: company(uscc('MTMTM001')),
      decision: DECISION,
    });
    expect((await file(id)).body).toMatchObject({ status: 409, code: 'STATEMENT.ENTRY_NOT_NOTICED' });
    expect((await platform.api('POST', `/v1/list-entries/${id}/notice`, { token: tokens.tax })).status).toBe(
      200,
    );

    const filed = await file(id);
    expect(filed.status).toBe(201);
    expect(filed.body.receiptNo).toMatch(/^ST-\d{8}-[0-9A-Z]{8}$/);
    expect((await publish(id)).body).toMatchObject({ status: 409, code: 'LIST_ENTRY.STATEMENT_UNANSWERED' });

    expect((await answer(filed.body.id, { accepted: false, reply: 'x' }, tokens.court)).status).toBe(403);
    expect((await answer(filed.body.id, { accepted: true, reply: '属实' })).body.code).toBe(
      'STATEMENT.REMEDY_REQUIRED',
    );
    expect((await answer(filed.body.id, { accepted: false, reply: 'x', remedy: 'revoked' })).body.code).toBe(
      'STATEMENT.REMEDY_NOT_ALLOWED',
    );
    const reply = '经核查，缴款发生在决定之后，不予采纳';
    expect((await answer(filed.body.id, { accepted: false, reply })).body).toMatchObject({
      status: 'not_accepted',
      reply,
    });
    expect((await answer(filed.body.id, { accepted: false, reply })).body.code).toBe(
      'STATEMENT.ALREADY_ANSWERED',
    );

    expect((await publish(id)).body).toMatchObject({ status: 409, code: 'LIST_ENTRY.STATEMENT_PERIOD_OPEN' });
    await platform.sql(
      `UPDATE registry.list_entries SET statement_deadline = now() - interval '1 minute' WHERE id = $1`,
      [id],
    );
    expect((await publish(id)).body.status).toBe('published');
    // in force: the time for statements is over (an objection is the way now)
    expect((await file(id)).body).toMatchObject({ status: 409, code: 'STATEMENT.ENTRY_NOT_NOTICED' });
  });
});
