import { DataSource, EntityManager } from 'typeorm';
import type { AgreementTerms } from './exchange-rules';

/* The SQL of the exchange's registers (decision 0035); the use cases and controllers read through here. */

type Db = DataSource | EntityManager;

export interface Partner {
  keyId: string;
  region: string;
  platform: string;
  dept: string;
  publicKey: string;
  active: boolean;
  registeredAt: string;
  updatedAt: string;
}

interface PartnerRow {
  key_id: string;
  region: string;
  platform: string;
  dept: string;
  public_key: string;
  active: boolean;
  registered_at: Date;
  updated_at: Date;
}

const partnerOf = (r: PartnerRow): Partner => ({
  keyId: r.key_id,
  region: r.region,
  platform: r.platform,
  dept: r.dept,
  publicKey: r.public_key,
  active: r.active,
  registeredAt: new Date(r.registered_at).toISOString(),
  updatedAt: new Date(r.updated_at).toISOString(),
});

const rowsOf = <T>(result: unknown): T[] =>
  Array.isArray(result) && Array.isArray(result[0]) ? (result[0] as T[]) : (result as T[]);

export async function insertPartner(
  db: Db,
  p: Omit<Partner, 'registeredAt' | 'updatedAt'>,
  by: string,
  now: Date,
): Promise<Partner | undefined> {
  const rows: PartnerRow[] = await db.query(
    `INSERT INTO registry.exchange_partners
       (key_id, region, platform, dept, public_key, active, registered_at, registered_by, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $7) ON CONFLICT (key_id) DO NOTHING RETURNING *`,
    [p.keyId, p.region, p.platform, p.dept, p.publicKey, p.active, now, by],
  );
  return rows[0] && partnerOf(rows[0]);
}

export async function setPartnerActive(db: Db, keyId: string, active: boolean, now: Date) {
  const rows = rowsOf<PartnerRow>(
    await db.query(
      `UPDATE registry.exchange_partners SET active = $2, updated_at = $3 WHERE key_id = $1 RETURNING *`,
      [keyId, active, now],
    ),
  );
  return rows[0] && partnerOf(rows[0]);
}

export async function listPartners(db: Db): Promise<Partner[]> {
  const rows: PartnerRow[] = await db.query(
    `SELECT * FROM registry.exchange_partners ORDER BY region, key_id`,
  );
  return rows.map(partnerOf);
}

export async function partnerByKey(db: Db, keyId: string): Promise<Partner | undefined> {
  const rows: PartnerRow[] = await db.query(`SELECT * FROM registry.exchange_partners WHERE key_id = $1`, [
    keyId,
  ]);
  return rows[0] && partnerOf(rows[0]);
}

/** The regions whose platform calls with this department's tokens (active keys only). */
export async function regionsOfDept(db: Db, dept: string): Promise<string[]> {
  const rows: { region: string }[] = await db.query(
    `SELECT DISTINCT region FROM registry.exchange_partners WHERE dept = $1 AND active ORDER BY region`,
    [dept],
  );
  return rows.map((r) => r.region);
}

export async function regionRegistered(db: Db, region: string): Promise<boolean> {
  const rows: unknown[] = await db.query(
    `SELECT 1 FROM registry.exchange_partners WHERE region = $1 LIMIT 1`,
    [region],
  );
  return rows.length > 0;
}

export interface Agreement extends AgreementTerms {
  direction: 'inbound' | 'outbound';
  partnerRegion: string;
  theirListType: string | null;
  ourListType: string;
  measures: string[];
}

interface AgreementRow {
  id: string;
  direction: 'inbound' | 'outbound';
  partner_region: string;
  their_list_type: string | null;
  our_list_type: string;
  measures: string[];
  effective_from: string;
  effective_to: string | null;
  created_at: Date;
}

const AGREEMENT_COLUMNS = `id, direction, partner_region, their_list_type, our_list_type, measures,
  to_char(effective_from, 'YYYY-MM-DD') AS effective_from, to_char(effective_to, 'YYYY-MM-DD') AS effective_to,
  created_at`;

const agreementOf = (r: AgreementRow): Agreement => ({
  id: r.id,
  direction: r.direction,
  partnerRegion: r.partner_region,
  theirListType: r.their_list_type,
  ourListType: r.our_list_type,
  measures: r.measures,
  effectiveFrom: r.effective_from,
  effectiveTo: r.effective_to,
  createdAt: new Date(r.created_at),
});

