import { computeIdNumberCheckCharacter, computeUsccCheckCharacter } from '@credit/identifiers';
import { api } from '../support/services';
import { RegistryUnderTest } from '../support/registry-app';

/** A valid unified code for a Hangzhou enterprise, from a 9-character organization code body. */
export function uscc(orgBody8: string): string {
  const org = orgBody8 + orgCheck(orgBody8);
  const first17 = `91330106${org}`;
  return first17 + computeUsccCheckCharacter(first17);
}

function orgCheck(body: string): string {
  const charset = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
  const weights = [3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...body].reduce((s, c, i) => s + charset.indexOf(c) * weights[i], 0);
  const check = 11 - (sum % 11);
  return check === 10 ? 'X' : check === 11 ? '0' : String(check);
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

export interface Tokens {
  admin: string;
  court: string;
  tax: string;
  supervisor: string;
}

export async function tokensFor(registry: RegistryUnderTest): Promise<Tokens> {
  return {
    admin: await registry.token('CREDIT_OFFICE', ['admin']),
    court: await registry.token('COURT', ['initiator']),
    tax: await registry.token('TAX', ['initiator']),
    supervisor: await registry.token('CREDIT_OFFICE', ['supervisor']),
  };
}

/**
 * Departments COURT and TAX; list types COURT_DEFAULTER (serious, no notice period, with the reason a
 * serious list needs for that) and TAX_MAJOR (general, 5 days).
 */
export async function seedRegistry(registry: RegistryUnderTest, tokens: Tokens): Promise<void> {
  for (const code of ['COURT', 'TAX']) {
    const res = await api('POST', `${registry.url}/v1/departments`, {
      token: tokens.admin,
      body: { code, name: code, region: '330100' },
    });
    if (res.status !== 201) throw new Error(`department ${code}: ${res.status}`);
  }
  const listType = (code: string, ownerDept: string, severity: string, days: number, notice: number) => ({
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
  for (const body of [
    listType('COURT_DEFAULTER', 'COURT', 'serious', 730, 0),
    listType('TAX_MAJOR', 'TAX', 'general', 365, 5),
    listType('LATE_FILING', 'TAX', 'minor', 30, 0),
  ]) {
    const res = await api('POST', `${registry.url}/v1/list-types`, { token: tokens.admin, body });
    if (res.status !== 201)
      throw new Error(`list type ${body.code}: ${res.status} ${JSON.stringify(res.body)}`);
  }
}

/** Creates (and optionally notices and publishes) an entry; returns its id. */
export async function entry(
  registry: Pick<RegistryUnderTest, 'url'>,
  token: string,
  body: Record<string, unknown>,
  steps: ('notice' | 'publish')[] = [],
): Promise<string> {
  const created = await api<{ id: string }>('POST', `${registry.url}/v1/list-entries`, { token, body });
  if (created.status !== 201) throw new Error(`create: ${created.status} ${JSON.stringify(created.body)}`);
  for (const step of steps) {
    const res = await api('POST', `${registry.url}/v1/list-entries/${created.body.id}/${step}`, { token });
    if (res.status !== 200) throw new Error(`${step}: ${res.status} ${JSON.stringify(res.body)}`);
  }
  return created.body.id;
}
