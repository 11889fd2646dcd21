import { Principal } from '@credit/auth';
import { AcceptRepairUseCase } from '../../apps/registry/src/repairs/accept-repair.usecase';
import { RequestRepairMaterialUseCase } from '../../apps/registry/src/repairs/request-repair-material.usecase';
import { SubmitRepairUseCase } from '../../apps/registry/src/repairs/submit-repair.usecase';
import { SupplyRepairMaterialUseCase } from '../../apps/registry/src/repairs/supply-repair-material.usecase';
import { waitFor } from '../support/infra';
import { KafkaProbe, TopicReader } from '../support/kafka-probe';
import { RegistryUnderTest, startRegistry } from '../support/registry-app';
import { api } from '../support/services';
import { DECISION, entry, seedRegistry, Tokens, tokensFor, uscc } from './registry-fixtures';

/** Beijing time */
const at = (iso: string) => new Date(`${iso}+08:00`);
type Application = {
  id: string;
  status: string;
  acceptDeadline: string | null;
  acceptDaysLeft: number | null;
  decideDeadline: string | null;
  overdue: boolean;
};
type Event = { type: string; data: Record<string, unknown> };

/**
 * The working-day clocks of 信用修复 on the real calendar and database (decision 0025): the use cases
 * are driven at chosen instants (a submission on the eve of the National Day holiday), the overdue list
 * and the events are read as their users read them (HTTP, Kafka).
 */
