import { Role } from '@credit/contracts';
import { MediumPlatform } from './medium';

/** The people and systems the cross-service medium cases act as, by name: their department and role. */
export const PRINCIPALS = {
  admin: ['CREDIT_OFFICE', 'admin'],
  supervisor: ['CREDIT_OFFICE', 'supervisor'],
  court: ['COURT', 'initiator'],
  finance: ['FINANCE', 'implementer'],
  financeSystem: ['FINANCE', 'system'],
  ndrc: ['NDRC', 'implementer'],
  samr: ['SAMR', 'system'],
} as const satisfies Record<string, readonly [string, Role]>;

/** A bearer token for each of the named principals. */
export async function tokensOf<K extends keyof typeof PRINCIPALS>(
  platform: MediumPlatform,
  names: readonly K[],
): Promise<Record<K, string>> {
  const tokens = {} as Record<K, string>;
  for (const name of names) {
    const [dept, role] = PRINCIPALS[name];
    tokens[name] = await platform.token(dept, [role]);
  }
  return tokens;
}
