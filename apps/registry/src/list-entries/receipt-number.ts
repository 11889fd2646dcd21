import { randomBytes } from 'node:crypto';

/**
 * 回执编号: what a person is handed when it files something (ST-20261203-7K3F9Q2D for a statement,
 * OB-… for an objection): the Beijing date, then 8 random characters; unique in its table.
 */
export function receiptNumber(prefix: 'ST' | 'OB', now: Date): string {
  const day = new Date(now.getTime() + 8 * 3_600_000).toISOString().slice(0, 10).replace(/-/g, '');
  const alphabet = '0123456789ABCDEFGHJKLMNPQRSTUVWXYZ'; // no I or O: read aloud at a counter
  const random = [...randomBytes(8)].map((b) => alphabet[b % alphabet.length]).join('');
  return `${prefix}-${day}-${random}`;
}
