import { api, TestPlatform } from './services';

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

/**
 * A list type body for POST /v1/list-types: COURT's black list of legal persons, no notice period and no
 * statement period, so its entries publish at once.
 */
export function listTypeBody(extra: Record<string, unknown> = {}) {
  return {
    code: 'COURT_DEFAULTER',
    name: '失信被执行人名单',
    colour: 'black',
    ownerDept: 'COURT',
    legalBasis: 'b',
    infoClass: 'A',
    severity: 'serious',
    defaultPeriodDays: 730,
    subjectKinds: ['legal_person'],
    noticeWorkingDays: 0,
    // published at once: a serious black list needs the reason it gives no statement period
    minStatementWorkingDays: 0,
    minStatementReason: 'test: published at once',
    suspendOnObjection: false,
    ...extra,
  };
}

/**
 * The smallest catalog a cross-service test needs: COURT, one black list type owned by it (no notice
 * period, so entries publish at once) and one memorandum with the given measures.
 */
export async function seedCatalog(
  platform: Pick<TestPlatform, 'url'>, // the services' base URLs: in-process or separate processes
  adminToken: string,
  options: { listType?: Record<string, unknown>; measures: Record<string, unknown>[] },
): Promise<{ listType: string }> {
  const listType = listTypeBody(options.listType);
  const steps = [
    api('POST', `${platform.url.registry}/v1/departments`, {
      token: adminToken,
      body: { code: 'COURT', name: '法院', region: '330100' },
    }),
  ];
  for (const res of await Promise.all(steps))
    if (res.status !== 201) throw new Error(`department: ${res.status}`);
  const defined = await api('POST', `${platform.url.registry}/v1/list-types`, {
    token: adminToken,
    body: listType,
  });
  if (defined.status !== 201) throw new Error(`list type: ${defined.status} ${JSON.stringify(defined.body)}`);
  const memorandum = await api('POST', `${platform.url.trigger}/v1/memoranda`, {
    token: adminToken,
    body: {
      code: 'MOU-TEST',
      title: 't',
      documentNo: 'd',
      listTypes: [listType.code],
      measures: options.measures,
    },
  });
  if (memorandum.status !== 201)
    throw new Error(`memorandum: ${memorandum.status} ${JSON.stringify(memorandum.body)}`);
  return { listType: listType.code };
}
