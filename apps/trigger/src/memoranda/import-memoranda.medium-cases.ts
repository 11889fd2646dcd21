import ExcelJS from 'exceljs';
import { MediumPlatform, startMedium } from '../../../../test/support/medium';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
type Problem = { code: string; errors?: { field: string; code: string }[] };

async function workbook(rows: (string | number)[][]): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet('措施清单');
  for (const row of rows) sheet.addRow(row);
  return Buffer.from(await book.xlsx.writeBuffer());
}

const HEADER = [
  '备忘录编号',
  '备忘录名称',
  '文号',
  '名单类型',
  '措施编号',
  '措施内容',
  '措施类别',
  '实施部门',
  '法律依据',
  '主体类型',
  '关联人员',
  '适用事项',
  '实施方式',
  '反馈时限',
];

/**
 * 措施清单 imports (ImportMemorandaUseCase) in trigger alone: a workbook of one row per measure or a JSON
 * list, each all or nothing, every bad row or field named.
 */
describe('the measure catalog imports: workbook and JSON, all or nothing', () => {
  let platform: MediumPlatform;
  let admin: string;
  let court: string;
  let supervisor: string;

  beforeAll(async () => {
    platform = await startMedium({ services: ['trigger'] });
    admin = await platform.token('CREDIT_OFFICE', ['admin']);
    court = await platform.token('COURT', ['initiator']);
    supervisor = await platform.token('CREDIT_OFFICE', ['supervisor']);
  });
  afterAll(() => platform?.close());

  const upload = <T>(file: Buffer) =>
    platform.api<T>('POST', '/v1/memoranda/import', {
      token: admin,
      raw: { contentType: XLSX, payload: file },
    });

  it('imports a workbook with one row per measure, Chinese headers and 、-separated lists', async () => {
    const file = await workbook([
      HEADER,
      [
        'MOU-X1',
        '测试备忘录',
        '发改财金〔2016〕141号',
        'COURT_DEFAULTER',
        'X1-PROCUREMENT',
        '限制政府采购',
        'punishment',
        'FINANCE',
        '政府采购法第二十二条',
        'legal_person、individual',
        '',
        'government_procurement_bid',
        'block',
        5,
      ],
      [
        'MOU-X1',
        '测试备忘录',
        '发改财金〔2016〕141号',
        'COURT_DEFAULTER',
        'X1-EXIT',
        '限制法定代表人出境',
        'punishment',
        'POLICE',
        '民事诉讼法',
        'legal_person',
        'legal_representative',
        'exit_entry',
        'block',
        3,
      ],
      [],
      [
        'MOU-X2',
        '测试备忘录二',
        '发改财金〔2016〕1467号',
        'COURT_DEFAULTER',
        'X2-BOND',
        '限制发债',
        'punishment',
        'NDRC',
        '证券法',
        'legal_person',
        '',
        'enterprise_bond_issue, bank_loan_approval',
        'warn',
        5,
      ],
    ]);
    const res = await upload<{
      items: { code: string; measures: { code: string; actions: string[]; relatedRoles: string[] }[] }[];
    }>(file);
    expect(res.status).toBe(201);
    const body = res.body;
    expect(body.items.map((m) => m.code)).toEqual(['MOU-X1', 'MOU-X2']);
    expect(body.items[0].measures.find((m) => m.code === 'X1-EXIT')!.relatedRoles).toEqual([
      'legal_representative',
    ]);
    expect(body.items[1].measures[0].actions).toEqual(['enterprise_bond_issue', 'bank_loan_approval']);
    const listed = await platform.api<{ items: { code: string }[] }>('GET', '/v1/measures?dept=FINANCE', {
      token: supervisor,
    });
    expect(listed.body.items.map((m) => m.code)).toEqual(['X1-PROCUREMENT']);
  });

  it('refuses a workbook with bad rows, naming each row, and imports nothing', async () => {
    const file = await workbook([
      HEADER,
      [
        'MOU-BAD',
        '坏',
        '文号',
        'COURT_DEFAULTER',
        'BAD-1',
        '内容',
        'punishment',
        'FINANCE',
        '依据',
        'legal_person',
        '',
        'government_procurement_bid',
        'forbid',
        5,
      ],
      [
        'MOU-BAD',
        '坏',
        '文号',
        'COURT_DEFAULTER',
        'BAD-2',
        '内容',
        'punishment',
        'FINANCE',
        '依据',
        'company',
        '',
        'Bad Action',
        'block',
        99,
      ],
    ]);
    const res = await upload<Problem>(file);
    expect(res.status).toBe(422);
    const problem = res.body;
    expect(problem.code).toBe('IMPORT.INVALID_ROWS');
    const fields = problem.errors!.map((e) => e.field);
    expect(fields).toEqual(
      expect.arrayContaining([
        'row 2: mode',
        'row 3: subjectKinds',
        'row 3: actions',
        'row 3: feedbackWorkingDays',
      ]),
    );
    expect((await platform.api('GET', '/v1/memoranda/MOU-BAD', { token: supervisor })).status).toBe(404);

    const missing = await upload<Problem>(
      await workbook([
        ['备忘录编号', '措施编号'],
        ['M', 'C'],
      ]),
    );
    expect(missing.status).toBe(422);
    expect(missing.body.code).toBe('IMPORT.MISSING_COLUMNS');
    const garbage = await upload<Problem>(Buffer.from('not a workbook'));
    expect(garbage.body.code).toBe('IMPORT.UNREADABLE');
  });

  it('imports JSON all or nothing, naming the bad field', async () => {
    const memorandum = (code: string, measureCode: string, mode = 'block') => ({
      code,
      title: 't',
      documentNo: 'd',
      listTypes: ['COURT_DEFAULTER'],
      measures: [
        {
          code: measureCode,
          text: 't',
          kind: 'punishment',
          dept: 'TAX',
          legalBasis: '《中华人民共和国税收征收管理法》第四十四条',
          subjectKinds: ['legal_person'],
          actions: ['tax_refund'],
          mode,
          feedbackWorkingDays: 5,
        },
      ],
    });
    const invalid = await platform.api<Problem>('POST', '/v1/memoranda/import', {
      token: admin,
      body: { memoranda: [memorandum('MOU-J1', 'J1-A'), memorandum('MOU-J2', 'J2-A', 'maybe')] },
    });
    expect(invalid.status).toBe(400);
    expect(invalid.body.errors!.map((e) => e.field)).toContain('memoranda.1.measures.0.mode');
    const conflicting = await platform.api<Problem>('POST', '/v1/memoranda/import', {
      token: admin,
      body: { memoranda: [memorandum('MOU-J1', 'J1-A'), memorandum('MOU-X1', 'J3-A')] },
    });
    expect(conflicting.status).toBe(409);
    expect((await platform.api('GET', '/v1/memoranda/MOU-J1', { token: supervisor })).status).toBe(404);
    const court403 = await platform.api('POST', '/v1/memoranda/import', {
      token: court,
      body: { memoranda: [] },
    });
    expect(court403.status).toBe(403);
  });
});
