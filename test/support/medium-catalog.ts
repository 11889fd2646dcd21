import { MediumPlatform } from './medium';
import { DECISION } from './medium-registry';

/**
 * What the cross-service medium specs share: departments of one region, COURT's serious black list
 * published at once, and memorandum MOU-2016-141 with the measures a spec needs; then entries on it.
 */

/** A blocking punishment of `dept` on `action` (a law and the memorandum as its basis). */
export const blockMeasure = (code: string, dept: string, action: string) => ({
  code,
  text: `${code} measure`,
  kind: 'punishment',
  dept,
  legalBasis: '《中华人民共和国政府采购法》第二十二条；发改财金〔2016〕141号',
  subjectKinds: ['legal_person'],
  actions: [action],
  mode: 'block',
  feedbackWorkingDays: 5,
});

export async function seedCourtDefaulter(
  platform: MediumPlatform,
  adminToken: string,
  departments: string[],
  measures: ReturnType<typeof blockMeasure>[],
): Promise<void> {
  for (const code of departments) {
    const res = await platform.api('POST', '/v1/departments', {
      token: adminToken,
      body: { code, name: code, region: '330100' },
    });
    expect(res.status).toBe(201);
  }
  const listType = await platform.api('POST', '/v1/list-types', {
    token: adminToken,
    body: {
      code: 'COURT_DEFAULTER',
      name: '失信被执行人名单',
      colour: 'black',
      ownerDept: 'COURT',
      legalBasis: '《最高人民法院关于公布失信被执行人名单信息的若干规定》',
      infoClass: 'A',
      severity: 'serious',
      defaultPeriodDays: 730,
      subjectKinds: ['legal_person'],
      noticeWorkingDays: 0,
      minStatementWorkingDays: 0,
      minStatementReason: 'test: published at once',
      suspendOnObjection: false,
    },
  });
  expect(listType.status).toBe(201);
  const memorandum = await platform.api('POST', '/v1/memoranda', {
    token: adminToken,
    body: {
      code: 'MOU-2016-141',
      title: '关于对失信被执行人实施联合惩戒的合作备忘录',
      documentNo: '发改财金〔2016〕141号',
      listTypes: ['COURT_DEFAULTER'],
      measures,
    },
  });
  expect(memorandum.status).toBe(201);
}

/** COURT lists, notices and publishes an entry on COURT_DEFAULTER; its id. */
export async function publishCourtEntry(
  platform: MediumPlatform,
  courtToken: string,
  subject: Record<string, unknown>,
): Promise<string> {
  const created = await platform.api<{ id: string }>('POST', '/v1/list-entries', {
    token: courtToken,
    body: { listType: 'COURT_DEFAULTER', subject, decision: DECISION },
  });
  expect(created.status).toBe(201);
  for (const step of ['notice', 'publish'])
    expect(
      (await platform.api('POST', `/v1/list-entries/${created.body.id}/${step}`, { token: courtToken }))
        .status,
    ).toBe(200);
  return created.body.id;
}