describe('registry: repair deadlines (信用修复时限)', () => {
  let registry: RegistryUnderTest;
  let tokens: Tokens;
  let submitRepair: SubmitRepairUseCase;
  let requestRepairMaterial: RequestRepairMaterialUseCase;
  let supplyRepairMaterial: SupplyRepairMaterialUseCase;
  let acceptRepair: AcceptRepairUseCase;
  let probe: KafkaProbe;
  let events: TopicReader;
  const court: Principal = { sub: 'court-user', dept: 'COURT', roles: ['initiator'] };
  let n = 0;
  const body = {
    statement: '已履行',
    commitment: { text: '承诺依法诚信经营' },
    conditions: [
      { code: 'obligations_performed', met: true, evidence: '结案通知书' },
      { code: 'behaviour_corrected', met: true, evidence: '整改报告' },
    ],
  };

  beforeAll(async () => {
    registry = await startRegistry();
    tokens = await tokensFor(registry);
    await seedRegistry(registry, tokens);
    submitRepair = registry.app.get(SubmitRepairUseCase);
    requestRepairMaterial = registry.app.get(RequestRepairMaterialUseCase);
    supplyRepairMaterial = registry.app.get(SupplyRepairMaterialUseCase);
    acceptRepair = registry.app.get(AcceptRepairUseCase);
    probe = new KafkaProbe(registry.topicPrefix);
    events = await probe.read('credit.list-entries');
  });

  afterAll(async () => {
    await probe?.close();
    await registry?.close();
  });

  /** A serious entry in force since 1 Sep 2025: repairable from 1 Sep 2026. */
  const inForce = () =>
    entry(
      registry,
      tokens.court,
      {
        listType: 'COURT_DEFAULTER',
        subject: { kind: 'legal_person', id: uscc(`DL${String((n += 1)).padStart(6, '0')}`), name: '某公司' },
        decision: DECISION,
        period: {
          from: '2025-09-01T00:00:00+08:00',
          to: '2027-09-01T00:00:00+08:00',
          reason: '测试：公示已满一年，可申请修复',
        },
      },
      ['notice', 'publish'],
    );
  const repairEvents = (applicationId: string) =>
    events.records
      .map((r) => JSON.parse(r.value!) as Event)
      .filter((e) => e.type.startsWith('credit.repair.') && e.data.applicationId === applicationId);
  const list = async (token: string, query = 'overdue=true') =>
    (await api<{ items: Application[] }>('GET', `${registry.url}/v1/repair-applications?${query}`, { token }))
      .body.items;

  it('counts the working days across the National Day holiday, and shows the late application as overdue', async () => {
    const id = await inForce();
    // Wed 30 Sep 2026; 1–7 Oct are holidays: due on Fri 9 Oct
    const submitted = await submitRepair.execute(court, id, body, at('2026-09-30T10:00:00'));
    expect(submitted.acceptDeadline).toBe(at('2026-10-09T10:00:00').toISOString());
    // today is past it: the owner and supervisors see it overdue, another department does not
    expect((await list(tokens.court)).map((a) => a.id)).toContain(submitted.id);
    expect((await list(tokens.supervisor)).find((a) => a.id === submitted.id)).toMatchObject({
      overdue: true,
    });
    expect((await list(tokens.tax)).map((a) => a.id)).not.toContain(submitted.id);

    // accepted on the deadline's day: on time; the decision is due five working days later, counting
    // the adjusted working Saturday 10 Oct: 10, 12, 13, 14, 15 Oct
    const accepted = await acceptRepair.execute(court, submitted.id, at('2026-10-09T09:00:00'));
    expect(accepted.decideDeadline).toBe(at('2026-10-15T09:00:00').toISOString());
    const decided = await api<Application>(
      'POST',
      `${registry.url}/v1/repair-applications/${submitted.id}/decide`,
      {
        token: tokens.court,
        body: { outcome: 'rejected', reason: '逾期处理' },
      },
    );
    expect(decided.body.status).toBe('rejected');
    expect((await list(tokens.court)).map((a) => a.id)).not.toContain(submitted.id);

    const trail = await waitFor(() => {
      const e = repairEvents(submitted.id);
      return e.length >= 3 ? e : undefined;
    });
    expect(trail.map((e) => [e.type, e.data.onTime])).toEqual([
      ['credit.repair.submitted.v1', undefined],
      ['credit.repair.accepted.v1', true],
      ['credit.repair.decided.v1', false], // decided today, long after 15 Oct
    ]);
    expect(trail[1].data).toMatchObject({
      acceptDeadline: at('2026-10-09T10:00:00').toISOString(),
      decideDeadline: at('2026-10-15T09:00:00').toISOString(),
    });
  });

  it('pauses the acceptance clock while material is asked for, and runs it again from the supply', async () => {
    const id = await inForce();
    const submitted = await submitRepair.execute(court, id, body, at('2026-11-02T09:00:00')); // Monday
    expect(submitted.acceptDeadline).toBe(at('2026-11-04T09:00:00').toISOString());
    const asked = await requestRepairMaterial.execute(
      court,
      submitted.id,
      { missing: ['缴款凭证'] },
      at('2026-11-03T11:00:00'),
    );
    expect(asked).toMatchObject({ status: 'material_requested', acceptDeadline: null, acceptDaysLeft: 1 });
    // paused: not overdue, however long the applicant takes
    expect((await list(tokens.court)).map((a) => a.id)).not.toContain(submitted.id);
    const supplied = await supplyRepairMaterial.execute(
      court,
      submitted.id,
      { material: '已补充缴款凭证' },
      at('2026-11-06T15:00:00'), // Friday
    );
    expect(supplied).toMatchObject({ status: 'submitted', acceptDaysLeft: null });
    expect(supplied.acceptDeadline).toBe(at('2026-11-09T15:00:00').toISOString()); // Monday
    const trail = await waitFor(() => {
      const e = repairEvents(submitted.id);
      return e.length >= 3 ? e : undefined;
    });
    expect(trail.map((e) => e.type)).toEqual([
      'credit.repair.submitted.v1',
      'credit.repair.material-requested.v1',
      'credit.repair.material-supplied.v1',
    ]);
    expect(trail[1].data.missing).toEqual(['缴款凭证']);
    expect(trail[2].data.acceptDeadline).toBe(at('2026-11-09T15:00:00').toISOString());
  });
});