export async function insertAgreement(db: Db, a: Omit<Agreement, 'createdAt'>, by: string, now: Date) {
  const rows: AgreementRow[] = await db.query(
    `INSERT INTO registry.exchange_agreements
       (id, direction, partner_region, their_list_type, our_list_type, measures, effective_from, effective_to,
        created_at, created_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING ${AGREEMENT_COLUMNS}`,
    [
      a.id,
      a.direction,
      a.partnerRegion,
      a.theirListType,
      a.ourListType,
      a.measures,
      a.effectiveFrom,
      a.effectiveTo,
      now,
      by,
    ],
  );
  return agreementOf(rows[0]);
}

export async function listAgreements(db: Db): Promise<Agreement[]> {
  const rows: AgreementRow[] = await db.query(
    `SELECT ${AGREEMENT_COLUMNS} FROM registry.exchange_agreements
     ORDER BY direction, partner_region, created_at, id`,
  );
  return rows.map(agreementOf);
}

export async function inboundAgreements(db: Db, region: string, theirListType: string): Promise<Agreement[]> {
  const rows: AgreementRow[] = await db.query(
    `SELECT ${AGREEMENT_COLUMNS} FROM registry.exchange_agreements
     WHERE direction = 'inbound' AND partner_region = $1 AND their_list_type = $2`,
    [region, theirListType],
  );
  return rows.map(agreementOf);
}

export interface ReceivedEntry {
  entryId: string;
  version: number;
  status: string;
}

/** The entry received under an origin id, locked for the document's transaction. */
export async function receivedEntryForUpdate(
  manager: EntityManager,
  region: string,
  originalId: string,
): Promise<ReceivedEntry | undefined> {
  const rows: { entry_id: string; version: number; status: string }[] = await manager.query(
    `SELECT o.entry_id, o.version, e.status FROM registry.exchange_origins o
     JOIN registry.list_entries e ON e.id = o.entry_id
     WHERE o.origin_region = $1 AND o.original_id = $2 FOR UPDATE OF o`,
    [region, originalId],
  );
  return rows[0] && { entryId: rows[0].entry_id, version: rows[0].version, status: rows[0].status };
}

export async function insertOrigin(
  manager: EntityManager,
  o: {
    entryId: string;
    region: string;
    platform: string;
    originalId: string;
    version: number;
    agreementId: string;
    measures: string[];
  },
  now: Date,
): Promise<void> {
  await manager.query(
    `INSERT INTO registry.exchange_origins
       (entry_id, origin_region, origin_platform, original_id, version, agreement_id, recognised_measures, received_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [o.entryId, o.region, o.platform, o.originalId, o.version, o.agreementId, o.measures, now],
  );
}

export async function setOriginVersion(manager: EntityManager, entryId: string, version: number) {
  await manager.query(`UPDATE registry.exchange_origins SET version = $2 WHERE entry_id = $1`, [
    entryId,
    version,
  ]);
}

export interface InboundRecord {
  digest: string;
  outcome: Record<string, unknown> | null;
}

/**
 * Claims (origin, original id, version) for this transaction: undefined when it is new here, else what
 * was recorded for it. A concurrent claim waits for the first to commit or roll back.
 */
export async function claimInbound(
  manager: EntityManager,
  d: {
    region: string;
    originalId: string;
    version: number;
    kind: string;
    digest: string;
    keyId: string;
    signature: string;
    document: unknown;
    by: string;
  },
  now: Date,
): Promise<InboundRecord | undefined> {
  const inserted: unknown[] = await manager.query(
    `INSERT INTO registry.exchange_inbound
       (origin_region, original_id, version, kind, digest, key_id, signature, document, received_at, received_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT DO NOTHING RETURNING version`,
    [
      d.region,
      d.originalId,
      d.version,
      d.kind,
      d.digest,
      d.keyId,
      d.signature,
      JSON.stringify(d.document),
      now,
      d.by,
    ],
  );
  if (inserted.length > 0) return undefined;
  const rows: { digest: string; outcome: Record<string, unknown> | null }[] = await manager.query(
    `SELECT digest, outcome FROM registry.exchange_inbound
     WHERE origin_region = $1 AND original_id = $2 AND version = $3`,
    [d.region, d.originalId, d.version],
  );
  return rows[0];
}

export async function recordInboundOutcome(
  manager: EntityManager,
  key: { region: string; originalId: string; version: number },
  entryId: string,
  outcome: Record<string, unknown>,
): Promise<void> {
  await manager.query(
    `UPDATE registry.exchange_inbound SET entry_id = $4, outcome = $5
     WHERE origin_region = $1 AND original_id = $2 AND version = $3`,
    [key.region, key.originalId, key.version, entryId, JSON.stringify(outcome)],
  );
}
