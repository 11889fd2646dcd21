import { computeIdNumberCheckCharacter, computeUsccCheckCharacter } from '@credit/identifiers';
import { MediumPlatform, startMedium } from './medium';

/** What the registry's medium specs share: departments, list types and tokens, seeded through the routes. */

/** A valid unified code for a Hangzhou enterprise, from an 8-character organization code body. */
export function uscc(orgBody8: string): string {
  const charset = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
  const weights = [3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...orgBody8].reduce((s, c, i) => s + charset.indexOf(c) * weights[i], 0);
  const check = 11 - (sum % 11);
  const first17 = `91330106${orgBody8}${check === 10 ? 'X' : check === 11 ? '0' : String(check)}`;
  return first17 + computeUsccCheckCharacter(first17);
}

/** A valid 18-digit ID number born on `yyyymmdd` in Hangzhou (330106). */
export function idNumber(yyyymmdd: string, seq = '123'): string {
  const first17 = `330106${yyyymmdd}${seq}`;
  return first17 + computeIdNumberCheckCharacter(first17);
}

export const DECISION = {
  documentNo: '(2026)浙0106执1号',
  date: '2026-10-01',
  facts: '有履行能力而拒不履行',
};

export type Problem = { code: string; status: number; errors?: { field: string; code: string }[] };

export interface Tokens {
  admin: string;
  court: string;
  tax: string;
  supervisor: string;
}

export const company = (id: string, name = '杭州某某科技有限公司') => ({ kind: 'legal_person', id, name });

export const listTypeBody = (
  code: string,
  ownerDept: string,
  severity: string,
  days: number,
  notice: number,
) => ({
  code,
  name: code,
  colour: 'black',
  ownerDept,
  legalBasis: 'basis',
  infoClass: 'A',
  severity,
  defaultPeriodDays: days,
  subjectKinds: ['legal_person', 'individual', 'individual_business'],
  noticeWorkingDays: notice,
  // a serious black list published at once must say why it gives no statement period
  ...(severity === 'serious' && notice < 5
    ? { minStatementWorkingDays: notice, minStatementReason: 'test: judicial procedure' }
    : {}),
  suspendOnObjection: true,
  objectionWorkingDays: 5,
});

/**
 * Departments COURT and TAX; list types COURT_DEFAULTER (serious, no notice period), TAX_MAJOR (general,
 * 5 working days) and LATE_FILING (minor, TAX).
 */
export async function seedRegistry(platform: MediumPlatform): Promise<Tokens> {
  const tokens = {
    admin: await platform.token('CREDIT_OFFICE', ['admin']),
    court: await platform.token('COURT', ['initiator']),
    tax: await platform.token('TAX', ['initiator']),
    supervisor: await platform.token('CREDIT_OFFICE', ['supervisor']),
  };
  for (const code of ['COURT', 'TAX']) {
    const res = await platform.api('POST', '/v1/departments', {
      token: tokens.admin,
      body: { code, name: code, region: '330100' },
    });
    if (res.status !== 201) throw new Error(`department ${code}: ${res.status} ${JSON.stringify(res.body)}`);
  }
  for (const body of [
    listTypeBody('COURT_DEFAULTER', 'COURT', 'serious', 730, 0),
    listTypeBody('TAX_MAJOR', 'TAX', 'general', 365, 5),
    listTypeBody('LATE_FILING', 'TAX', 'minor', 30, 0),
  ]) {
    const res = await platform.api('POST', '/v1/list-types', { token: tokens.admin, body });
    if (res.status !== 201)
      throw new Error(`list type ${body.code}: ${res.status} ${JSON.stringify(res.body)}`);
  }
  return tokens;
}

/** Creates (and optionally notices and publishes) an entry; returns its id. */
export async function entry(
  platform: MediumPlatform,
  token: string,
  body: Record<string, unknown>,
  steps: ('notice' | 'publish')[] = [],
): Promise<string> {
  const created = await platform.api<{ id: string }>('POST', '/v1/list-entries', { token, body });
  if (created.status !== 201) throw new Error(`create: ${created.status} ${JSON.stringify(created.body)}`);
  for (const step of steps) {
    const res = await platform.api('POST', `/v1/list-entries/${created.body.id}/${step}`, { token });
    if (res.status !== 200) throw new Error(`${step}: ${res.status} ${JSON.stringify(res.body)}`);
  }
  return created.body.id;
}

/**
 * Registry alone on PGlite for a group of tests: started and seeded (seedRegistry) before them, handed to
 * `ready` with the tokens (and whatever the group arranges besides), closed after them. The groups of one
 * jest file share one seeded registry (decision 0061: a platform's start is most of a group's cost), each
 * arranging its own data under ids of its own; it closes after the file's last group that uses it. A group
 * that reads what the whole registry holds (counts, "every entry in force") takes ownSeededRegistry.
 */
export function seededRegistry(
  ready: (platform: MediumPlatform, tokens: Tokens) => void | Promise<void>,
): void {
  // counted as jest collects the file's groups, before any of them runs
  shared.users += 1;
  beforeAll(async () => {
    shared.started ??= startMedium({ services: ['registry'] }).then(async (platform) => ({
      platform,
      tokens: await seedRegistry(platform),
    }));
    const { platform, tokens } = await shared.started;
    await ready(platform, tokens);
  });
  afterAll(async () => {
    shared.users -= 1;
    if (shared.users > 0 || !shared.started) return;
    const started = shared.started;
    shared.started = undefined;
    await (await started.catch(() => undefined))?.platform.close();
  });
}

/** The seeded registry the groups of this jest file share (a module's state: one per jest file). */
const shared: {
  users: number;
  started?: Promise<{ platform: MediumPlatform; tokens: Tokens }>;
} = { users: 0 };

/** seededRegistry, on a registry of the group's own: it sees no other group's data. */
export function ownSeededRegistry(
  ready: (platform: MediumPlatform, tokens: Tokens) => void | Promise<void>,
): void {
  let platform: MediumPlatform | undefined;
  beforeAll(async () => {
    platform = await startMedium({ services: ['registry'] });
    await ready(platform, await seedRegistry(platform));
  });
  afterAll(() => platform?.close());
}
