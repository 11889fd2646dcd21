import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { loadDemoCatalog, LoadResult, readDemoCatalog } from '../../../scripts/demo-catalog';
import { mintToken } from '@credit/auth';
import { Role } from '@credit/contracts';
import {
  computeIdNumberCheckCharacter,
  computeOrganizationCheckCharacter,
  computeUsccCheckCharacter,
} from '@credit/identifiers';

/** A unified social credit code of a Hangzhou (330106) company, from its 8-character organization body. */
function uscc(orgBody: string): string {
  const first17 = `91330106${orgBody}${computeOrganizationCheckCharacter(orgBody)}`;
  return first17 + computeUsccCheckCharacter(first17);
}

function idNumber(birth: string, seq: string): string {
  const first17 = `330106${birth}${seq}`;
  return first17 + computeIdNumberCheckCharacter(first17);
}

/** Who the guide gives a token to: one per role. */
export const DEMO_PEOPLE: { role: Role; dept: string; sub: string; what: string }[] = [
  {
    role: 'admin',
    dept: 'CREDIT_OFFICE',
    sub: 'demo-admin',
    what: 'catalog: departments, list types, memoranda',
  },
  {
    role: 'supervisor',
    dept: 'CREDIT_OFFICE',
    sub: 'demo-supervisor',
    what: 'assignments, trails, check log, reports',
  },
  {
    role: 'initiator',
    dept: 'COURT',
    sub: 'demo-court',
    what: 'court defaulter entries: create, notice, publish, end',
  },
  {
    role: 'implementer',
    dept: 'POLICE',
    sub: 'demo-police',
    what: "the police's inbox: acknowledge, feedback",
  },
  { role: 'system', dept: 'FINANCE', sub: 'demo-procurement', what: 'the procurement system: checks' },
];

export const DEMO_SUBJECTS = {
  company: { kind: 'legal_person', id: uscc('MA7H3001'), name: '杭州示范建设工程有限公司' },
  legalRep: {
    role: 'legal_representative',
    kind: 'individual',
    id: idNumber('19800412', '031'),
    name: '王某',
  },
  person: { kind: 'individual', id: idNumber('19750808', '052'), name: '李某' },
  redCompany: { kind: 'legal_person', id: uscc('MA7H3002'), name: '杭州诚信示范贸易有限公司' },
  noticed: { kind: 'legal_person', id: uscc('MA7H3003'), name: '杭州某某商贸有限公司' },
};

export interface DemoResult {
  catalog: LoadResult;
  /** the published court defaulter entry (the company) */
  entryId: string;
  entries: { id: string; listType: string; subject: string; status: string }[];
}

/** deploy/demo, found from wherever this file runs (sources, or the compiled dist/). */
function demoDir(): string {
  for (let dir = __dirname; dir !== dirname(dir); dir = dirname(dir)) {
    if (existsSync(join(dir, 'deploy', 'demo', 'departments.json'))) return join(dir, 'deploy', 'demo');
  }
  throw new Error('deploy/demo not found');
}

