import { DataSource, EntityManager } from 'typeorm';
import { chinaIsoDate } from '@credit/calendar';
import type { EndReason } from '@credit/contracts';
import { Department } from '../departments/department.entity';
import type { ListEntry } from '../list-entries/list-entry.entity';
import type { ListType } from '../list-types/list-type.entity';
import { sequenceAfterCommit } from '../publication/publication-feed';
import type { ExchangeDocument } from './exchange-document';

/*
 * Outbound exchange (decision 0035): for each partner region an outbound agreement names for a list type,
 * our publications and withdrawals become documents in `exchange_outbound`, written in the transaction of
 * the entry's change and positioned after commit like the publication feed. They are stored unsigned and
 * without our region and platform, which the pull adds before signing with the key configured then.
 */

/** An advisory lock of the registry's schema, beside the publication feed's. */
const OUTBOUND_SEQUENCER_LOCK = 0x65786f62; // 'exob'

const FACTS_MAX = 4000;

/** The stored body: a document less `origin.region` and `origin.platform`. */
export type OutboundBody = Omit<ExchangeDocument, 'origin'> & { origin: { entryId: string } };

/** Many entries of one list type published (one, or an import's batch). Received entries are not echoed. */
export async function recordOutboundPublications(
  manager: EntityManager,
  entries: ListEntry[],
  listType: ListType,
  now: Date,
): Promise<void> {
  if (entries.length === 0) return;
  const regions: { partner_region: string }[] = await manager.query(
    `SELECT DISTINCT partner_region FROM registry.exchange_agreements
     WHERE direction = 'outbound' AND our_list_type = $1
       AND effective_from <= $2::date AND (effective_to IS NULL OR effective_to >= $2::date)`,
    [listType.code, chinaIsoDate(now)],
  );
  if (regions.length === 0) return;
  const received: { entry_id: string }[] = await manager.query(
    `SELECT entry_id FROM registry.exchange_origins WHERE entry_id = ANY($1::uuid[])`,
    [entries.map((e) => e.id)],
  );
  const skip = new Set(received.map((r) => r.entry_id));
  const authorities = new Map<string, string>();
  for (const code of new Set(entries.map((e) => e.ownerDept)))
    authorities.set(code, (await manager.findOneBy(Department, { code }))?.name ?? code);
  const rows = entries
    .filter((e) => !skip.has(e.id))
    .flatMap((e) => {
      const body: OutboundBody = {
        kind: 'publication',
        origin: { entryId: e.id },
        version: 1,
        issuedAt: now.toISOString(),
        listType: {
          code: listType.code,
          name: listType.name,
          colour: listType.colour,
          severity: listType.severity,
        },
        subject: { kind: e.subjectKind, id: e.subjectId, name: e.subjectName },
        decision: {
          documentNo: e.decisionDocumentNo,
          date: e.decisionDate,
          authority: authorities.get(e.ownerDept)!,
          facts: e.decisionFacts.slice(0, FACTS_MAX),
        },
        period: { from: e.periodFrom!.toISOString(), to: e.periodTo!.toISOString() },
      };
      return regions.map((r) => ({
        region: r.partner_region,
        entryId: e.id,
        kind: 'publication',
        version: 1,
        body,
      }));
    });
  await insertOutbound(manager, rows, now);
}

const WITHDRAWAL_REASON: Readonly<Record<EndReason, ExchangeDocument['reason']>> = {
  expired: 'expired',
  repaired: 'repaired',
  revoked: 'revoked',
  corrected: 'corrected',
  withdrawn_by_origin: 'revoked',
};

