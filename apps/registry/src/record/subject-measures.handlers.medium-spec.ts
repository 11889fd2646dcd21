import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { AssignmentIssuedV1, CloudEvent } from '@credit/contracts';
import { MediumPlatform, startMedium } from '../../../../test/support/medium';
import { REGISTRY_DB } from '../registry.tokens';
import { SubjectMeasuresHandlers } from './subject-measures.handlers';

/**
 * Registry's copy of the measures in force (GET /v1/me/record): a burst of issued assignments is stored
 * by one statement, with the same rows the one-at-a-time handler stores (a batch that fails is retried
 * record by record), and an assignment delivered twice is stored once.
 */
describe('the measures in force for the record: issued one by one or as a run', () => {
  let platform: MediumPlatform;
  let handlers: SubjectMeasuresHandlers;
  let db: DataSource;

  beforeAll(async () => {
    platform = await startMedium({ services: ['registry'] });
    handlers = platform.get(SubjectMeasuresHandlers);
    db = platform.app.get<DataSource>(REGISTRY_DB);
  });
  afterAll(() => platform?.close());

  const issued = (entryId: string, n: number, role?: string): CloudEvent<AssignmentIssuedV1> =>
    ({
      id: randomUUID(),
      type: 'credit.assignment.issued.v1',
      data: {
        assignmentId: randomUUID(),
        entryId,
        dept: n % 2 ? 'TAX' : 'MARKET',
        measure: { code: `M${n}`, text: `措施 ${n}`, mode: 'block', legalBasis: '《条例》第十条' },
        target: { id: '91330100MA2B000001', ...(role ? { role } : {}) },
        period: { from: '2026-01-01T00:00:00.000Z', to: '2028-01-01T00:00:00.000Z' },
        issuedAt: `2026-01-0${(n % 9) + 1}T08:00:00.000Z`,
      },
    }) as unknown as CloudEvent<AssignmentIssuedV1>;

  const rows = (entryId: string) =>
    platform.sql<Record<string, unknown>>(
      `SELECT dept, measure_code, measure_text, mode, legal_basis, target_id, target_role, until, issued_at,
              suspended
         FROM registry.subject_measures WHERE entry_id = $1 ORDER BY measure_code`,
      [entryId],
    );

  it('stores a run of issued assignments as the single handler stores each, and a repeat once', async () => {
    const [one, many] = [randomUUID(), randomUUID()];
    const events = (entryId: string) =>
      [1, 2, 3].map((n) => issued(entryId, n, n === 3 ? 'legal_rep' : undefined));
    const singly = events(one);
    const together = events(many);
    await db.transaction(async (manager) => {
      for (const event of singly) await handlers.issued(event, manager);
      await handlers.issuedMany([...together, together[0]], manager);
      await handlers.issuedMany([together[1]], manager);
    });
    const stored = await rows(many);
    expect(stored).toHaveLength(3);
    expect(stored).toEqual(await rows(one));
    expect(stored[2]).toMatchObject({ measure_code: 'M3', target_role: 'legal_rep', suspended: false });
    expect(new Date(stored[0].until as string).toISOString()).toBe('2028-01-01T00:00:00.000Z');
  });
});