async function call(url: string, token: string, method: string, body?: unknown) {
  const response = await fetch(url, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  const json = (text ? JSON.parse(text) : {}) as Record<string, unknown>;
  if (response.status >= 300) throw new Error(`${method} ${url} answered ${response.status}: ${text}`);
  return json;
}

/**
 * Loads the demo through the public API, as a department would: the catalog (24 departments, 9 list
 * types, 9 memoranda), then a few entries — a defaulting company (with its legal representative) and a
 * defaulting person published by the court, an A-grade taxpayer on the red list, and a tax violator in its
 * notice period. Safe to run again: what exists is kept.
 */
export async function loadDemo(url: string, secret: string): Promise<DemoResult> {
  const token = (dept: string, role: Role) =>
    mintToken({ sub: `demo-${dept.toLowerCase()}`, dept, roles: [role] }, secret);
  const admin = await token('CREDIT_OFFICE', 'admin');
  const catalog = await loadDemoCatalog({
    registryUrl: url,
    triggerUrl: url,
    adminToken: admin,
    catalog: readDemoCatalog(demoDir()),
  });
  const court = await token('COURT', 'initiator');
  const tax = await token('TAX', 'initiator');
  const S = DEMO_SUBJECTS;
  const decision = (documentNo: string, facts: string) => ({ documentNo, date: '2026-01-05', facts });
  const plans = [
    {
      as: court,
      listType: 'COURT_DEFAULTER',
      subject: S.company,
      relatedPersons: [S.legalRep],
      decision: decision('(2026)浙0106执101号', '有履行能力而拒不履行生效法律文书确定的给付义务'),
      publish: true,
    },
    {
      as: court,
      listType: 'COURT_DEFAULTER',
      subject: S.person,
      decision: decision('(2026)浙0106执102号', '以虚假诉讼规避执行'),
      publish: true,
    },
    {
      as: tax,
      listType: 'TAX_A_GRADE',
      subject: S.redCompany,
      decision: decision('浙税信〔2026〕1号', '年度纳税信用评价为A级'),
      publish: true,
    },
    {
      as: tax,
      listType: 'TAX_MAJOR_VIOLATION',
      subject: S.noticed,
      decision: decision('杭税稽罚〔2026〕7号', '虚开增值税专用发票'),
      publish: false, // five working days' notice before it can be published
    },
  ];
  const entries: DemoResult['entries'] = [];
  for (const plan of plans) {
    const existing = await existingEntry(url, admin, plan.subject.id, plan.listType);
    if (existing) {
      entries.push({
        id: existing.id,
        listType: plan.listType,
        subject: plan.subject.name,
        status: existing.status,
      });
      continue;
    }
    const created = await call(`${url}/v1/list-entries`, plan.as, 'POST', {
      listType: plan.listType,
      subject: plan.subject,
      relatedPersons: plan.relatedPersons,
      decision: plan.decision,
    });
    const id = created.id as string;
    await call(`${url}/v1/list-entries/${id}/notice`, plan.as, 'POST', { channel: 'post' });
    let status = 'noticed';
    if (plan.publish) {
      status = (await call(`${url}/v1/list-entries/${id}/publish`, plan.as, 'POST')).status as string;
    }
    entries.push({ id, listType: plan.listType, subject: plan.subject.name, status });
  }
  return { catalog, entryId: entries[0].id, entries };
}

async function existingEntry(url: string, admin: string, subject: string, listType: string) {
  const response = await fetch(`${url}/v1/subjects/${subject}`, {
    headers: { authorization: `Bearer ${admin}` },
  });
  if (response.status === 404) return undefined;
  const body = (await response.json()) as { entries?: { id: string; listType: string; status: string }[] };
  return body.entries?.find((e) => e.listType === listType && e.status !== 'ended');
}

/** What to try, printed after the demo loaded: a token per role and requests that show the whole loop. */
/** Whether the database holds the demo (loaded on this start or an earlier one): its court list type. */
export async function demoPresent(url: string, secret: string): Promise<boolean> {
  const token = await mintToken(
    { sub: 'demo-credit_office', dept: 'CREDIT_OFFICE', roles: ['admin'] },
    secret,
  );
  const res = await fetch(`${url}/v1/list-types/COURT_DEFAULTER`, {
    headers: { authorization: `Bearer ${token}` },
  });
  return res.status === 200;
}

export async function demoGuide(url: string, secret: string, demo: DemoResult | undefined): Promise<string> {
  const lines: string[] = [];
  const tokens: Record<string, string> = {};
  for (const p of DEMO_PEOPLE)
    tokens[p.role] = await mintToken({ sub: p.sub, dept: p.dept, roles: [p.role] }, secret);
  lines.push(`Tokens (12 h; more with: npm run token -- --dept COURT --roles initiator):`);
  for (const p of DEMO_PEOPLE) {
    lines.push(`  ${p.role.padEnd(11)} ${p.dept.padEnd(13)} ${p.what}`);
    lines.push(`    export ${p.role.toUpperCase()}=${tokens[p.role]}`);
  }
  if (demo) {
    const S = DEMO_SUBJECTS;
    lines.push('', 'Demo entries:');
    for (const e of demo.entries)
      lines.push(`  ${e.id}  ${e.listType.padEnd(20)} ${e.status.padEnd(9)} ${e.subject}`);
    lines.push(
      '',
      'Try:',
      `  # the procurement centre's bidding system asks about a bidder: block, citing entry, measure, legal basis`,
      `  curl -s -X POST ${url}/v1/checks -H "authorization: Bearer $SYSTEM" -H 'content-type: application/json' \\`,
      `    -d '{"subject":{"id":"${S.company.id}"},"action":"government_procurement_bid","stage":"approval"}'`,
      `  # every department's assignments for the published entry`,
      `  curl -s "${url}/v1/assignments?entryId=${demo.entryId}" -H "authorization: Bearer $SUPERVISOR"`,
      `  # the police's inbox (the defaulting person's exit ban, the legal representative's)`,
      `  curl -s "${url}/v1/inbox?status=issued" -H "authorization: Bearer $IMPLEMENTER"`,
      `  # the entry's trail, hash-chained, and its verification`,
      `  curl -s ${url}/v1/list-entries/${demo.entryId}/trail -H "authorization: Bearer $SUPERVISOR"`,
      `  curl -s ${url}/v1/list-entries/${demo.entryId}/trail/verify -H "authorization: Bearer $SUPERVISOR"`,
      `  # the court ends the entry; the same check then answers allow`,
      `  curl -s -X POST ${url}/v1/list-entries/${demo.entryId}/end -H "authorization: Bearer $INITIATOR" \\`,
      `    -H 'content-type: application/json' -d '{"reason":"repaired","note":"已履行"}'`,
    );
  }
  lines.push('', `API: ${url}/docs`);
  return lines.join('\n');
}
