import { DataSource, EntityManager } from 'typeorm';
import {
  EventTypes,
  FeedbackEnforcedV1,
  ListEntryEndedV1,
  ListEntryPublishedV1,
  MeasureKind,
  MeasureSnapshotV1,
} from '@credit/contracts';
import { decodeCursor, encodeCursor } from '@credit/platform';
import { CaseStatus } from './typical-case.state-machine';

/** A list entry as the case copies it from the trail's publication (and end) of the entry. */
export interface CaseEntry {
  entryId: string;
  listType: { code: string; colour: string; infoClass: string | null; severity: string | null };
  ownerDept: string;
  subject: { kind: string; id: string; name: string };
  decision: { documentNo: string; date: string };
  period: { from: string; to: string; openEnded: boolean };
  publishedAt: string;
  ended: { reason: string; at: string } | null;
}

/** One implementing department's enforcement report the case rests on. */
export interface CaseFeedback {
  assignmentId: string;
  entryId: string;
  dept: string;
  measure: { code: string; text: string | null; kind: string | null; legalBasis: string | null };
  enforcedAt: string;
  detail: string | null;
  reference: string | null;
}

export interface TypicalCaseRow {
  id: string;
  title: string;
  summary: string;
  kind: MeasureKind;
  status: CaseStatus;
  nominatingDept: string;
  nominatedBy: string;
  region: string;
  entryIds: string[];
  assignmentIds: string[];
  entries: CaseEntry[];
  feedback: CaseFeedback[];
  nominatedAt: Date;
  screeningBy: string | null;
  screeningAt: Date | null;
  decidedBy: string | null;
  decidedAt: Date | null;
  decisionNote: string | null;
  rejectionReason: string | null;
  publishedAt: Date | null;
  withdrawnAt: Date | null;
  withdrawalReason: string | null;
}

const SELECT = `id, title, summary, kind, status, nominating_dept AS "nominatingDept", nominated_by AS "nominatedBy",
  region, entry_ids::text[] AS "entryIds", assignment_ids::text[] AS "assignmentIds", entries, feedback,
  nominated_at AS "nominatedAt", screening_by AS "screeningBy", screening_at AS "screeningAt",
  decided_by AS "decidedBy", decided_at AS "decidedAt", decision_note AS "decisionNote",
  rejection_reason AS "rejectionReason", published_at AS "publishedAt", withdrawn_at AS "withdrawnAt",
  withdrawal_reason AS "withdrawalReason"`;

/** The case register's SQL (tracking.typical_cases) and the trail and follow-up facts a case is made of. */
export class TypicalCaseStore {
  constructor(private readonly db: DataSource | EntityManager) {}

  async regionOf(dept: string): Promise<string | undefined> {
    const [row]: { region: string }[] = await this.db.query(
      'SELECT region FROM tracking.department_regions WHERE dept = $1',
      [dept],
    );
    return row?.region;
  }

  /** The latest publication of each entry, and its end if it ended, from the trail. */
  async entryFacts(entryIds: string[]): Promise<Map<string, CaseEntry>> {
    const rows: {
      entry_id: string;
      type: string;
      time: Date;
      data: Partial<ListEntryPublishedV1 & ListEntryEndedV1>;
    }[] = await this.db.query(
      `SELECT entry_id, type, time, data FROM tracking.trail_records
         WHERE entry_id = ANY($1::uuid[]) AND type = ANY($2) AND (data->>'opaque') IS NULL
         ORDER BY time, seq`,
      [entryIds, [EventTypes.listEntryPublished, EventTypes.listEntryEnded]],
    );
    const facts = new Map<string, CaseEntry>();
    for (const r of rows) {
      const d = r.data;
      if (r.type === EventTypes.listEntryPublished) {
        facts.set(r.entry_id, {
          entryId: r.entry_id,
          listType: {
            code: d.listType!.code,
            colour: d.listType!.colour,
            infoClass: d.listType?.infoClass ?? null,
            severity: d.listType?.severity ?? null,
          },
          ownerDept: d.ownerDept!,
          subject: { kind: d.subject!.kind, id: d.subject!.id, name: d.subject!.name ?? '' },
          decision: { documentNo: d.decision!.documentNo, date: d.decision!.date },
          period: { from: d.period!.from, to: d.period!.to, openEnded: d.period!.openEnded === true },
          publishedAt: d.publishedAt ?? r.time.toISOString(),
          ended: null,
        });
      } else {
        const entry = facts.get(r.entry_id);
        if (entry) entry.ended = { reason: d.reason!, at: d.endedAt ?? r.time.toISOString() };
      }
    }
    return facts;
  }

  /** Departments that hold an assignment on the entry (its implementing departments). */
  async implementersOf(entryId: string): Promise<Set<string>> {
    const rows: { dept: string }[] = await this.db.query(
      'SELECT DISTINCT dept FROM tracking.follow_up_assignments WHERE entry_id = $1 AND issued',
      [entryId],
    );
    return new Set(rows.map((r) => r.dept));
  }

