import ExcelJS from 'exceljs';
import { MemorandumWindowJob } from './memorandum-window.job';
import { measureBody } from '../../../../test/support/catalog-seed';
import { MediumPlatform, startMedium } from '../../../../test/support/medium';
import { DECISION, uscc } from '../../../../test/support/medium-registry';
import { waitFor } from '../../../../test/support/infra';

type Problem = { code: string; errors?: { field: string; code: string }[]; report?: unknown[] };
type AssignmentView = { id: string; measureCode: string; status: string };

const LAW = { level: 'law', title: '《中华人民共和国政府采购法》', article: '第二十二条' };
const MEMO = {
  level: 'memorandum',
  title: '《关于对失信被执行人实施联合惩戒的合作备忘录》（发改财金〔2016〕141号）',
};

/** 依法依规, 清单管理, 过惩相当 (decision 0031): the four services in process, on PGlite and the in-process bus. */
describe('lawful measures', () => {
  let platform: MediumPlatform;
  let admin: string;
  let court: string;
  let tax: string;
  let supervisor: string;
  let n = 0;

  const memorandum = (code: string, listTypes: string[], measures: unknown[], extra = {}) =>
    platform.api<Problem & Record<string, unknown>>('POST', `/v1/memoranda`, {
      token: admin,
      body: { code, title: code, documentNo: 'd', listTypes, measures, ...extra },
    });

  async function listType(code: string, ownerDept: string, colour: string, severity: string, days: number) {
    const res = await platform.api('POST', `/v1/list-types`, {
      token: admin,
      body: {
        code,
        name: code,
        colour,
        ownerDept,
        legalBasis: 'b',
        infoClass: 'A',
        severity,
        defaultPeriodDays: days,
        subjectKinds: ['legal_person'],
        noticeWorkingDays: 0,
        // entries here are published at once: the statement period is the subject journey's test
        minStatementWorkingDays: 0,
        minStatementReason: 'test: published at once',
        suspendOnObjection: false,
      },
    });
    expect(res.status).toBe(201);
  }

  async function publish(list: string, as: string, decision: Record<string, unknown> = {}) {
    n += 1;
    const created = await platform.api<{ id: string }>('POST', `/v1/list-entries`, {
      token: as,
      body: {
        listType: list,
        subject: { kind: 'legal_person', id: uscc(`LAWF${String(n).padStart(4, '0')}`), name: `公司${n}` },
        decision: { ...DECISION, ...decision },
      },
    });
    expect(created.status).toBe(201);
    for (const step of ['notice', 'publish'])
      expect(
        (
          await platform.api('POST', `/v1/list-entries/${created.body.id}/${step}`, {
            token: as,
          })
        ).status,
      ).toBe(200);
    return created.body.id;
  }

  /** The entry's assignments once trigger fanned it out (the entry and its assignments commit together). */
  async function assignmentsOf(entryId: string): Promise<AssignmentView[]> {
    await waitFor(
      async () =>
        (await platform.sql(`SELECT 1 FROM trigger.entries WHERE entry_id = $1`, [entryId])).length > 0 ||
        undefined,
      { message: `entry ${entryId} fanned out` },
    );
    const res = await platform.api<{ items: AssignmentView[] }>(
      'GET',
      `/v1/assignments?entryId=${entryId}&limit=500`,
      { token: supervisor },
    );
    return res.body.items;
  }

  const codes = (items: AssignmentView[], status?: string) =>
    items
      .filter((a) => !status || a.status === status)
      .map((a) => a.measureCode)
      .sort();

  beforeAll(async () => {
    platform = await startMedium({ rescreen: { pollMs: 200 } });
    admin = await platform.token('CREDIT_OFFICE', ['admin']);
    court = await platform.token('COURT', ['initiator']);
    tax = await platform.token('TAX', ['initiator']);
    supervisor = await platform.token('CREDIT_OFFICE', ['supervisor']);
    for (const [code, name] of [
      ['COURT', '法院'],
      ['TAX', '税务局'],
    ])
      await platform.api('POST', `/v1/departments`, {
        token: admin,
        body: { code, name, region: '330100' },
      });
    await listType('LAW_COURT', 'COURT', 'black', 'serious', 730);
    await listType('LAW_TAX', 'TAX', 'black', 'general', 365);
    await listType('LAW_RED', 'TAX', 'red', 'general', 365);
  });

  afterAll(async () => {
    await platform?.close();
  });

  it('legal-basis levels: keeps each instrument with its level, and reads a basis written as text', async () => {
    const res = await memorandum(
      'MOU-LEVELS',
      ['LAW_COURT'],
      [
        measureBody('LV-STRUCTURED', 'FINANCE', {
          legalBasis: undefined,
          legalBases: [{ ...LAW, basicListItem: '2.1' }, MEMO],
        }),
        measureBody('LV-TEXT', 'NDRC', {
          legalBasis: '《企业债券管理条例》；《最高人民法院关于公布失信被执行人名单信息的若干规定》第八条',
          actions: ['enterprise_bond_issue'],
        }),
      ],
    );
    expect(res.status).toBe(201);
    const measures = (
      res.body.measures as { code: string; legalBasis: string; legalBases: unknown[] }[]
    ).sort((a, b) => a.code.localeCompare(b.code));
    expect(measures[0]).toMatchObject({
      code: 'LV-STRUCTURED',
      legalBasis: `${LAW.title}${LAW.article}；${MEMO.title}`,
      legalBases: [{ ...LAW, basicListItem: '2.1' }, MEMO],
    });
    expect(measures[1].legalBases).toEqual([
      { level: 'administrative_regulation', title: '《企业债券管理条例》' },
      {
        level: 'judicial_interpretation',
        title: '《最高人民法院关于公布失信被执行人名单信息的若干规定》',
        article: '第八条',
      },
    ]);
    const bad = await memorandum(
      'MOU-BAD-LEVEL',
      ['LAW_COURT'],
      [measureBody('LV-BAD', 'FINANCE', { legalBases: [{ level: 'opinion', title: 'x' }] })],
    );
    expect(bad.status).toBe(400);
  });

  it('block-needs-a-law: a punishment resting on a memorandum only cannot block (422), as a warning it may', async () => {
    const refused = await memorandum(
      'MOU-BLOCK-MEMO',
      ['LAW_COURT'],
      [measureBody('BM-BLOCK', 'FINANCE', { legalBasis: undefined, legalBases: [MEMO] })],
    );
    expect(refused.status).toBe(422);
    expect(refused.body.code).toBe('MEASURE.BLOCK_NEEDS_LAW');
    // the memorandum's document number as the only basis is a memorandum's word too
    const byNumber = await memorandum(
      'MOU-BLOCK-MEMO',
      ['LAW_COURT'],
      [measureBody('BM-BLOCK', 'FINANCE', { legalBasis: '发改财金〔2016〕141号' })],
    );
    expect(byNumber.body.code).toBe('MEASURE.BLOCK_NEEDS_LAW');
    const warned = await memorandum(
      'MOU-BLOCK-MEMO',
      ['LAW_COURT'],
      [measureBody('BM-WARN', 'FINANCE', { legalBasis: undefined, legalBases: [MEMO], mode: 'warn' })],
    );
    expect(warned.status).toBe(201);
    // neither a new version nor a new measure may make it block
    const changed = await platform.api<Problem>('PUT', `/v1/measures/BM-WARN`, {
      token: admin,
      body: {
        ...measureBody('BM-WARN', 'FINANCE', { legalBasis: undefined, legalBases: [MEMO] }),
        code: undefined,
      },
    });
    expect([changed.status, changed.body.code]).toEqual([422, 'MEASURE.BLOCK_NEEDS_LAW']);
    const added = await platform.api<Problem>('POST', `/v1/memoranda/MOU-BLOCK-MEMO/measures`, {
      token: admin,
      body: measureBody('BM-ADDED', 'FINANCE', { legalBasis: undefined, legalBases: [MEMO] }),
    });
    expect([added.status, added.body.code]).toEqual([422, 'MEASURE.BLOCK_NEEDS_LAW']);
    const withLaw = await platform.api('PUT', `/v1/measures/BM-WARN`, {
      token: admin,
      body: {
        ...measureBody('BM-WARN', 'FINANCE', { legalBasis: undefined, legalBases: [LAW, MEMO] }),
        code: undefined,
      },
    });
    expect(withLaw.status).toBe(200);
  });

  it('kind, colour and mode agree: incentives on red lists only, punishments on black, modes that fit', async () => {
    const incentiveBlock = await memorandum(
      'MOU-KIND',
      ['LAW_RED'],
      [measureBody('KD-INC-BLOCK', 'NDRC', { kind: 'incentive', mode: 'block', legalBases: [LAW] })],
    );
    expect([incentiveBlock.status, incentiveBlock.body.code]).toEqual([422, 'MEASURE.MODE_NOT_FOR_KIND']);
    const punishmentPriority = await memorandum(
      'MOU-KIND',
      ['LAW_COURT'],
      [measureBody('KD-PUN-PRIO', 'NDRC', { mode: 'priority' })],
    );
    expect(punishmentPriority.body.code).toBe('MEASURE.MODE_NOT_FOR_KIND');
    const punishmentOnRed = await memorandum(
      'MOU-KIND',
      ['LAW_RED'],
      [measureBody('KD-PUN-RED', 'NDRC', { mode: 'warn' })],
      { colour: 'red' },
    );
    expect([punishmentOnRed.status, punishmentOnRed.body.code]).toEqual([422, 'MEASURE.KIND_NOT_FOR_COLOUR']);
    const mixed = await memorandum(
      'MOU-KIND',
      ['LAW_RED'],
      [
        measureBody('KD-INC', 'NDRC', { kind: 'incentive', mode: 'priority' }),
        measureBody('KD-PUN', 'NDRC', { mode: 'warn' }),
      ],
    );
    expect(mixed.body.code).toBe('MEASURE.KIND_NOT_FOR_COLOUR');

    // a memorandum that says nothing of colour, on a red list, with a punishment: the service holds it
    // back when the entry arrives, and the legality report names it
    const undeclared = await memorandum(
      'MOU-KIND-UNDECLARED',
      ['LAW_RED'],
      [measureBody('KD-PUN-UNDECLARED', 'NDRC', { mode: 'warn' })],
    );
    expect(undeclared.status).toBe(201);
    const incentive = await memorandum(
      'MOU-KIND-RED',
      ['LAW_RED'],
      [measureBody('KD-INC-OK', 'NDRC', { kind: 'incentive', mode: 'priority' })],
    );
    expect(incentive.status).toBe(201);
    const entry = await publish('LAW_RED', tax);
    expect(codes(await assignmentsOf(entry))).toEqual(['KD-INC-OK']);
    const report = await platform.api<{ items: { measureCode: string; findings: { code: string }[] }[] }>(
      'GET',
      `/v1/measures/legality-report`,
      { token: supervisor },
    );
    expect(
      report.body.items.find((i) => i.measureCode === 'KD-PUN-UNDECLARED')?.findings.map((f) => f.code),
    ).toContain('MEASURE.KIND_NOT_FOR_COLOUR');
  });

  it('import report: the catalogue import loads nothing when a measure breaks a rule, and reports memorandum-only measures', async () => {
    const doc = (code: string, measures: unknown[]) => ({
      code,
      title: code,
      documentNo: 'd',
      listTypes: ['LAW_TAX'],
      measures,
    });
    const refused = await platform.api<Problem>('POST', `/v1/memoranda/import`, {
      token: admin,
      body: {
        memoranda: [
          doc('MOU-IMP-A', [measureBody('IMP-A-OK', 'FINANCE')]),
          doc('MOU-IMP-B', [
            measureBody('IMP-B-MEMO-BLOCK', 'LAND', { legalBasis: MEMO.title }),
            measureBody('IMP-B-INC', 'LAND', { kind: 'incentive', mode: 'priority' }),
          ]),
        ],
      },
    });
    expect(refused.status).toBe(422);
    expect(refused.body.code).toBe('IMPORT.ILLEGAL_MEASURES');
    expect(refused.body.errors!.map((e) => [e.field, e.code])).toEqual([
      ['[1].measures[0]', 'MEASURE.BLOCK_NEEDS_LAW'],
      ['[1].measures[1]', 'MEASURE.KIND_NOT_FOR_COLOUR'],
    ]);
    expect((await platform.api('GET', `/v1/memoranda/MOU-IMP-A`, { token: supervisor })).status).toBe(404);

    const loaded = await platform.api<{
      items: unknown[];
      legality: { measureCode: string; code: string }[];
    }>('POST', `/v1/memoranda/import`, {
      token: admin,
      body: {
        memoranda: [
          doc('MOU-IMP-A', [measureBody('IMP-A-OK', 'FINANCE')]),
          doc('MOU-IMP-B', [
            measureBody('IMP-B-MEMO-WARN', 'LAND', { legalBasis: MEMO.title, mode: 'warn' }),
          ]),
        ],
      },
    });
    expect(loaded.status).toBe(201);
    expect(loaded.body.legality).toEqual([
      expect.objectContaining({ measureCode: 'IMP-B-MEMO-WARN', code: 'MEASURE.MEMORANDUM_ONLY' }),
    ]);
    const report = await platform.api<{
      memorandumOnly: number;
      blockNeedsLaw: number;
      items: { measureCode: string }[];
    }>('GET', `/v1/measures/legality-report`, { token: admin });
    expect(report.status).toBe(200);
    expect(report.body.blockNeedsLaw).toBe(0);
    expect(report.body.items.map((i) => i.measureCode)).toContain('IMP-B-MEMO-WARN');
    expect(report.body.memorandumOnly).toBeGreaterThanOrEqual(1);
  });

  it('import report, workbook: the 法律依据 column is read into levels; conditions and dates have their columns', async () => {
    const header = [
      '备忘录编号',
      '备忘录名称',
      '文号',
      '名单类型',
      '生效日期',
      '失效日期',
      '措施编号',
      '措施内容',
      '措施类别',
      '实施部门',
      '法律依据',
      '主体类型',
      '适用事项',
      '实施方式',
      '反馈时限',
      '最低严重程度',
      '金额下限',
      '违法类型',
    ];
    const row = (code: string, basis: string, mode: string, extra: (string | number)[] = ['', '', '']) => [
      'MOU-XLSX',
      '测试备忘录',
      '发改财金〔2016〕2798号',
      'LAW_TAX',
      '2016-12-01',
      '2098-12-31',
      code,
      '限制',
      'punishment',
      'FINANCE',
      basis,
      'legal_person',
      'bank_loan_approval',
      mode,
      5,
      ...extra,
    ];
    const upload = async (rows: (string | number)[][]) => {
      const book = new ExcelJS.Workbook();
      const sheet = book.addWorksheet('措施清单');
      for (const r of [header, ...rows]) sheet.addRow(r);
      return platform.api<Record<string, unknown>>('POST', '/v1/memoranda/import', {
        token: admin,
        raw: {
          contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
          payload: Buffer.from(await book.xlsx.writeBuffer()),
        },
      });
    };
    const memoOnly =
      '《关于对重大税收违法案件当事人实施联合惩戒措施的合作备忘录（2016版）》（发改财金〔2016〕2798号）';
    const refused = await upload([row('XL-BLOCK', memoOnly, 'block')]);
    expect(refused.status).toBe(422);
    expect(refused.body.code).toBe('IMPORT.ILLEGAL_MEASURES');
    const loaded = await upload([
      row('XL-LAW', `《中华人民共和国税收征收管理法》第四十四条；${memoOnly}`, 'block', [
        'serious',
        500000,
        'tax_evasion、tax_invoice_fraud',
      ]),
      row('XL-WARN', memoOnly, 'warn'),
    ]);
    expect(loaded.status).toBe(201);
    expect(loaded.body.legality).toEqual([
      expect.objectContaining({ measureCode: 'XL-WARN', code: 'MEASURE.MEMORANDUM_ONLY' }),
    ]);
    const memo = await platform.api<{
      effectiveTo: string;
      measures: { code: string; legalBases: { level: string }[]; minSeverity: string; conditions: unknown }[];
    }>('GET', `/v1/memoranda/MOU-XLSX`, { token: supervisor });
    expect(memo.body.effectiveTo).toBe('2098-12-31');
    const law = memo.body.measures.find((m) => m.code === 'XL-LAW')!;
    expect(law.legalBases.map((b) => b.level)).toEqual(['law', 'memorandum']);
    expect(law).toMatchObject({
      minSeverity: 'serious',
      conditions: { minAmount: 500000, violationKinds: ['tax_evasion', 'tax_invoice_fraud'] },
    });
  });

  it('conditions: a measure reaches only entries as severe as it asks, with the amount and violation it names', async () => {
    const res = await memorandum(
      'MOU-COND',
      ['LAW_TAX'],
      [
        measureBody('CD-ANY', 'FINANCE'),
        measureBody('CD-SERIOUS', 'FINANCE', { minSeverity: 'serious', actions: ['bank_loan_approval'] }),
        measureBody('CD-AMOUNT', 'FINANCE', {
          conditions: { minAmount: 1_000_000 },
          actions: ['enterprise_bond_issue'],
        }),
        measureBody('CD-FRAUD', 'FINANCE', {
          conditions: { violationKinds: ['tax_invoice_fraud'] },
          actions: ['tax_refund'],
        }),
      ],
    );
    expect(res.status).toBe(201);
    // (the import test loaded other measures on LAW_TAX: only these are looked at)
    const cd = (items: AssignmentView[]) => codes(items).filter((c) => c.startsWith('CD-'));
    // LAW_TAX is 'general': the serious-only measure never reaches its entries
    const plain = await publish('LAW_TAX', tax);
    expect(cd(await assignmentsOf(plain))).toEqual(['CD-ANY']);
    const small = await publish('LAW_TAX', tax, { amount: 999_999.99, violationKind: 'late_filing' });
    expect(cd(await assignmentsOf(small))).toEqual(['CD-ANY']);
    const large = await publish('LAW_TAX', tax, { amount: 1_000_000, violationKind: 'tax_invoice_fraud' });
    expect(cd(await assignmentsOf(large))).toEqual(['CD-AMOUNT', 'CD-ANY', 'CD-FRAUD']);
    const entry = await platform.api<{ decision: Record<string, unknown> }>(
      'GET',
      `/v1/list-entries/${large}`,
      { token: tax },
    );
    expect(entry.body.decision).toMatchObject({ amount: 1_000_000, violationKind: 'tax_invoice_fraud' });
    const badAmount = await platform.api('POST', `/v1/list-entries`, {
      token: tax,
      body: {
        listType: 'LAW_TAX',
        subject: { kind: 'legal_person', id: uscc('LAWFBAD1'), name: 'x' },
        decision: { ...DECISION, amount: -1 },
      },
    });
    expect(badAmount.status).toBe(400);
  });

  it('exclusions: the owner records why an entry takes only some measures; what was issued is lifted', async () => {
    const res = await memorandum(
      'MOU-EXCL',
      ['LAW_COURT'],
      [
        measureBody('EX-PROCUREMENT', 'FINANCE'),
        measureBody('EX-BOND', 'NDRC', { actions: ['enterprise_bond_issue'] }),
      ],
    );
    expect(res.status).toBe(201);
    const entry = await publish('LAW_COURT', court);
    expect(codes(await assignmentsOf(entry), 'issued')).toEqual(
      expect.arrayContaining(['EX-BOND', 'EX-PROCUREMENT']),
    );
    const url = `/v1/list-entries/${entry}/excluded-measures`;
    const body = { measureCode: 'EX-BOND', reason: '判决所涉债务与发债无关（过惩相当）' };
    const notOwner = await platform.api<Problem>('POST', url, { token: tax, body });
    expect([notOwner.status, notOwner.body.code]).toEqual([403, 'LIST_ENTRY.NOT_OWNER']);
    const unknownMeasure = await platform.api<Problem>('POST', url, {
      token: court,
      body: { ...body, measureCode: 'CD-ANY' },
    });
    expect([unknownMeasure.status, unknownMeasure.body.code]).toEqual([422, 'MEASURE.NOT_FOR_ENTRY']);
    const excluded = await platform.api<{ lifted: number; measureCode: string }>('POST', url, {
      token: court,
      body,
    });
    expect(excluded.status).toBe(201);
    expect(excluded.body).toMatchObject({ measureCode: 'EX-BOND', lifted: 1 });
    const items = await assignmentsOf(entry);
    expect(items.find((a) => a.measureCode === 'EX-BOND')?.status).toBe('lifted');
    expect(items.find((a) => a.measureCode === 'EX-PROCUREMENT')?.status).toBe('issued');
    const again = await platform.api<{ lifted: number; alreadyExcluded: boolean }>('POST', url, {
      token: court,
      body,
    });
    expect(again.body).toMatchObject({ lifted: 0, alreadyExcluded: true });
    const listed = await platform.api<{ items: { measureCode: string; reason: string }[] }>('GET', url, {
      token: court,
    });
    expect(listed.body.items).toEqual([
      expect.objectContaining({ measureCode: 'EX-BOND', reason: body.reason }),
    ]);
    // the trail records the exclusion with its reason, before the lift it caused
    const trail = await waitFor(
      async () => {
        const res = await platform.api<{ items: { type: string; data: Record<string, unknown> }[] }>(
          'GET',
          `/v1/list-entries/${entry}/trail`,
          { token: supervisor },
        );
        const items = res.body.items ?? [];
        return items.some((r) => r.type === 'credit.measure.excluded.v1') &&
          items.some((r) => r.type === 'credit.assignment.lifted.v1')
          ? items
          : undefined;
      },
      { message: 'the exclusion in the trail' },
    );
    const types = trail.map((r) => r.type);
    expect(types.indexOf('credit.measure.excluded.v1')).toBeLessThan(
      types.indexOf('credit.assignment.lifted.v1'),
    );
    expect(trail.find((r) => r.type === 'credit.measure.excluded.v1')?.data).toMatchObject({
      measureCode: 'EX-BOND',
      reason: body.reason,
    });
    // a measure added later re-screens the entry: the excluded one stays away
    const added = await platform.api('POST', `/v1/memoranda/MOU-EXCL/measures`, {
      token: admin,
      body: measureBody('EX-LATER', 'LAND', { actions: ['land_bid'] }),
    });
    expect(added.status).toBe(201);
    const later = await waitFor(async () => {
      const all = await assignmentsOf(entry);
      return all.some((a) => a.measureCode === 'EX-LATER') ? all : undefined;
    });
    expect(later.filter((a) => a.measureCode === 'EX-BOND')).toHaveLength(1);
  });

  it("effective windows: nothing is issued outside a memorandum's dates; what it issued is lifted when it ends", async () => {
    const future = await memorandum('MOU-FUTURE', ['LAW_COURT'], [measureBody('WIN-FUTURE', 'FINANCE')], {
      effectiveFrom: '2099-01-01',
    });
    expect(future.status).toBe(201);
    expect(future.body.windowState).toBe('pending');
    const current = await memorandum('MOU-CURRENT', ['LAW_COURT'], [measureBody('WIN-CURRENT', 'NDRC')], {
      effectiveFrom: '2020-01-01',
      effectiveTo: '2098-12-31',
    });
    expect(current.body.windowState).toBe('active');
    const entry = await publish('LAW_COURT', court);
    const first = await assignmentsOf(entry);
    expect(codes(first)).toContain('WIN-CURRENT');
    expect(codes(first)).not.toContain('WIN-FUTURE');

    // an admin brings the future memorandum forward: it issues to the entries in force
    const url = (code: string) => `/v1/memoranda/${code}/effective-period`;
    const reversed = await platform.api<Problem>('PUT', url('MOU-FUTURE'), {
      token: admin,
      body: { effectiveFrom: '2026-01-01', effectiveTo: '2025-01-01', reason: 'x' },
    });
    expect([reversed.status, reversed.body.code]).toEqual([422, 'MEMORANDUM.PERIOD_REVERSED']);
    const started = await platform.api<{ windowState: string; windowAction: string }>(
      'PUT',
      url('MOU-FUTURE'),
      {
        token: admin,
        body: { effectiveFrom: '2020-01-01', reason: '提前施行' },
      },
    );
    expect(started.status).toBe(200);
    expect(started.body).toMatchObject({ windowState: 'active', windowAction: 'issue' });
    await waitFor(async () =>
      codes(await assignmentsOf(entry), 'issued').includes('WIN-FUTURE') ? true : undefined,
    );

    // the day after the current memorandum's last day, the job lifts what it issued (and only that)
    const job = platform.get(MemorandumWindowJob);
    const moved = await job.runOnce(new Date('2099-01-01T00:00:00+08:00'));
    expect(moved).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ code: 'MOU-CURRENT', action: 'lift', to: 'expired' }),
      ]),
    );
    const after = await waitFor(async () => {
      const all = await assignmentsOf(entry);
      return all.find((a) => a.measureCode === 'WIN-CURRENT')?.status === 'lifted' ? all : undefined;
    });
    expect(after.find((a) => a.measureCode === 'WIN-FUTURE')?.status).toBe('issued');
    // a second pass (another replica) finds nothing to do
    expect(
      (await job.runOnce(new Date('2099-01-01T00:00:00+08:00'))).filter((m) => m.code === 'MOU-CURRENT'),
    ).toEqual([]);
    // an entry published now gets nothing of an expired memorandum: ended by an admin's change of dates
    const ended = await platform.api<{ windowState: string; windowAction: string }>(
      'PUT',
      url('MOU-FUTURE'),
      {
        token: admin,
        body: { effectiveFrom: '2020-01-01', effectiveTo: '2021-12-31', reason: '备忘录废止' },
      },
    );
    expect(ended.body).toMatchObject({ windowState: 'expired', windowAction: 'lift' });
    await waitFor(async () =>
      (await assignmentsOf(entry)).find((a) => a.measureCode === 'WIN-FUTURE')?.status === 'lifted'
        ? true
        : undefined,
    );
    const late = await publish('LAW_COURT', court);
    expect(codes(await assignmentsOf(late))).not.toContain('WIN-FUTURE');
  });
});
