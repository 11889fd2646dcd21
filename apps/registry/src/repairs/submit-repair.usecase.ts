import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Principal } from '@credit/auth';
import { chinaIsoDate } from '@credit/calendar';
import { ServiceMessaging } from '@credit/messaging';
import { DomainError } from '@credit/platform';
import { recordCommitment } from '../commitments/record-commitment';
import { ListEntry } from '../list-entries/list-entry.entity';
import { ListType } from '../list-types/list-type.entity';
import { earliestRepairDate, repairTermsOf } from '../list-types/repair-terms';
import { REGISTRY_DB, REGISTRY_MESSAGING } from '../registry.tokens';
import { RepairApplication } from './repair-application.entity';
import { answerChecklist } from './repair-checklist';
import { RepairDeadlines } from './repair-deadlines';
import { filerOf } from './repair-party';
import { subjectIdsOf } from './repair.access';
import { SubmitRepairDto } from './repair.dto';
import { repairSubmittedMessage } from './repair.events';
import { OPEN_REPAIR_STATUSES } from './repair.state-machine';
import { toRepairView } from './repair.view';
import { ListEntryErrors } from '../list-entries/list-entry.errors';
import { RepairErrors } from './repair.errors';

/**
 * 信用修复 (decision 0025): the subject, the counter for it, or the owner applies after the earliest
 * repair date with its statement, commitment and checklist; the owner then accepts (or asks for
 * material) and decides within working-day deadlines.
 */
@Injectable()
export class SubmitRepairUseCase {
  constructor(
    @Inject(REGISTRY_DB) private readonly db: DataSource,
    @Inject(REGISTRY_MESSAGING) private readonly messaging: ServiceMessaging,
    private readonly deadlines: RepairDeadlines,
  ) {}

  async execute(principal: Principal, entryId: string, input: SubmitRepairDto, now = new Date()) {
    const view = await this.db.transaction(async (manager) => {
      const entry = await manager.findOne(ListEntry, {
        where: { id: entryId },
        lock: { mode: 'pessimistic_write' },
      });
      if (!entry)
        throw new DomainError({
          error: ListEntryErrors.NOT_FOUND,
          detail: `list entry ${entryId} does not exist`,
        });
      const filer = filerOf(
        principal,
        { ownerDept: entry.ownerDept, subjectIds: subjectIdsOf(entry) },
        input.onBehalfOf,
      );
      const listType = await manager.findOneByOrFail(ListType, { code: entry.listType });
      const terms = repairTermsOf(listType);
      if (listType.colour !== 'black' || !terms.repairable) {
        throw new DomainError({
          error: RepairErrors.NOT_REPAIRABLE,
          detail: `entries of ${listType.code} cannot be repaired early; they end with their period (该名单不适用信用修复)`,
        });
      }
      if (entry.status === 'ended') {
        throw new DomainError({
          error: RepairErrors.ENTRY_ENDED,
          detail: `the entry already ended (${entry.endReason}) (名单已移出)`,
          extra: {
            endReason: entry.endReason,
            endedAt: entry.endedAt?.toISOString(),
          },
        });
      }
      if (entry.status !== 'published') {
        throw new DomainError({
          error: RepairErrors.ENTRY_NOT_IN_FORCE,
          detail: `only an entry in force can be repaired; this one is ${entry.status}`,
          extra: { currentStatus: entry.status },
        });
      }
      const earliest = earliestRepairDate(terms, entry)!;
      if (now.getTime() < earliest.getTime()) {
        throw new DomainError({
          error: RepairErrors.TOO_EARLY,
          detail: `a repair may be applied for from ${chinaIsoDate(earliest)} (${terms.minRepairDays} days after publication) (未满最短公示期)`,
          extra: { earliestRepairDate: earliest.toISOString(), earliestRepairDay: chinaIsoDate(earliest) },
        });
      }
      const open = await manager
        .createQueryBuilder(RepairApplication, 'r')
        .where('r.entry_id = :entryId AND r.status IN (:...open)', { entryId, open: OPEN_REPAIR_STATUSES })
        .getOne();
      if (open) {
        throw new DomainError({
          error: RepairErrors.ALREADY_PENDING,
          detail: 'a repair application for this entry is already open',
          extra: {
            applicationId: open.id,
          },
        });
      }
      const commitment = input.commitment?.text.trim() ?? '';
      if (terms.commitmentRequired && commitment === '') {
        throw new DomainError({
          error: RepairErrors.COMMITMENT_REQUIRED,
          detail: `${listType.code} requires a signed credit commitment (须提交信用承诺书)`,
          field: 'commitment.text',
        });
      }
      const conditions = answerChecklist(terms.conditions, input.conditions);
      const application = await manager.save(
        manager.create(RepairApplication, {
          id: randomUUID(),
          entryId,
          ownerDept: entry.ownerDept,
          listType: entry.listType,
          subjectId: entry.subjectId,
          statement: input.statement,
          commitmentText: commitment === '' ? null : commitment,
          conditions,
          status: 'submitted',
          filedByRole: filer.role,
          filedByDept: filer.dept,
          submittedBy: principal.sub,
          submittedAt: now,
          acceptDeadline: this.deadlines.acceptBy(now, terms.acceptWorkingDays),
          acceptDaysLeft: null,
          materialRequests: [],
          acceptedAt: null,
          acceptedBy: null,
          decideDeadline: null,
          decidedAt: null,
          decidedBy: null,
          decisionReason: null,
          closedAt: null,
          closedBy: null,
          closeReason: null,
        }),
      );
      await this.messaging.outbox.add(manager, [
        repairSubmittedMessage({ application, entry, listType, actorDept: principal.dept || undefined }),
      ]);
      // the signed 信用承诺书 enters the commitment register with the application, in its transaction:
      // a later breach can then be the basis of a new entry (decision 0027)
      if (commitment !== '') {
        await recordCommitment(manager, this.messaging.outbox, {
          subject: { kind: entry.subjectKind, id: entry.subjectId, name: entry.subjectName },
          matter: 'repair',
          text: commitment,
          entryId: entry.id,
          recordedBy: { sub: principal.sub, dept: filer.dept ?? entry.ownerDept, role: filer.role },
          now,
        });
      }
      return toRepairView(application, now);
    });
    return view;
  }
}
