import { recordCommitment } from '../commitments/record-commitment';
import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { Principal } from '@credit/auth';
import { chinaIsoDate, WorkingCalendar } from '@credit/calendar';
import { ServiceMessaging } from '@credit/messaging';
import { DomainError } from '@credit/platform';
import { requestDocuments } from '../documents/document-requests';
import { IssueDocumentsJob } from '../documents/issue-documents.job';
import { endEntry } from '../list-entries/end-entry';
import { loadOwnedEntryForUpdate } from '../list-entries/list-entry.access';
import { ListEntry } from '../list-entries/list-entry.entity';
import { ListType } from '../list-types/list-type.entity';
import { earliestRepairDate, repairTermsOf } from '../list-types/repair-terms';
import { REGISTRY_DB, REGISTRY_MESSAGING } from '../registry.tokens';
import { RepairApplication } from './repair-application.entity';
import { answerChecklist, ConditionInput } from './repair-checklist';
import { RepairDeadlines } from './repair-deadlines';
import {
  DecideRepairDto,
  RequestMaterialDto,
  SubmitRepairDto,
  SupplyMaterialDto,
  WithdrawRepairDto,
} from './repair.dto';
import {
  repairAcceptedMessage,
  repairDecidedMessage,
  repairMaterialRequestedMessage,
  repairMaterialSuppliedMessage,
  repairSubmittedMessage,
  repairWithdrawnMessage,
} from './repair.events';
import { filerOf } from './repair-party';
import { nextRepairStatus, OPEN_REPAIR_STATUSES } from './repair.state-machine';
import { RepairView, toRepairView } from './repair.view';
import { ListEntryErrors } from '../list-entries/list-entry.errors';
import { RepairErrors } from './repair.errors';

const subjectIdsOf = (e: ListEntry) => [e.subjectId, ...e.subjectLegacyIds];

/**
 * 信用修复 (decision 0025): the subject, the counter for it, or the owner applies after the earliest
 * repair date with its statement, commitment and checklist; the owner accepts (or asks for material)
 * and decides within working-day deadlines; an approval ends the entry `repaired`.
 */
@Injectable()
export class RepairUseCases {
  private readonly deadlines: RepairDeadlines;

  constructor(
    @Inject(REGISTRY_DB) private readonly db: DataSource,
    @Inject(REGISTRY_MESSAGING) private readonly messaging: ServiceMessaging,
    private readonly documents: IssueDocumentsJob,
    calendar: WorkingCalendar,
  ) {
    this.deadlines = new RepairDeadlines(calendar);
  }

  async submit(principal: Principal, entryId: string, input: SubmitRepairDto, now = new Date()) {
    return this.afterCommit(
      this.db.transaction(async (manager) => {
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
      }),
    );
  }

  /** 补正: the acceptance clock stops until the applicant supplies what is missing. */
  async requestMaterial(principal: Principal, id: string, input: RequestMaterialDto, now = new Date()) {
    return this.afterCommit(
      this.asOwner(principal, id, async (manager, application, entry, listType) => {
        application.status = nextRepairStatus(application.status, 'request_material');
        application.acceptDaysLeft = this.deadlines.pause(now, application.acceptDeadline!);
        application.acceptDeadline = null;
        application.materialRequests = [
          ...application.materialRequests,
          {
            missing: input.missing,
            note: input.note ?? null,
            requestedAt: now.toISOString(),
            requestedBy: principal.sub,
            suppliedAt: null,
            suppliedBy: null,
            supplied: null,
          },
        ];
        const saved = await manager.save(application);
        await this.messaging.outbox.add(manager, [
          repairMaterialRequestedMessage(
            { application: saved, entry, listType, actorDept: principal.dept },
            input.missing,
            now,
          ),
        ]);
        return toRepairView(saved, now);
      }),
    );
  }

  async supplyMaterial(principal: Principal, id: string, input: SupplyMaterialDto, now = new Date()) {
    return this.afterCommit(
      this.db.transaction(async (manager) => {
        const { application, entry } = await this.load(manager, id);
        filerOf(principal, { ownerDept: entry.ownerDept, subjectIds: subjectIdsOf(entry) }, input.onBehalfOf);
        const listType = await manager.findOneByOrFail(ListType, { code: entry.listType });
        application.status = nextRepairStatus(application.status, 'supply_material');
        if (input.conditions) {
          const answers = new Map<string, ConditionInput>(
            application.conditions.map((c) => [
              c.code,
              { code: c.code, met: c.met, evidence: c.evidence ?? undefined },
            ]),
          );
          for (const c of input.conditions) answers.set(c.code, c);
          application.conditions = answerChecklist(
            application.conditions.map(({ code, text }) => ({ code, text })),
            [...answers.values()],
          );
        }
        application.acceptDeadline = this.deadlines.resume(now, application.acceptDaysLeft ?? 1);
        application.acceptDaysLeft = null;
        const requests = [...application.materialRequests];
        requests[requests.length - 1] = {
          ...requests[requests.length - 1],
          suppliedAt: now.toISOString(),
          suppliedBy: principal.sub,
          supplied: input.material,
        };
        application.materialRequests = requests;
        const saved = await manager.save(application);
        await this.messaging.outbox.add(manager, [
          repairMaterialSuppliedMessage(
            { application: saved, entry, listType, actorDept: principal.dept || undefined },
            now,
          ),
        ]);
        return toRepairView(saved, now);
      }),
    );
  }

