import { Client } from 'pg';
import { measureBody, seedCatalog } from './catalog-fixtures';
import { api, startPlatform, TestPlatform } from './services';

export interface BanPlatform {
  platform: TestPlatform;
  /** a client of the platform's database, for what the services hold */
  db: Client;
  /** tokens: admin (credit office), court (initiator), finance (system) */
  t: Record<'admin' | 'court' | 'finance', string>;
  /** the check's answer for a subject asking for a government procurement bid, as FINANCE's system */
  decision(id: string): Promise<string>;
}

/**
 * The four services with one measure (FINANCE's `BAN`), for the check's end-to-end files: started in the
 * describe's beforeAll, closed in its afterAll. Read the fields inside tests (they are set by then).
 */
export function banPlatform(): BanPlatform {
  const s = { t: {} } as BanPlatform;
  beforeAll(async () => {
    s.platform = await startPlatform();
    s.t.admin = await s.platform.token('CREDIT_OFFICE', ['admin']);
    s.t.court = await s.platform.token('COURT', ['initiator']);
    s.t.finance = await s.platform.token('FINANCE', ['system']);
    await seedCatalog(s.platform, s.t.admin, { measures: [measureBody('BAN', 'FINANCE')] });
    s.db = new Client({ connectionString: s.platform.databaseUrl });
    await s.db.connect();
  });
  afterAll(async () => {
    await s.db?.end();
    await s.platform?.close();
  });
  s.decision = async (id) =>
    (
      await api<{ decision: string }>('POST', `${s.platform.url.enforcement}/v1/checks`, {
        token: s.t.finance,
        body: { subject: { id }, action: 'government_procurement_bid' },
      })
    ).body.decision;
  return s;
}