/** An entry ended: every region that received its publication receives the withdrawal. */
export async function recordOutboundWithdrawal(
  manager: EntityManager,
  entry: ListEntry,
  reason: EndReason,
  now: Date,
): Promise<void> {
  const sent: { partner_region: string; version: number }[] = await manager.query(
    `SELECT partner_region, max(version)::int AS version FROM registry.exchange_outbound
     WHERE entry_id = $1 GROUP BY partner_region HAVING bool_and(kind = 'publication')`,
    [entry.id],
  );
  if (sent.length === 0) return;
  await insertOutbound(
    manager,
    sent.map((s) => {
      const body: OutboundBody = {
        kind: 'withdrawal',
        origin: { entryId: entry.id },
        version: s.version + 1,
        issuedAt: now.toISOString(),
        listType: { code: entry.listType },
        subject: { kind: entry.subjectKind, id: entry.subjectId },
        reason: WITHDRAWAL_REASON[reason],
        withdrawnAt: now.toISOString(),
      };
      return {
        region: s.partner_region,
        entryId: entry.id,
        kind: 'withdrawal',
        version: s.version + 1,
        body,
      };
    }),
    now,
  );
}

async function insertOutbound(
  manager: EntityManager,
  rows: { region: string; entryId: string; kind: string; version: number; body: OutboundBody }[],
  now: Date,
): Promise<void> {
  if (rows.length === 0) return;
  await manager.query(
    `INSERT INTO registry.exchange_outbound (partner_region, entry_id, kind, version, document, occurred_at)
     SELECT x.region, x.entry_id, x.kind, x.version, x.body, $2::timestamptz
     FROM jsonb_to_recordset($1::jsonb) AS x(region text, entry_id uuid, kind text, version int, body jsonb)
     ON CONFLICT (partner_region, entry_id, version) DO NOTHING`,
    [
      JSON.stringify(
        rows.map((r) => ({
          region: r.region,
          entry_id: r.entryId,
          kind: r.kind,
          version: r.version,
          body: r.body,
        })),
      ),
      now.toISOString(),
    ],
  );
}

/** Positions the committed outbound documents (at every pull; see sequenceAfterCommit). */
export function sequenceOutbound(db: DataSource): Promise<number[]> {
  return sequenceAfterCommit(db, 'registry.exchange_outbound', OUTBOUND_SEQUENCER_LOCK);
}

export interface OutboundItem {
  position: number;
  body: OutboundBody;
  region: string;
}

/** The documents for these regions after `after`, in position order; and the head of the table. */
export async function readOutbound(
  db: DataSource,
  regions: string[],
  after: number,
  limit: number,
): Promise<{ items: OutboundItem[]; head: number }> {
  const rows: { position: string; partner_region: string; document: OutboundBody }[] = await db.query(
    `SELECT position, partner_region, document FROM registry.exchange_outbound
     WHERE partner_region = ANY($1::text[]) AND position > $2 ORDER BY position LIMIT $3`,
    [regions, after, limit],
  );
  const [head]: { head: string }[] = await db.query(
    `SELECT COALESCE(MAX(position), 0) AS head FROM registry.exchange_outbound
     WHERE partner_region = ANY($1::text[]) AND position IS NOT NULL`,
    [regions],
  );
  return {
    items: rows.map((r) => ({ position: Number(r.position), body: r.document, region: r.partner_region })),
    head: Number(head.head),
  };
}

/**
 * Retention (decision 0021): an anonymised entry's exchanged documents, received or ours, keep their place
 * and kind; the subject becomes `*` (a partner already pulled what it needed; a replay of a received
 * document after this is answered as a conflict, not applied again).
 */
export async function anonymiseExchange(manager: EntityManager, entryId: string): Promise<void> {
  const blank = `jsonb_set(document, '{subject}',
    jsonb_build_object('kind', document->'subject'->'kind', 'id', '*') ||
    CASE WHEN document->'subject' ? 'name' THEN jsonb_build_object('name', '*') ELSE '{}'::jsonb END)`;
  await manager.query(`UPDATE registry.exchange_outbound SET document = ${blank} WHERE entry_id = $1`, [
    entryId,
  ]);
  await manager.query(`UPDATE registry.exchange_inbound SET document = ${blank} WHERE entry_id = $1`, [
    entryId,
  ]);
}