  /** 受理: the decision is due within the list type's working days from now. */
  async accept(principal: Principal, id: string, now = new Date()) {
    return this.afterCommit(
      this.asOwner(principal, id, async (manager, application, entry, listType) => {
        application.status = nextRepairStatus(application.status, 'accept');
        const acceptDeadline = application.acceptDeadline!;
        application.acceptedAt = now;
        application.acceptedBy = principal.sub;
        application.decideDeadline = this.deadlines.decideBy(now, repairTermsOf(listType).decideWorkingDays);
        const saved = await manager.save(application);
        await this.messaging.outbox.add(manager, [
          repairAcceptedMessage(
            { application: saved, entry, listType, actorDept: principal.dept },
            acceptDeadline,
          ),
        ]);
        return toRepairView(saved, now);
      }),
    );
  }

  /** An approval ends the entry `repaired` (its lifts fan out); a rejection keeps it, with the reason. */
  async decide(principal: Principal, id: string, input: DecideRepairDto, now = new Date()) {
    return this.afterCommit(
      this.asOwner(principal, id, async (manager, application, entry, listType) => {
        application.status = nextRepairStatus(
          application.status,
          input.outcome === 'approved' ? 'approve' : 'reject',
        );
        application.decidedAt = now;
        application.decidedBy = principal.sub;
        application.decisionReason = input.reason ?? null;
        const saved = await manager.save(application);
        await this.messaging.outbox.add(manager, [
          repairDecidedMessage({ application: saved, entry, listType, actorDept: principal.dept }),
        ]);
        await requestDocuments(manager, entry, ['repair_decision'], now, saved.id);
        // an entry that expired while the application waited has nothing left to end
        if (saved.status === 'approved' && entry.status === 'published') {
          await endEntry(manager, this.messaging.outbox, entry, {
            reason: 'repaired',
            note: `repair application ${saved.id} approved${input.reason ? `: ${input.reason}` : ''} (信用修复)`,
            actorDept: principal.dept,
            now,
          });
        }
        return toRepairView(saved, now);
      }),
    );
  }

  /**
   * 撤回 (decision 0030): the subject, or the counter acting for it, takes back an application not yet
   * decided; it is closed `withdrawn` and none of its deadlines runs any more. A new one may follow.
   */
  async withdraw(principal: Principal, id: string, input: WithdrawRepairDto, now = new Date()) {
    return this.afterCommit(
      this.db.transaction(async (manager) => {
        const { application, entry } = await this.load(manager, id);
        const filer = filerOf(
          principal,
          { ownerDept: entry.ownerDept, subjectIds: subjectIdsOf(entry) },
          input.onBehalfOf,
        );
        const listType = await manager.findOneByOrFail(ListType, { code: entry.listType });
        application.status = nextRepairStatus(application.status, 'withdraw');
        application.closedAt = now;
        application.closedBy = principal.sub;
        application.closeReason = input.reason ?? null;
        if (application.acceptDaysLeft !== null) application.acceptDaysLeft = null; // paused: nothing to resume
        const saved = await manager.save(application);
        await this.messaging.outbox.add(manager, [
          repairWithdrawnMessage(
            { application: saved, entry, listType, actorDept: filer.dept ?? undefined },
            filer,
          ),
        ]);
        return toRepairView(saved, now);
      }),
    );
  }

  /** An application and its entry, both locked (the entry first, as every change of an entry does). */
  private async load(manager: EntityManager, id: string, principal?: Principal) {
    const found = await manager.findOneBy(RepairApplication, { id });
    if (!found)
      throw new DomainError({
        error: RepairErrors.NOT_FOUND,
        detail: `repair application ${id} does not exist`,
      });
    const entry = principal
      ? await loadOwnedEntryForUpdate(manager, found.entryId, principal)
      : await manager.findOneOrFail(ListEntry, {
          where: { id: found.entryId },
          lock: { mode: 'pessimistic_write' },
        });
    const application = await manager.findOneOrFail(RepairApplication, {
      where: { id },
      lock: { mode: 'pessimistic_write' },
    });
    return { application, entry };
  }

  private asOwner(
    principal: Principal,
    id: string,
    change: (
      manager: EntityManager,
      application: RepairApplication,
      entry: ListEntry,
      listType: ListType,
    ) => Promise<RepairView>,
  ): Promise<RepairView> {
    return this.db.transaction(async (manager) => {
      const { application, entry } = await this.load(manager, id, principal);
      const listType = await manager.findOneByOrFail(ListType, { code: entry.listType });
      return change(manager, application, entry, listType);
    });
  }

  private async afterCommit<T>(work: Promise<T>): Promise<T> {
    const result = await work;
    this.messaging.relay.wake();
    this.documents.wake();
    return result;
  }
}
