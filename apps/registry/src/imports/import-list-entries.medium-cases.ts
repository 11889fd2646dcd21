import ExcelJS from 'exceljs';
import {
  IMPORT_CSV,
  IMPORT_EVENTS_WRITTEN,
  IMPORT_NOTICE_HEADER as NOTICE_HEADER,
  IMPORT_TOLD as TOLD,
  importCompany as company,
  importCsv as csv,
  ImportReport,
  toldByPost,
  validImportRows as validRows,
  withBadImportRows,
} from '../../../../test/support/import-files';
import { MediumPlatform } from '../../../../test/support/medium';
import { idNumber, seededRegistry, Tokens } from '../../../../test/support/medium-registry';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/**
 * 批量导入 (ImportListEntriesUseCase) on PGlite: every row is checked as a single entry would be, the
 * good rows are stored together, each bad one is reported by row, field and code. (Volume, progress on a
 * second connection, a failure midway and the published events on Kafka: test/registry/import.)
 */
describe('bulk import of list entries (批量导入): the rules of a file and of each row', () => {
  let platform: MediumPlatform;
  let tokens: Tokens;

  seededRegistry((started, seeded) => void ([platform, tokens] = [started, seeded]));

  const upload = (query: string, file: string | Buffer, token = tokens.court, contentType = IMPORT_CSV) =>
    platform.api<ImportReport>('POST', `/v1/list-entries/imports?${query}`, {
      token,
      raw: { contentType, payload: Buffer.isBuffer(file) ? file : Buffer.from(file) },
    });
  const count = async (where: string, params: unknown[] = []) =>
    (await platform.sql<{ n: number }>(`SELECT count(*)::int AS n FROM ${where}`, params))[0].n;
  const written = () => count(IMPORT_EVENTS_WRITTEN);

  it('stores the good rows as drafts and reports every bad row by row, field and code', async () => {
    const rows = withBadImportRows(validRows('MD', 10), 'MD', 100, [1, 2, 4, 5, 6, 7, 8]);
    const importId = '0b6f6a52-3c1e-4d7a-9a55-6a0c5b1e2f01';
    const announced = await written();

    const res = await upload(
      `listType=COURT_DEFAULTER&mode=draft&importId=${importId}`,
      '\uFEFF' + csv(rows),
    );

    expect(res.status).toBe(201);
    expect(res.headers.location).toBe(`/v1/list-entries/imports/${importId}`);
    expect(res.body).toMatchObject({
      id: importId,
      status: 'completed',
      mode: 'draft',
      listType: 'COURT_DEFAULTER',
      total: 10,
      accepted: 3,
      rejected: 7,
    });
    expect(res.body.rejections.map(({ row, field, code }) => ({ row, field, code }))).toEqual([
      { row: 2, field: 'subjectId', code: 'SUBJECT.INVALID_USCC_CHECKSUM' },
      { row: 3, field: 'subjectId', code: 'SUBJECT.INVALID_ID_BIRTHDATE' },
      { row: 5, field: 'subjectKind', code: 'LIST_ENTRY.SUBJECT_KIND_NOT_ALLOWED' },
      { row: 6, field: 'subjectName', code: 'IMPORT.MISSING_VALUE' },
      { row: 7, field: 'decisionDate', code: 'VALIDATION.IS_ISO8601' },
      { row: 8, field: 'subjectId', code: 'IMPORT.DUPLICATE_SUBJECT' },
      { row: 9, field: 'legalRepresentativeId', code: 'SUBJECT.INVALID_ID_BIRTHDATE' },
    ]);
    const [withRep] = await platform.sql(
      `SELECT status, created_by, subject_legacy_ids, related_persons, decision_facts, decision_date::text
         FROM registry.list_entries WHERE subject_id = $1`,
      [rows[3][1]],
    );
    expect(withRep).toEqual({
      status: 'draft',
      created_by: 'court-user',
      subject_legacy_ids: [rows[3][1].slice(8, 17)],
      related_persons: [{ role: 'legal_representative', kind: 'individual', id: rows[3][6], name: '李3' }],
      decision_facts: '有履行能力而拒不履行, "生效"文书',
      decision_date: '2026-10-01',
    });
    expect(await written()).toBe(announced); // drafts announce nothing

    // the report is the owner's and the supervisors'; the same id cannot be used again
    const read = (token: string) =>
      platform.api<ImportReport>('GET', `/v1/list-entries/imports/${importId}`, { token });
    expect((await read(tokens.court)).body).toMatchObject({ status: 'completed', accepted: 3 });
    expect((await read(tokens.supervisor)).status).toBe(200);
    expect((await read(tokens.tax)).status).toBe(403);
    const again = await upload(`listType=COURT_DEFAULTER&mode=draft&importId=${importId}`, csv(rows));
    expect([again.status, again.body.code]).toEqual([409, 'IMPORT.ALREADY_EXISTS']);
  });

  it('publishes at once only rows told long enough ago, never presuming a notice, and not over an entry in force', async () => {
    const first = toldByPost(validRows('MP', 2));
    const published = await upload('listType=TAX_MAJOR&mode=publish', csv(first, NOTICE_HEADER), tokens.tax);
    expect(published.body).toMatchObject({ status: 'completed', mode: 'publish', total: 2, accepted: 2 });
    const [entry] = await platform.sql<{ status: string; period_from: Date; period_to: Date }>(
      `SELECT status, period_from, period_to FROM registry.list_entries WHERE subject_id = $1`,
      [first[0][1]],
    );
    // the list type's 365 days from the decision date (China time)
    expect(entry.status).toBe('published');
    expect(entry.period_from.toISOString()).toBe('2026-09-30T16:00:00.000Z');
    expect(entry.period_to.getTime() - entry.period_from.getTime()).toBe(365 * 86_400_000);

    const yesterday = new Date(Date.now() - 86_400_000).toISOString();
    const second = [
      [...first[1].slice(0, 8), TOLD, 'post'],
      ['legal_person', company('MP', 9001), '刚告知公司', 'x', '2026-10-01', 'f', '', '', yesterday, 'sms'],
      ['legal_person', company('MP', 9002), '新公司', 'x', '2026-10-01', 'f', '', '', TOLD, 'in_person'],
      ['legal_person', company('MP', 9003), '未告知公司', 'x', '2026-10-01', 'f', '', '', '', ''],
      ['legal_person', company('MP', 9004), '告知方式不明', 'x', '2026-10-01', 'f', '', '', TOLD, ''],
    ];
    const announced = await written();
    const again = await upload('listType=TAX_MAJOR&mode=publish', csv(second, NOTICE_HEADER), tokens.tax);
    expect(again.body).toMatchObject({ status: 'completed', total: 5, accepted: 1, rejected: 4 });
    expect(again.body.rejections.map(({ row, field, code }) => ({ row, field, code }))).toEqual([
      { row: 1, field: 'subjectId', code: 'LIST_ENTRY.OVERLAPPING' },
      { row: 2, field: 'noticedAt', code: 'LIST_ENTRY.STATEMENT_PERIOD_OPEN' },
      { row: 4, field: 'noticedAt', code: 'IMPORT.NOTICE_REQUIRED' },
      { row: 5, field: 'noticeChannel', code: 'IMPORT.NOTICE_REQUIRED' },
    ]);
    // the accepted row's published event and its 公示, in the import's transaction
    expect((await written()) - announced).toBe(2);
  });

  it('reads an XLSX workbook with Chinese headings', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('名单');
    sheet.addRow([
      '主体类型',
      '统一社会信用代码或身份证号',
      '主体名称',
      '决定文书号',
      '决定日期',
      '失信事实',
      '法定代表人身份证号',
      '法定代表人姓名',
    ]);
    for (let i = 0; i < 200; i += 1) {
      sheet.addRow([
        i % 2 === 0 ? 'legal_person' : '法人',
        company('XL', i),
        `表格公司${i}`,
        `(2026)浙01执${i}号`,
        new Date(Date.UTC(2026, 9, 1)),
        '拒不履行',
        i === 7 ? idNumber('19750505', '007') : '',
        i === 7 ? '钱七' : '',
      ]);
    }
    sheet.addRow(['自然人', idNumber('19900230'), '孙八', 'x', '2026-10-01', 'f']);
    const file = Buffer.from(await workbook.xlsx.writeBuffer());
    const res = await upload('listType=COURT_DEFAULTER&mode=draft', file, tokens.court, XLSX);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ status: 'completed', total: 201, accepted: 200, rejected: 1 });
    expect(res.body.rejections).toEqual([
      expect.objectContaining({ row: 201, field: 'subjectId', code: 'SUBJECT.INVALID_ID_BIRTHDATE' }),
    ]);
    const [entry] = await platform.sql(
      `SELECT subject_kind, decision_date::text, related_persons FROM registry.list_entries WHERE subject_id = $1`,
      [company('XL', 7)],
    );
    expect(entry).toEqual({
      subject_kind: 'legal_person',
      decision_date: '2026-10-01',
      related_persons: [
        { role: 'legal_representative', kind: 'individual', id: idNumber('19750505', '007'), name: '钱七' },
      ],
    });
  });

  it('refuses another department (403), other media types (415) and files without the required columns (422)', async () => {
    const file = csv(validRows('RF', 3));
    const wrongDept = await upload('listType=COURT_DEFAULTER&mode=draft', file, tokens.tax);
    expect(wrongDept.status).toBe(403);
    expect(wrongDept.body.code).toBe('LIST_ENTRY.NOT_OWNER');
    const unknown = await upload('listType=NO_SUCH_LIST&mode=draft', file);
    expect([unknown.status, unknown.body.errors?.[0]?.field]).toEqual([422, 'listType']);

    for (const contentType of ['application/pdf', 'application/json', 'text/csv; charset=gbk']) {
      const res = await upload('listType=COURT_DEFAULTER&mode=draft', file, tokens.court, contentType);
      expect({ contentType, status: res.status, code: res.body.code }).toEqual({
        contentType,
        status: 415,
        code: 'IMPORT.UNSUPPORTED_MEDIA_TYPE',
      });
    }

    const noFacts = await upload(
      'listType=COURT_DEFAULTER&mode=draft',
      csv([['legal_person', company('RF', 9)]], ['subjectKind', 'subjectId']),
    );
    expect(noFacts.status).toBe(422);
    expect(noFacts.body).toMatchObject({
      code: 'IMPORT.MISSING_COLUMNS',
      missing: ['subjectName', 'documentNo', 'decisionDate', 'facts'],
    });
    const empty = await upload('listType=COURT_DEFAULTER&mode=draft', '\uFEFF\r\n');
    expect(empty.status).toBe(422);
    expect(empty.body.code).toBe('IMPORT.MISSING_COLUMNS');
    expect(await count(`registry.subjects WHERE identifier = $1`, [company('RF', 9)])).toBe(0);
  });

  it('reports a row holding control characters as a bad row and imports the others', async () => {
    const rows = validRows('CC', 4);
    rows[1][2] = '杭州\u0000某某有限公司'; // a NUL in the name
    rows[2][5] = 'facts \u0007 with a bell';
    rows[3][3] = '(2026)浙0106执\u001b号'; // an escape
    const before = await count('registry.list_entries');

    const res = await upload('listType=COURT_DEFAULTER&mode=draft', csv(rows));

    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ status: 'completed', total: 4, accepted: 1, rejected: 3 });
    expect(res.body.rejections.map((r) => [r.row, r.field, r.code])).toEqual([
      [2, 'subjectName', 'INPUT.CONTROL_CHARACTER'],
      [3, 'facts', 'INPUT.CONTROL_CHARACTER'],
      [4, 'documentNo', 'INPUT.CONTROL_CHARACTER'],
    ]);
    expect((await count('registry.list_entries')) - before).toBe(1);
  });
});
