import { randomUUID } from 'node:crypto';
import { MediumPlatform, startMedium } from '../../../../test/support/medium';
import { RunReconciliationUseCase } from './run-reconciliation.usecase';

type Pass = { ran: boolean; detected: Record<string, number>; cleared: number };
type Gaps = { items: { kind: string; assignmentId?: string }[] };

const DAY = 86_400_000;

/**
 * 对账 (RunReconciliationUseCase) in tracking alone: a supervisor runs a pass now (the job runs the same
 * pass on its schedule); an ended entry's assignment never lifted is recorded once as a gap, and cleared
 * when the lift is heard. (Gaps planted through the real services: test/tracking/reconciliation.)
 */
describe('reconciliation (对账): a pass run on demand', () => {
  let platform: MediumPlatform;
  let supervisor: string;

  beforeAll(async () => {
    platform = await startMedium({ services: ['tracking'] });
    supervisor = await platform.token('CREDIT_OFFICE', ['supervisor']);
  });
  afterAll(() => platform?.close());

  const run = (token = supervisor) =>
    platform.api<Pass & { code?: string }>('POST', '/v1/reconciliation/runs', { token });

  it('records an unlifted assignment of an ended entry once, and clears it when lifted', async () => {
    const [entryId, assignmentId] = [randomUUID(), randomUUID()];
    const endedAt = new Date(Date.now() - 2 * DAY);
    await platform.sql(
      `INSERT INTO tracking.entries (entry_id, owner_dept, list_type, published_at, ended_at, end_reason,
         fan_outs, declared, issued)
       VALUES ($1, 'COURT', 'COURT_DEFAULTER', $2, $3, 'repaired', 1, 1, 1)`,
      [entryId, new Date(endedAt.getTime() - 30 * DAY), endedAt],
    );
    await platform.sql(
      `INSERT INTO tracking.follow_up_assignments (id, entry_id, dept, issued) VALUES ($1, $2, 'FINANCE', true)`,
      [assignmentId, entryId],
    );
    expect((await run(await platform.token('COURT', ['initiator']))).status).toBe(403);

    const first = await run();
    expect([first.status, first.body.ran, first.body.detected.lift_missing]).toEqual([200, true, 1]);
    const gaps = await platform.api<Gaps>('GET', '/v1/reconciliation', { token: supervisor });
    expect(gaps.body.items.filter((g) => g.kind === 'lift_missing')).toEqual([
      expect.objectContaining({ assignmentId }),
    ]);
    expect((await run()).body.detected.lift_missing).toBe(0); // recorded once

    await platform.sql('UPDATE tracking.follow_up_assignments SET lifted_at = now() WHERE id = $1', [
      assignmentId,
    ]);
    const cleared = await platform.get(RunReconciliationUseCase).execute();
    expect(cleared.cleared).toBeGreaterThanOrEqual(1);
    const after = await platform.api<Gaps>('GET', '/v1/reconciliation', { token: supervisor });
    expect(after.body.items.filter((g) => g.kind === 'lift_missing')).toEqual([]);
  });
});
