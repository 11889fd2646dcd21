import { MediumPlatform, startMedium } from '../../../../test/support/medium';
import { tokensOf } from '../../../../test/support/medium-principals';
import { GrantWatchUseCase } from './grant-watch.usecase';

type Problem = { code: string };

const SUBJECT = '91330106MA2H7QK4XQ';
const OTHER = '91350100M000100Y43';

/**
 * The watch list's use cases (WatchSubjectUseCase, UnwatchSubjectUseCase, GrantWatchUseCase): a department
 * watches only a subject it has a reason to follow — here an admin's grant — takes it off once, and sees
 * only its own list. (Notifications as entries change: test/enforcement.)
 */
describe('watch list (关注名单): grants, watching and unwatching', () => {
  let platform: MediumPlatform;
  let tokens: Record<'admin' | 'finance' | 'ndrc', string>;

  beforeAll(async () => {
    platform = await startMedium({ services: ['enforcement'] });
    tokens = await tokensOf(platform, ['admin', 'finance', 'ndrc']);
  });
  afterAll(() => platform?.close());

  const watch = (token: string, subjectId: string, note?: string) =>
    platform.api<{ subjectId: string; note: string | null } & Problem>('PUT', `/v1/watch-list/${subjectId}`, {
      token,
      body: note === undefined ? {} : { note },
    });
  const listed = async (token: string) =>
    (
      await platform.api<{ items: { subjectId: string }[] }>('GET', '/v1/watch-list', { token })
    ).body.items.map((w) => w.subjectId);

  it('watches a granted subject only, and takes it off once', async () => {
    const refused = await watch(tokens.finance, SUBJECT);
    expect([refused.status, refused.body.code]).toEqual([403, 'WATCH_LIST.NO_REASON']);

    const granted = await platform.api('PUT', `/v1/watch-list/grants/FINANCE/${SUBJECT.toLowerCase()}`, {
      token: tokens.admin,
    });
    expect([granted.status, granted.body]).toEqual([200, { dept: 'FINANCE', subjectId: SUBJECT }]);
    const watched = await watch(tokens.finance, SUBJECT, '本局许可证持有人');
    expect([watched.status, watched.body]).toEqual([200, { subjectId: SUBJECT, note: '本局许可证持有人' }]);
    expect(await listed(tokens.finance)).toEqual([SUBJECT]);
    expect(await listed(tokens.ndrc)).toEqual([]);

    const unwatch = (token: string) =>
      platform.api<Problem>('DELETE', `/v1/watch-list/${SUBJECT}`, { token });
    expect((await unwatch(tokens.ndrc)).body.code).toBe('WATCH_LIST.NOT_WATCHED');
    expect((await unwatch(tokens.finance)).status).toBe(204);
    const again = await unwatch(tokens.finance);
    expect([again.status, again.body.code]).toEqual([404, 'WATCH_LIST.NOT_WATCHED']);
  });

  it('grants without HTTP too, by whoever the principal is', async () => {
    const admin = { sub: 'admin-7', dept: 'CREDIT_OFFICE', roles: ['admin' as const] };
    expect(await platform.get(GrantWatchUseCase).execute(admin, 'NDRC', OTHER)).toEqual({
      dept: 'NDRC',
      subjectId: OTHER,
    });
    const [grant] = await platform.sql<{ granted_by: string }>(
      'SELECT granted_by FROM enforcement.watch_grants WHERE dept = $1 AND subject_id = $2',
      ['NDRC', OTHER],
    );
    expect(grant.granted_by).toBe('admin-7');
    expect((await watch(tokens.ndrc, OTHER)).status).toBe(200);
  });
});
