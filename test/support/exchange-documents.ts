import { uscc } from './medium-registry';

/**
 * The documents of credit-exchange/1 (decision 0035) that the exchange tests receive from their partner,
 * 信用湖州 (region 330500), before signing: the medium spec of the inbound route
 * (receive-exchange-document.medium-spec.ts) and the story of both modes (test/exchange).
 */
export const PARTNER_REGION = '330500';

const today = () => new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
const daysFromNow = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString();

/** The partner's entry `entryId` of its list HZ_SXBZXR, about the enterprise of code body `body8`. */
export const exchangePublication = (entryId: string, body8: string, extra: Record<string, unknown> = {}) => ({
  kind: 'publication',
  origin: { region: PARTNER_REGION, platform: '信用湖州', entryId },
  version: 1,
  issuedAt: new Date().toISOString(),
  listType: { code: 'HZ_SXBZXR', name: '失信被执行人', colour: 'black' },
  subject: { kind: 'legal_person', id: uscc(body8), name: `湖州${body8}有限公司` },
  decision: {
    documentNo: `(2026)浙05执${body8}号`,
    date: today(),
    authority: '湖州市中级人民法院',
    facts: '有履行能力而拒不履行生效法律文书确定义务',
  },
  period: { from: new Date().toISOString(), to: daysFromNow(365) },
  ...extra,
});

/** The partner's withdrawal of that entry (version 2 unless given). */
export const exchangeWithdrawal = (entryId: string, body8: string, version = 2) => ({
  kind: 'withdrawal',
  origin: { region: PARTNER_REGION, platform: '信用湖州', entryId },
  version,
  issuedAt: new Date().toISOString(),
  listType: { code: 'HZ_SXBZXR' },
  subject: { kind: 'legal_person', id: uscc(body8) },
  reason: 'repaired',
  withdrawnAt: new Date().toISOString(),
});
