import { MediumPlatform } from '../../../../test/support/medium';
import {
  company,
  DECISION,
  entry,
  idNumber,
  Problem,
  seededRegistry,
  Tokens,
  uscc,
} from '../../../../test/support/medium-registry';

type EntryView = { id: string; subject: { id: string; legacyIds: string[] } };

const courtEntry = (subject: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  listType: 'COURT_DEFAULTER',
  subject,
  decision: DECISION,
  ...extra,
});

/**
 * 主体 and their identifiers (SubjectRegistry, as CreateListEntryUseCase applies it): a unified code or an ID
 * number is normalised and checked character by character, a related person's too; a subject is kept once
 * per identifier with the history of its names; a pilot code passes only once an admin allow-lists it.
 */
describe('subjects and identifiers: what an entry may name', () => {
  let platform: MediumPlatform;
  let tokens: Tokens;

  seededRegistry((started, seeded) => void ([platform, tokens] = [started, seeded]));

  it('normalizes a full-width, lower-case, spaced code and records its organization code', async () => {
    const code = uscc('LC8R2T5W');
    const fullWidth = [...code.toLowerCase()]
      .map((c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0))
      .join('')
      .replace(/(.{6})/, '$1 ');
    const created = await platform.api<EntryView>('POST', `/v1/list-entries`, {
      token: tokens.court,
      body: courtEntry(company(fullWidth)),
    });
    expect(created.status).toBe(201);
    expect(created.body.subject.id).toBe(code);
    expect(created.body.subject.legacyIds).toEqual([code.slice(8, 17)]);

    const byOrgCode = await platform.api<{ identifier: string }>(
      'GET',
      `/v1/subjects/${code.slice(8, 16)}-${code[16]}`,
      { token: tokens.supervisor },
    );
    expect(byOrgCode.status).toBe(200);
    expect(byOrgCode.body.identifier).toBe(code);
  });

  it('finds a subject by a business registration number given as a legacy identifier', async () => {
    const code = uscc('REGN0001');
    await entry(platform, tokens.court, courtEntry({ ...company(code), legacyIds: ['110108000000016'] }));
    const found = await platform.api<{ identifier: string; legacyIds: string[] }>(
      'GET',
      `/v1/subjects/110108000000016`,
      {
        token: tokens.supervisor,
      },
    );
    expect(found.status).toBe(200);
    expect(found.body.identifier).toBe(code);
    expect(found.body.legacyIds).toEqual(expect.arrayContaining(['110108000000016', code.slice(8, 17)]));
    const bad = await platform.api<Problem>('POST', `/v1/list-entries`, {
      token: tokens.court,
      body: courtEntry({ ...company(uscc('REGN0002')), legacyIds: ['110108000000017'] }),
    });
    expect(bad.status).toBe(422);
    expect(bad.body.errors?.[0].field).toBe('subject.legacyIds[0]');
    const unknown = await platform.api<Problem>('GET', `/v1/subjects/110108000000024`, {
      token: tokens.supervisor,
    });
    expect(unknown.status).toBe(404);
  });

  it.each([
    ['a wrong check character', () => uscc('LC8R2T6W').slice(0, 17) + 'A', 'SUBJECT.INVALID_USCC_CHECKSUM'],
    ['a letter outside the code set', () => '91330106MA2H7QK4SQ', 'SUBJECT.INVALID_USCC_CHARACTER'],
    ['a short code', () => '91330106MA2H7QK4', 'SUBJECT.INVALID_USCC_LENGTH'],
    ['an unknown region', () => '91000000MA2H7QK45E', 'SUBJECT.INVALID_USCC_REGION'],
  ])('refuses a unified code with %s, naming the rule and the field', async (_label, code, expected) => {
    const res = await platform.api<Problem>('POST', `/v1/list-entries`, {
      token: tokens.court,
      body: courtEntry(company(code())),
    });
    expect(res.status).toBe(422);
    expect(res.body.code).toBe(expected);
    expect(res.body.errors?.[0]).toMatchObject({ field: 'subject.id', code: expected });
  });

  it('refuses an ID number with an impossible birth date, and one with a wrong check digit', async () => {
    const impossible = idNumber('19900230');
    const bad = await platform.api<Problem>('POST', `/v1/list-entries`, {
      token: tokens.court,
      body: courtEntry({ kind: 'individual', id: impossible, name: '张三' }),
    });
    expect(bad.status).toBe(422);
    expect(bad.body.code).toBe('SUBJECT.INVALID_ID_BIRTHDATE');
    const good = idNumber('19900228');
    const wrongCheck = good.slice(0, 17) + (good[17] === '1' ? '2' : '1');
    const res = await platform.api<Problem>('POST', `/v1/list-entries`, {
      token: tokens.court,
      body: courtEntry({ kind: 'individual', id: wrongCheck, name: '张三' }),
    });
    expect(res.body.code).toBe('SUBJECT.INVALID_ID_CHECKSUM');
  });

  it("checks related persons' identifiers too", async () => {
    const res = await platform.api<Problem>('POST', `/v1/list-entries`, {
      token: tokens.court,
      body: courtEntry(company(uscc('LC8R2T7W')), {
        relatedPersons: [
          { role: 'legal_representative', kind: 'individual', id: '33010619900230123X', name: '李四' },
        ],
      }),
    });
    expect(res.status).toBe(422);
    expect(res.body.errors?.[0].field).toBe('relatedPersons[0].id');
  });

  it('admits a pilot code that fails the checksum only once an admin allow-lists it, and flags the subject', async () => {
    const pilot = uscc('PL1T0T00').slice(0, 17) + 'Y';
    const refused = await platform.api<Problem>('POST', `/v1/list-entries`, {
      token: tokens.court,
      body: courtEntry(company(pilot)),
    });
    expect(refused.body.code).toBe('SUBJECT.INVALID_USCC_CHECKSUM');
    const notAdmin = await platform.api('POST', `/v1/identifier-allow-list`, {
      token: tokens.court,
      body: { code: pilot, note: 'pilot' },
    });
    expect(notAdmin.status).toBe(403);
    const allowed = await platform.api('POST', `/v1/identifier-allow-list`, {
      token: tokens.admin,
      body: { code: pilot, note: '2015年试点赋码' },
    });
    expect(allowed.status).toBe(201);
    const created = await platform.api('POST', `/v1/list-entries`, {
      token: tokens.court,
      body: courtEntry(company(pilot)),
    });
    expect(created.status).toBe(201);
    // a supervisor: the entry is a draft, which only its owner, supervisors and the subject read
    const subject = await platform.api<{ flags: string[] }>('GET', `/v1/subjects/${pilot}`, {
      token: tokens.supervisor,
    });
    expect(subject.body.flags).toEqual(['pilot']);
  });

  it("accepts DOMAIN.md's example code, flagging its embedded organization code", async () => {
    const created = await platform.api('POST', `/v1/list-entries`, {
      token: tokens.court,
      body: courtEntry(company('91330106MA2H7QK4XQ')),
    });
    expect(created.status).toBe(201);
    const subject = await platform.api<{ flags: string[] }>('GET', `/v1/subjects/91330106MA2H7QK4XQ`, {
      token: tokens.supervisor,
    });
    expect(subject.body.flags).toEqual(['org_code_mismatch']);
  });

  it('keeps one subject per identifier and the history of its names', async () => {
    const code = uscc('NM7H1XT0');
    await entry(platform, tokens.court, courtEntry(company(code, '旧名称有限公司')));
    await entry(platform, tokens.court, courtEntry(company(code, '新名称有限公司')));
    const subject = await platform.api<{ name: string; formerNames: { name: string }[]; entries: unknown[] }>(
      'GET',
      `/v1/subjects/${code}`,
      { token: tokens.supervisor },
    );
    expect(subject.body.name).toBe('新名称有限公司');
    expect(subject.body.formerNames.map((n) => n.name)).toEqual(['旧名称有限公司']);
    expect(subject.body.entries).toHaveLength(2);
    const kindChange = await platform.api<Problem>('POST', `/v1/list-entries`, {
      token: tokens.court,
      body: courtEntry({ kind: 'individual_business', id: code, name: 'x' }),
    });
    expect(kindChange.status).toBe(422);
    expect(kindChange.body.code).toBe('SUBJECT.KIND_MISMATCH');
  });
});
