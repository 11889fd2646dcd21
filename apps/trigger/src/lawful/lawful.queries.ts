import { Inject, Injectable } from '@nestjs/common';
import { DataSource, In } from 'typeorm';
import { isSupervisor, Principal } from '@credit/auth';
import { DomainError, SharedListEntryErrors } from '@credit/platform';
import { TrackedEntry } from '../assignments/tracked-entry.entity';
import { Measure } from '../memoranda/measure.entity';
import { MeasureErrors } from '../memoranda/measure.errors';
import { Memorandum } from '../memoranda/memorandum.entity';
import { TRIGGER_DB } from '../trigger.tokens';
import { legalityFindings } from './legal-basis';
import { MeasureExclusion } from './measure-exclusion.entity';
import { toExclusionView } from './measure-exclusion.view';

/** Lawful measures' reads (decision 0031): the legality report and an entry's excluded measures. */
@Injectable()
export class LawfulQueries {
  constructor(@Inject(TRIGGER_DB) private readonly db: DataSource) {}

  /**
   * Every measure in force judged by the rules of lawful measures: what breaks one (loaded before the
   * rules, or on a list seen with the other colour) and what only a memorandum supports; with counts.
   */
  async legalityReport() {
    const measures = await this.db
      .getRepository(Measure)
      .find({ where: { current: true }, order: { code: 'ASC' } });
    const memoranda = await this.db.getRepository(Memorandum).find();
    const byCode = new Map(memoranda.map((m) => [m.code, m]));
    // the colours trigger has seen each list type published with
    const seen: { list_type: string; list_colour: 'red' | 'black' }[] = await this.db.query(
      `SELECT DISTINCT list_type, list_colour FROM trigger.entries`,
    );
    const items = measures.flatMap((m) => {
      const memo = byCode.get(m.memorandumCode);
      const declared = memo?.colour ?? null;
      const colours = new Set<'red' | 'black'>(declared ? [declared] : []);
      for (const s of seen) if (m.listTypes.includes(s.list_type)) colours.add(s.list_colour);
      const findings = legalityFindings({
        kind: m.kind,
        mode: m.mode,
        legalBases: m.legalBases,
        colours: [...colours],
      });
      return findings.length === 0
        ? []
        : [
            {
              measureCode: m.code,
              version: m.version,
              memorandumCode: m.memorandumCode,
              dept: m.dept,
              kind: m.kind,
              mode: m.mode,
              legalBases: m.legalBases,
              findings,
            },
          ];
    });
    const count = (code: string) => items.filter((i) => i.findings.some((f) => f.code === code)).length;
    return {
      measures: measures.length,
      lawful: measures.length - items.filter((i) => i.findings.some((f) => f.severity === 'error')).length,
      blockNeedsLaw: count(MeasureErrors.BLOCK_NEEDS_LAW.code),
      memorandumOnly: count(MeasureErrors.MEMORANDUM_ONLY.code),
      kindNotForColour: count(MeasureErrors.KIND_NOT_FOR_COLOUR.code),
      modeNotForKind: count(MeasureErrors.MODE_NOT_FOR_KIND.code),
      items,
    };
  }

  async exclusions(principal: Principal, entryId: string) {
    const entry = await this.db.getRepository(TrackedEntry).findOneBy({ entryId });
    if (!entry || (entry.ownerDept !== principal.dept && !isSupervisor(principal)))
      throw new DomainError({
        error: SharedListEntryErrors.NOT_FOUND,
        detail: `list entry ${entryId} is not known to trigger`,
      });
    const rows = await this.db
      .getRepository(MeasureExclusion)
      .find({ where: { entryId: In([entryId]) }, order: { at: 'ASC' } });
    return { items: rows.map(toExclusionView), nextCursor: null };
  }
}
