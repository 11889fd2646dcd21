/**
 * The smallest catalogue a cross-service test or bench starts from, made through the services' own routes:
 * departments, a serious black list type published at once (COURT_DEFAULTER unless told otherwise) and one
 * memorandum of measures on it. One set-up for the four services over Kafka (services.ts), the medium
 * tier's one process (medium-catalog.ts) and the benches' child processes (bench/check-support.ts): each
 * passes how it reaches a route. Nothing here is imported at run time but this file (the benches' load
 * generator reads it).
 */

/** How a seed reaches a route: the service serving it (one process serves all in the medium tier). */
export type RouteCall = (
  service: 'registry' | 'trigger',
  path: string,
  token: string,
  body: unknown,
) => Promise<{ status: number; body: unknown }>;

/** A measure body for POST /v1/memoranda: a block on procurement bids unless told otherwise. */
export function measureBody(code: string, dept: string, extra: Record<string, unknown> = {}) {
  return {
    code,
    text: code,
    kind: 'punishment',
    dept,
    legalBasis: '《中华人民共和国政府采购法》第二十二条',
    subjectKinds: ['legal_person'],
    actions: ['government_procurement_bid'],
    mode: 'block',
    feedbackWorkingDays: 5,
    ...extra,
  };
}

/** A blocking punishment of `dept` on `action`, resting on a law and the memorandum. */
export const blockMeasure = (code: string, dept: string, action: string) =>
  measureBody(code, dept, {
    text: `${code} measure`,
    legalBasis: '《中华人民共和国政府采购法》第二十二条；发改财金〔2016〕141号',
    actions: [action],
  });

/** 失信被执行人名单: serious, black, owned by COURT, published at once (with the reason a serious list needs). */
export const courtDefaulterBody = (extra: Record<string, unknown> = {}) => ({
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
  ...extra,
});

export interface CatalogSeed {
  /** departments to register first: a code (named by itself, region 330100), or [code, name, region] */
  departments: (string | readonly [string, string, string])[];
  /** what differs from courtDefaulterBody() */
  listType?: Record<string, unknown>;
  /** what differs from memorandum MOU-2016-141 (code, title, documentNo) */
  memorandum?: Record<string, unknown>;
  measures: Record<string, unknown>[];
  /**
   * How often to ask trigger for the memorandum (100 ms apart) while it refuses it: separate processes
   * learn of a new department or list type through the bus a moment later. Default 1.
   */
  memorandumAttempts?: number;
}

/** Registers the departments, the list type and the memorandum; throws on any other answer than 201. */
export async function seedCourtCatalog(
  call: RouteCall,
  adminToken: string,
  seed: CatalogSeed,
): Promise<{ listType: string }> {
  const created = (what: string, res: { status: number; body: unknown }) => {
    if (res.status !== 201) throw new Error(`${what}: ${res.status} ${JSON.stringify(res.body)}`);
  };
  for (const department of seed.departments) {
    const [code, name, region] =
      typeof department === 'string' ? [department, department, '330100'] : department;
    created(
      `department ${code}`,
      await call('registry', '/v1/departments', adminToken, { code, name, region }),
    );
  }
  const listType = courtDefaulterBody(seed.listType);
  created(`list type ${listType.code}`, await call('registry', '/v1/list-types', adminToken, listType));
  const memorandum = {
    code: 'MOU-2016-141',
    title: '关于对失信被执行人实施联合惩戒的合作备忘录',
    documentNo: '发改财金〔2016〕141号',
    listTypes: [listType.code],
    measures: seed.measures,
    ...seed.memorandum,
  };
  for (let attempt = 1; ; attempt += 1) {
    const res = await call('trigger', '/v1/memoranda', adminToken, memorandum);
    if (res.status === 201 || attempt >= (seed.memorandumAttempts ?? 1)) {
      created(`memorandum ${String(memorandum.code)}`, res);
      break;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { listType: listType.code };
}