  /** The assignments named, with their enforcement report (from the trail) when they have one. */
  async feedbackFacts(
    assignmentIds: string[],
  ): Promise<Map<string, { entryId: string; feedback: CaseFeedback | null }>> {
    const rows: {
      id: string;
      entry_id: string;
      dept: string;
      measure_code: string;
      enforced_at: Date | null;
      measure: Partial<MeasureSnapshotV1> | null;
      report: Partial<FeedbackEnforcedV1> | null;
    }[] = await this.db.query(
      `SELECT a.id, a.entry_id, a.dept, a.measure_code, a.enforced_at,
         (SELECT r.data->'measure' FROM tracking.trail_records r
           WHERE r.type = $2 AND r.data->>'assignmentId' = a.id::text ORDER BY r.seq DESC LIMIT 1) AS measure,
         (SELECT r.data FROM tracking.trail_records r
           WHERE r.type = $3 AND r.data->>'assignmentId' = a.id::text ORDER BY r.seq DESC LIMIT 1) AS report
       FROM tracking.follow_up_assignments a WHERE a.id = ANY($1::uuid[]) AND a.issued`,
      [assignmentIds, EventTypes.assignmentIssued, EventTypes.feedbackEnforced],
    );
    return new Map(
      rows.map((r) => [
        r.id,
        {
          entryId: r.entry_id,
          feedback: r.enforced_at
            ? {
                assignmentId: r.id,
                entryId: r.entry_id,
                dept: r.dept,
                measure: {
                  code: r.measure_code,
                  text: r.measure?.text ?? null,
                  kind: r.measure?.kind ?? null,
                  legalBasis: r.measure?.legalBasis ?? null,
                },
                enforcedAt: r.enforced_at.toISOString(),
                // a check hit is feedback nobody typed: it has no report of its own
                detail: r.report?.detail ?? null,
                reference: r.report?.reference ?? null,
              }
            : null,
        },
      ]),
    );
  }

  async insert(c: TypicalCaseRow): Promise<void> {
    await this.db.query(
      `INSERT INTO tracking.typical_cases (id, title, summary, kind, status, nominating_dept, nominated_by,
         region, entry_ids, assignment_ids, entries, feedback, nominated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
      [
        c.id,
        c.title,
        c.summary,
        c.kind,
        c.status,
        c.nominatingDept,
        c.nominatedBy,
        c.region,
        c.entryIds,
        c.assignmentIds,
        JSON.stringify(c.entries),
        JSON.stringify(c.feedback),
        c.nominatedAt,
      ],
    );
  }

  async load(id: string, lock = false): Promise<TypicalCaseRow | undefined> {
    const [row]: TypicalCaseRow[] = await this.db.query(
      `SELECT ${SELECT} FROM tracking.typical_cases WHERE id = $1${lock ? ' FOR UPDATE' : ''}`,
      [id],
    );
    return row;
  }

  async update(id: string, changes: Partial<Record<keyof typeof COLUMN, unknown>>): Promise<void> {
    const sets: string[] = ['updated_at = now()'];
    const params: unknown[] = [id];
    for (const [field, value] of Object.entries(changes)) {
      params.push(value);
      sets.push(`${COLUMN[field as keyof typeof COLUMN]} = $${params.length}`);
    }
    await this.db.query(`UPDATE tracking.typical_cases SET ${sets.join(', ')} WHERE id = $1`, params);
  }

  /**
   * One page in (time, id) order over `timeColumn`: filters are column = value, the period [from, to) on
   * that column. The cursor is the last row's time and id, as every `{ items, nextCursor }` route has it.
   */
  async page(options: {
    timeColumn: 'nominated_at' | 'decided_at' | 'published_at';
    statuses?: readonly CaseStatus[];
    kind?: string;
    dept?: string;
    region?: string;
    from?: Date;
    to?: Date;
    cursor?: string;
    limit: number;
    /** newest first (the public list), else oldest first */
    newestFirst?: boolean;
  }): Promise<{ items: TypicalCaseRow[]; nextCursor: string | null }> {
    const where: string[] = [];
    const params: unknown[] = [];
    const param = (value: unknown) => {
      params.push(value);
      return `$${params.length}`;
    };
    const t = options.timeColumn;
    where.push(`${t} IS NOT NULL`);
    if (options.statuses) where.push(`status = ANY(${param(options.statuses)})`);
    if (options.kind) where.push(`kind = ${param(options.kind)}`);
    if (options.dept) where.push(`nominating_dept = ${param(options.dept)}`);
    if (options.region) where.push(`region = ${param(options.region)}`);
    if (options.from) where.push(`${t} >= ${param(options.from)}`);
    if (options.to) where.push(`${t} < ${param(options.to)}`);
    if (options.cursor) {
      const [time, id] = decodeCursor(options.cursor);
      where.push(
        `(${t}, id) ${options.newestFirst ? '<' : '>'} (${param(new Date(time))}, ${param(id)}::uuid)`,
      );
    }
    const rows: (TypicalCaseRow & { pageTime: Date })[] = await this.db.query(
      `SELECT ${SELECT}, ${t} AS "pageTime" FROM tracking.typical_cases WHERE ${where.join(' AND ')}
       ORDER BY ${t}${options.newestFirst ? ' DESC' : ''}, id${options.newestFirst ? ' DESC' : ''}
       LIMIT ${options.limit + 1}`,
      params,
    );
    const items = rows.slice(0, options.limit);
    const last = items[items.length - 1];
    return {
      items,
      nextCursor:
        rows.length > options.limit && last ? encodeCursor([last.pageTime.toISOString(), last.id]) : null,
    };
  }
}

const COLUMN = {
  status: 'status',
  screeningBy: 'screening_by',
  screeningAt: 'screening_at',
  decidedBy: 'decided_by',
  decidedAt: 'decided_at',
  decisionNote: 'decision_note',
  rejectionReason: 'rejection_reason',
  publishedAt: 'published_at',
  withdrawnAt: 'withdrawn_at',
  withdrawalReason: 'withdrawal_reason',
} as const;

/** A day YYYY-MM-DD in Beijing time as the instant it starts; `next` for the day after (an exclusive end). */
export function beijingDay(day: string, next = false): Date {
  const start = new Date(`${day}T00:00:00+08:00`);
  return next ? new Date(start.getTime() + 86_400_000) : start;
}
