import { Inject, Injectable } from '@nestjs/common';
import { DataSource, In } from 'typeorm';
import { isSupervisor, Principal } from '@credit/auth';
import { EventTypes, MeasureExcludedV1, Topics } from '@credit/contracts';
import { createCloudEvent, ServiceMessaging } from '@credit/messaging';
import { DomainError, SharedListEntryErrors } from '@credit/platform';
import { Assignment } from '../assignments/assignment.entity';
import { TrackedEntry } from '../assignments/tracked-entry.entity';
import { AssignmentIssuer } from '../fan-out/assignment-issuer';
import { toMemorandumView } from '../memoranda/catalog.service';
import { EffectivePeriodDto, ExcludeMeasureDto } from '../memoranda/memorandum.dto';
import { Measure } from '../memoranda/measure.entity';
import { Memorandum } from '../memoranda/memorandum.entity';
import { RescreenService } from '../rescreen/rescreen.service';
import { TRIGGER_DB, TRIGGER_MESSAGING, TRIGGER_SOURCE } from '../trigger.tokens';
import { legalityFindings } from './legal-basis';
import { MeasureExclusion } from './measure-exclusion.entity';
import { MemorandumWindowService } from './memorandum-window.service';
import { MemorandumErrors } from '../memoranda/memorandum.errors';
import { MeasureErrors } from '../memoranda/measure.errors';

const BINDING = ['issued', 'acknowledged', 'enforced', 'suspended'];

/** Lawful measures (decision 0031): the legality report, memoranda's effective periods, exclusions. */
@Injectable()
export class LawfulMeasuresService {
  constructor(
    @Inject(TRIGGER_DB) private readonly db: DataSource,
    @Inject(TRIGGER_MESSAGING) private readonly messaging: ServiceMessaging,
    private readonly issuer: AssignmentIssuer,
    private readonly window: MemorandumWindowService,
    private readonly rescreen: RescreenService,
  ) {}

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

  /**
   * An admin changes a memorandum's effective period (a revision, an extension, a repeal): it takes
   * effect at once — leaving the window lifts what it issued, entering it issues (decision 0031).
   */
  async setEffectivePeriod(principal: Principal, code: string, body: EffectivePeriodDto) {
    if (body.effectiveTo !== undefined && body.effectiveTo < body.effectiveFrom) {
      throw new DomainError({
        error: MemorandumErrors.PERIOD_REVERSED,
        detail: `effectiveTo ${body.effectiveTo} is before effectiveFrom ${body.effectiveFrom}`,
        field: 'effectiveTo',
      });
    }
    const result = await this.db.transaction(async (manager) => {
      const memorandum = await manager.findOne(Memorandum, {
        where: { code },
        lock: { mode: 'pessimistic_write' },
      });
      if (!memorandum)
        throw new DomainError({
          error: MemorandumErrors.NOT_FOUND,
          detail: `memorandum ${code} does not exist`,
        });
      memorandum.effectiveFrom = body.effectiveFrom;
      memorandum.effectiveTo = body.effectiveTo ?? null;
      await manager.save(memorandum);
      const moved = await this.window.settle(
        manager,
        memorandum,
        new Date(),
        `${principal.dept}/${principal.sub}: ${body.reason}`,
      );
      const measures = await manager.findBy(Measure, { memorandumCode: code, current: true });
      return {
        ...toMemorandumView(memorandum, measures),
        windowAction: moved?.action ?? 'none',
        rescreenJobId: moved?.jobId ?? null,
      };
    });
    this.rescreen.wake();
    return result;
  }

  /**
   * 过惩相当: the owner of an entry records that it does not take one measure, and why. What the measure
   * issued on the entry is lifted (the departments confirm the lift as for any other), it is not issued
   * again (a re-screening, a corrected period), and the trail records the exclusion.
   */
  async exclude(principal: Principal, entryId: string, body: ExcludeMeasureDto) {
    return this.db.transaction(async (manager) => {
      const entry = await manager.findOne(TrackedEntry, {
        where: { entryId },
        lock: { mode: 'pessimistic_write' },
      });
      if (!entry || (entry.ownerDept !== principal.dept && !isSupervisor(principal))) {
        if (entry && entry.infoClass === 'A')
          throw new DomainError({
            error: SharedListEntryErrors.NOT_OWNER,
            detail: `only ${entry.ownerDept} may exclude measures from its entries`,
          });
        throw new DomainError({
          error: SharedListEntryErrors.NOT_FOUND,
          detail: `list entry ${entryId} is not known to trigger`,
        });
      }
      const measure = await manager.findOneBy(Measure, { code: body.measureCode, current: true });
      if (!measure || !measure.listTypes.includes(entry.listType)) {
        throw new DomainError({
          error: MeasureErrors.NOT_FOR_ENTRY,
          detail: `measure ${body.measureCode} is not a measure of list type ${entry.listType}`,
          field: 'measureCode',
        });
      }
      const exists = await manager.findOneBy(MeasureExclusion, { entryId, measureCode: measure.code });
      if (exists) return { ...toExclusionView(exists), lifted: 0, alreadyExcluded: true };
      const at = new Date();
      const exclusion = await manager.save(
        manager.create(MeasureExclusion, {
          entryId,
          measureCode: measure.code,
          reason: body.reason,
          bySub: principal.sub,
          byDept: principal.dept ?? '',
          at,
        }),
      );
      const data: MeasureExcludedV1 = {
        entryId,
        measureCode: measure.code,
        dept: measure.dept,
        ownerDept: entry.ownerDept,
        reason: body.reason,
        by: `${principal.dept}/${principal.sub}`,
        at: at.toISOString(),
      };
      await this.messaging.outbox.add(manager, [
        {
          topic: Topics.assignments,
          key: entry.subjectId,
          event: createCloudEvent({
            type: EventTypes.measureExcluded,
            source: TRIGGER_SOURCE,
            subject: entryId,
            actorDept: principal.dept,
            data,
            time: at,
          }),
        },
      ]);
      const binding = await manager
        .createQueryBuilder(Assignment, 'a')
        .setLock('pessimistic_write')
        .where('a.entry_id = :entryId', { entryId })
        .andWhere('a.measure_code = :code', { code: measure.code })
        .andWhere('a.status IN (:...statuses)', { statuses: BINDING })
        .getMany();
      const lifted = await this.issuer.lift(
        manager,
        binding,
        `measure ${measure.code} excluded by ${entry.ownerDept} (过惩相当): ${body.reason}`,
        { actorDept: principal.dept, at },
      );
      return { ...toExclusionView(exclusion), lifted, alreadyExcluded: false };
    });
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

export function toExclusionView(x: MeasureExclusion) {
  return {
    entryId: x.entryId,
    measureCode: x.measureCode,
    reason: x.reason,
    by: `${x.byDept}/${x.bySub}`,
    at: x.at.toISOString(),
  };
}
