import { MediumPlatform } from '../../../../test/support/medium';
import {
  company,
  DECISION,
  entry,
  seededRegistry,
  Tokens,
  uscc,
} from '../../../../test/support/medium-registry';

type Changes = {
  items: { kind: string; reason: string | null; entryId: string }[];
  nextCursor: string | null;
};

/** The supervisor's read of the 公示 feed: publications and withdrawals newest first, with the reason. */
describe('the publication feed (公示动态) as supervisors read it', () => {
  let platform: MediumPlatform;
  let tokens: Tokens;

  seededRegistry((started, seeded) => void ([platform, tokens] = [started, seeded]));

  const changes = (query = '', token = tokens.supervisor) =>
    platform.api<Changes>('GET', `/v1/publication-feed/changes${query}`, { token });

  it('shows the supervisor publications and withdrawals, newest first, with the reason', async () => {
    const id = await entry(
      platform,
      tokens.court,
      {
        listType: 'COURT_DEFAULTER',
        subject: company(uscc('FEED0001'), '公示动态测试公司'),
        decision: DECISION,
      },
      ['notice', 'publish'],
    );
    const ended = await platform.api('POST', `/v1/list-entries/${id}/end`, {
      token: tokens.court,
      body: { reason: 'revoked', note: '撤销' },
    });
    expect(ended.status).toBe(200);
    const all = await changes();
    expect(all.status).toBe(200);
    expect(all.body.items.filter((c) => c.entryId === id).map((c) => [c.kind, c.reason])).toEqual([
      ['withdrawn', 'revoked'],
      ['published', null],
    ]);
    const first = await changes('?limit=1');
    expect(first.body.items.map((c) => c.kind)).toEqual(['withdrawn']);
    const second = await changes(`?limit=1&cursor=${first.body.nextCursor}`);
    expect(second.body.items.map((c) => c.kind)).toEqual(['published']);
    const withdrawals = await changes('?kind=withdrawn');
    expect(withdrawals.body.items.every((c) => c.kind === 'withdrawn')).toBe(true);
    expect((await changes('', tokens.court)).status).toBe(403);
  });
});
