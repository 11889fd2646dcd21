import { measureBody } from '../../../../test/support/catalog-seed';
import { MediumPlatform, startMedium } from '../../../../test/support/medium';

type Problem = { code: string };
type MeasureView = {
  code: string;
  version: number;
  dept: string;
  current: boolean;
  retiredAt: string | null;
};
type Rescreen = { rescreenJob: { kind: string; reason: string } };

/**
 * The measure catalog (措施清单) in trigger alone: CreateMemorandumUseCase, AddMeasureUseCase,
 * ChangeMeasureUseCase and RetireMeasureUseCase. Their rules of lawful measures, imports and what a
 * re-screening issues or lifts on entries in force: lawful/lawful-measures.medium-spec.ts and
 * test/trigger/fan-out.e2e-cases.ts.
 */
describe('the measure catalog (措施清单): memoranda and versioned measures', () => {
  let platform: MediumPlatform;
  let admin: string;

  beforeAll(async () => {
    platform = await startMedium({ services: ['trigger'] });
    admin = await platform.token('CREDIT_OFFICE', ['admin']);
  });
  afterAll(() => platform?.close());

  const call = <T>(method: string, path: string, body?: unknown, token = admin) =>
    platform.api<T & Problem>(method, path, { token, body });
  const memorandum = (code: string, measures: unknown[]) =>
    call<{ code: string; measures: MeasureView[] } & Rescreen>('POST', '/v1/memoranda', {
      code,
      title: code,
      documentNo: 'd',
      listTypes: ['COURT_DEFAULTER'],
      measures,
    });

  it('records a memorandum with its measures once, each code once, and re-screens for what it adds', async () => {
    const created = await memorandum('MOU-CAT-1', [measureBody('CAT-BAN', 'FINANCE')]);
    expect(created.status).toBe(201);
    expect(created.body.measures).toEqual([
      expect.objectContaining({ code: 'CAT-BAN', version: 1, current: true, retiredAt: null }),
    ]);
    expect(created.body.rescreenJob).toMatchObject({ kind: 'issue', reason: 'memorandum MOU-CAT-1 added' });
    expect((await memorandum('MOU-CAT-1', [measureBody('CAT-OTHER', 'FINANCE')])).body.code).toBe(
      'MEMORANDUM.ALREADY_EXISTS',
    );
    expect((await memorandum('MOU-CAT-2', [measureBody('CAT-BAN', 'NDRC')])).body.code).toBe(
      'MEASURE.ALREADY_EXISTS',
    );
    const twice = await memorandum('MOU-CAT-3', [measureBody('CAT-X', 'NDRC'), measureBody('CAT-X', 'NDRC')]);
    expect(twice.body.code).toBe('MEMORANDUM.DUPLICATE_MEASURE');
    const forbidden = await call(
      'POST',
      '/v1/memoranda',
      {},
      await platform.token('FINANCE', ['implementer']),
    );
    expect(forbidden.status).toBe(403);
  });

  it('takes only department codes as the department of a measure and as signatories, naming the field', async () => {
    type Refusal = { status: number; body: Problem & { errors?: { field: string }[] } };
    const field = (res: Refusal) => [res.status, res.body.code, res.body.errors?.[0]?.field];
    const added = (await call('POST', '/v1/memoranda/MOU-CAT-1/measures', {
      ...measureBody('CAT-DEPT', 'x'.repeat(100_000)),
    })) as Refusal;
    expect(field(added)).toEqual([400, 'VALIDATION.FAILED', 'dept']);
    const lowerCase = (await memorandum('MOU-CAT-D', [measureBody('CAT-D', 'finance')])) as Refusal;
    expect(field(lowerCase)).toEqual([400, 'VALIDATION.FAILED', 'measures.0.dept']);
    const signatories = (await call('POST', '/v1/memoranda', {
      code: 'MOU-CAT-S',
      title: 't',
      documentNo: 'd',
      listTypes: ['COURT_DEFAULTER'],
      signatories: ['NDRC', '发改委'],
      measures: [measureBody('CAT-S', 'NDRC')],
    })) as Refusal;
    expect(field(signatories)).toEqual([400, 'VALIDATION.FAILED', 'signatories']);
  });

  it('adds a measure to a memorandum, versions a change, and retires a measure once', async () => {
    await memorandum('MOU-CAT-V', [measureBody('CAT-V1', 'FINANCE')]);
    const added = await call<MeasureView & Rescreen>(
      'POST',
      '/v1/memoranda/MOU-CAT-V/measures',
      measureBody('CAT-V2', 'NDRC'),
    );
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({ code: 'CAT-V2', version: 1, rescreenJob: { kind: 'issue' } });
    const unknown = await call('POST', '/v1/memoranda/MOU-NONE/measures', measureBody('CAT-V3', 'NDRC'));
    expect([unknown.status, unknown.body.code]).toEqual([404, 'MEMORANDUM.NOT_FOUND']);

    const changed = await call<MeasureView>('PUT', '/v1/measures/CAT-V1', {
      ...measureBody('CAT-V1', 'SAMR'),
      code: undefined,
    });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ code: 'CAT-V1', version: 2, dept: 'SAMR', current: true });

    const retired = await call<MeasureView & Rescreen>('POST', '/v1/measures/CAT-V1/retire', {
      reason: '备忘录修订',
    });
    expect(retired.body).toMatchObject({ code: 'CAT-V1', current: false, rescreenJob: { kind: 'lift' } });
    expect(retired.body.retiredAt).toEqual(expect.any(String));
    const again = await call('POST', '/v1/measures/CAT-V1/retire', { reason: '再次' });
    expect([again.status, again.body.code]).toEqual([404, 'MEASURE.NOT_FOUND']);
    const changeRetired = await call('PUT', '/v1/measures/CAT-V1', {
      ...measureBody('CAT-V1', 'SAMR'),
      code: undefined,
    });
    expect([changeRetired.status, changeRetired.body.code]).toEqual([404, 'MEASURE.NOT_FOUND']);
  });
});
