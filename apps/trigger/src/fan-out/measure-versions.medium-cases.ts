import { waitFor } from '../../../../test/support/infra';
import { MediumPlatform, startMedium } from '../../../../test/support/medium';
import { blockMeasure, publishCourtEntry, seedCourtDefaulter } from '../../../../test/support/medium-catalog';
import { uscc } from '../../../../test/support/medium-registry';

const BOND = 'enterprise_bond_issue';

/**
 * An assignment names the version of the measure it was issued under (AssignmentIssuer, ChangeMeasureUseCase):
 * a change makes a new version for what is issued next and leaves what was issued as it was. Registry and
 * trigger on the in-process bus. (Kafka's keys and redelivery of the fan-out: test/trigger/fan-out.)
 */
describe('measure versions on the assignments they issue', () => {
  let platform: MediumPlatform;
  let admin: string;
  let court: string;
  let supervisor: string;

  beforeAll(async () => {
    platform = await startMedium({ services: ['registry', 'trigger'] });
    admin = await platform.token('CREDIT_OFFICE', ['admin']);
    supervisor = await platform.token('CREDIT_OFFICE', ['supervisor']);
    await seedCourtDefaulter(platform, admin, ['COURT', 'NDRC'], [blockMeasure('X2-BOND', 'NDRC', BOND)]);
    court = await platform.token('COURT', ['initiator']);
  });
  afterAll(() => platform?.close());

  const publish = (body8: string) =>
    publishCourtEntry(platform, court, { kind: 'legal_person', id: uscc(body8), name: 'x' });
  const versionOf = async (entryId: string) => {
    const items = await waitFor(async () => {
      const res = await platform.api<{ items: { measureVersion: number }[] }>(
        'GET',
        `/v1/assignments?entryId=${entryId}&measureCode=X2-BOND`,
        { token: supervisor },
      );
      return res.body.items?.length === 1 ? res.body.items : undefined;
    });
    return items[0].measureVersion;
  };

  it('versions a changed measure; each assignment keeps the version it was issued under', async () => {
    const before = await publish('WERA0001');
    expect(await versionOf(before)).toBe(1);
    const changed = await platform.api<{ version: number; mode: string }>('PUT', '/v1/measures/X2-BOND', {
      token: admin,
      body: {
        text: '限制发行企业债券（修订）',
        kind: 'punishment',
        dept: 'NDRC',
        legalBasis: '证券法',
        subjectKinds: ['legal_person'],
        actions: [BOND],
        mode: 'block',
        feedbackWorkingDays: 5,
      },
    });
    expect(changed.body).toMatchObject({ version: 2, mode: 'block' });
    const after = await publish('WERA0002');
    expect(await versionOf(after)).toBe(2);
    expect(await versionOf(before)).toBe(1);
    const versions = await platform.api<{ items: { version: number; current: boolean }[] }>(
      'GET',
      '/v1/measures/X2-BOND/versions',
      { token: supervisor },
    );
    expect(versions.body.items.map((v) => [v.version, v.current])).toEqual([
      [2, true],
      [1, false],
    ]);
  });
});
