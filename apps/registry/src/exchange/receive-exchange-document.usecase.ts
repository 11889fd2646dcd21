import { createHash, randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { Counter } from 'prom-client';
import { DataSource, EntityManager } from 'typeorm';
import { Principal } from '@credit/auth';
import { chinaIsoDate } from '@credit/calendar';
import { ServiceMessaging } from '@credit/messaging';
import { DomainError, metricsRegistry } from '@credit/platform';
import { endEntry } from '../list-entries/end-entry';
import { ListEntry } from '../list-entries/list-entry.entity';
import { publishEntry } from '../list-entries/publish-entry';
import { ListType } from '../list-types/list-type.entity';
import { REGISTRY_DB, REGISTRY_MESSAGING } from '../registry.tokens';
import { SubjectRegistry } from '../subjects/subject-registry';
import { canonicalJson } from './canonical-json';
import { ExchangeDocument, schemaViolations } from './exchange-document';
import { decidingAgreement, inboundStep, ReceivedState } from './exchange-rules';
import { ed25519PublicKey, ExchangeEnvelope, verifyDocument } from './exchange-signature';
import {
  claimInbound,
  inboundAgreements,
  insertOrigin,
  Partner,
  partnerByKey,
  receivedEntryForUpdate,
  recordInboundOutcome,
  regionsOfDept,
  setOriginVersion,
} from './exchange.store';
import { ExchangeErrors } from './exchange.errors';

const documents = new Counter({
  name: 'credit_exchange_refused_total',
  help: 'Inbound exchange documents refused (nothing stored), by problem code',
  labelNames: ['code'],
  registers: [metricsRegistry],
});

export interface InboundAnswer {
  status: 200 | 201;
  body: Record<string, unknown>;
}

/**
 * 区域联合奖惩, inbound (decision 0035): a partner platform's signed document is checked — the caller is a
 * registered partner, the envelope conforms to the schema, the key is known and active and the caller's,
 * the signature verifies, the origin is the key's region — then, in one transaction, a publication
 * recognised by an agreement in effect becomes an entry in force here (its fan-out limited to the agreed
 * measures) and a withdrawal ends it. A refusal stores nothing; a replay answers what the first did.
 */
@Injectable()
export class ReceiveExchangeDocumentUseCase {
  constructor(
    @Inject(REGISTRY_DB) private readonly db: DataSource,
    @Inject(REGISTRY_MESSAGING) private readonly messaging: ServiceMessaging,
    private readonly subjects: SubjectRegistry,
  ) {}

  async execute(principal: Principal, envelope: unknown): Promise<InboundAnswer> {
    try {
      return await this.receive(principal, envelope);
    } catch (err) {
      documents.inc({ code: err instanceof DomainError ? err.code : 'INTERNAL' });
      throw err;
    }
  }

  private async receive(principal: Principal, envelope: unknown): Promise<InboundAnswer> {
    if ((await regionsOfDept(this.db, principal.dept)).length === 0) {
      throw new DomainError({
        error: ExchangeErrors.NOT_A_PARTNER,
        detail: `department ${principal.dept} is not the platform of a registered partner region`,
      });
    }
    const violations = schemaViolations(envelope);
    if (violations.length > 0) {
      throw new DomainError({
        error: ExchangeErrors.SCHEMA,
        detail: `the document does not conform to credit-exchange/1 (docs/exchange/entry-exchange.schema.json): ${violations
          .map((v) => v.field)
          .join(', ')}`,
        extra: { errors: violations },
      });
    }
    const { document, signature } = envelope as ExchangeEnvelope<ExchangeDocument>;
    const partner = await partnerByKey(this.db, signature.keyId);
    if (!partner || !partner.active) {
      throw new DomainError({
        error: ExchangeErrors.UNKNOWN_KEY,
        detail: `no active partner key ${signature.keyId} is registered`,
        field: 'signature.keyId',
      });
    }
    if (partner.dept !== principal.dept) {
      throw new DomainError({
        error: ExchangeErrors.KEY_OF_ANOTHER_PARTNER,
        detail: `key ${signature.keyId} belongs to another partner platform than ${principal.dept}`,
      });
    }
    const publicKey = ed25519PublicKey(partner.publicKey);
    if (!publicKey || !verifyDocument(document, signature.value, publicKey)) {
      throw new DomainError({
        error: ExchangeErrors.BAD_SIGNATURE,
        detail: `the signature does not verify with key ${signature.keyId} over the document's canonical JSON`,
        field: 'signature.value',
      });
    }
    if (document.origin.region !== partner.region) {
      throw new DomainError({
        error: ExchangeErrors.ORIGIN_MISMATCH,
        detail: `key ${signature.keyId} signs for region ${partner.region}, not ${document.origin.region}`,
        field: 'document.origin.region',
      });
    }
    const allowList = await this.subjects.loadAllowList();
    const digest = createHash('sha256').update(canonicalJson(document)).digest('hex');
    const now = new Date();
    return this.db.transaction(async (manager) => {
      const key = {
        region: document.origin.region,
        originalId: document.origin.entryId,
        version: document.version,
      };
      const earlier = await claimInbound(
        manager,
        {
          ...key,
          kind: document.kind,
          digest,
          keyId: signature.keyId,
          signature: signature.value,
          document,
          by: principal.sub,
        },
        now,
      );
      if (earlier) {
        if (earlier.digest !== digest) {
          throw new DomainError({
            error: ExchangeErrors.VERSION_CONFLICT,
            detail: `version ${document.version} of ${document.origin.entryId} was received with other content`,
          });
        }
        return { status: 200, body: { ...earlier.outcome, replay: true } };
      }
      const received = await receivedEntryForUpdate(manager, key.region, key.originalId);
      const state: ReceivedState = !received
        ? 'unknown'
        : received.status === 'published'
          ? 'in_force'
          : 'ended';
      const origin = {
        region: partner.region,
        platform: partner.platform,
        originalId: document.origin.entryId,
      };
      let answer: InboundAnswer;
      switch (inboundStep(state, document.kind)) {
        case 'register':
          answer = await this.register(manager, principal, partner, document, allowList, now);
          break;
        case 'withdraw': {
          const entry = await manager.findOneByOrFail(ListEntry, { id: received!.entryId });
          await endEntry(manager, this.messaging.outbox, entry, {
            reason: 'withdrawn_by_origin',
            note: `withdrawn by ${partner.platform} (${partner.region}): ${document.reason} (来源地区撤销)`,
            actorDept: principal.dept,
            now,
          });
          await setOriginVersion(manager, entry.id, document.version);
          answer = {
            status: 200,
            body: { status: 'withdrawn', entryId: entry.id, origin, version: document.version },
          };
          break;
        }
        case 'note_only':
          answer = {
            status: 200,
            body: { status: 'already_ended', entryId: received!.entryId, origin, version: document.version },
          };
          break;
      }
      await recordInboundOutcome(manager, key, answer.body.entryId as string, answer.body);
      return answer;
    });
  }

  /** A recognised publication: an entry of our list type, owned by the partner's platform, in force. */
  private async register(
    manager: EntityManager,
    principal: Principal,
    partner: Partner,
    document: ExchangeDocument,
    allowList: ReadonlySet<string>,
    now: Date,
  ): Promise<InboundAnswer> {
    const agreement = decidingAgreement(
      await inboundAgreements(manager, partner.region, document.listType.code),
      chinaIsoDate(now),
    );
    if (!agreement) {
      throw new DomainError({
        error: ExchangeErrors.NO_AGREEMENT,
        detail: `no recognition agreement with region ${partner.region} is in effect for its list type ${document.listType.code}`,
        field: 'document.listType.code',
      });
    }
    const listType = await manager.findOneByOrFail(ListType, { code: agreement.ourListType });
    if (document.listType.colour && document.listType.colour !== listType.colour) {
      throw new DomainError({
        error: ExchangeErrors.COLOUR_MISMATCH,
        detail: `the origin's list is ${document.listType.colour}; ${listType.code} is ${listType.colour}`,
        field: 'document.listType.colour',
      });
    }
    if (!listType.subjectKinds.includes(document.subject.kind)) {
      throw new DomainError({
        error: ExchangeErrors.SUBJECT_KIND_NOT_ALLOWED,
        detail: `list type ${listType.code} does not take subjects of kind ${document.subject.kind}`,
        field: 'document.subject.kind',
      });
    }
    const subjectId = this.subjects.validate(
      document.subject.kind,
      document.subject.id,
      'document.subject.id',
      allowList,
    );
    const decision = document.decision!;
    const period = { from: new Date(document.period!.from), to: new Date(document.period!.to) };
    if (period.to <= period.from) {
      throw new DomainError({
        error: ExchangeErrors.PERIOD_INVALID,
        detail: 'period.to must be after period.from',
        field: 'document.period.to',
      });
    }
    const id = randomUUID();
    await this.subjects.upsert(
      manager,
      { kind: document.subject.kind, identifier: subjectId, name: document.subject.name!, legacyIds: [] },
      id,
    );
    const entry = await manager.save(
      manager.create(ListEntry, {
        id,
        listType: listType.code,
        ownerDept: principal.dept,
        subjectKind: document.subject.kind,
        subjectId: subjectId.value,
        subjectName: document.subject.name!,
        subjectLegacyIds: [...subjectId.legacyIds],
        relatedPersons: [],
        basisCommitmentId: null,
        decisionDocumentNo: decision.documentNo,
        decisionDate: decision.date,
        decisionFacts: decision.facts,
        decisionAmount: null,
        decisionViolationKind: null,
        periodFrom: period.from,
        periodTo: period.to,
        openEnded: false,
        // the origin decided the period, notified the subject and heard its statement
        periodReason: `period decided by ${partner.platform} (${partner.region}) (来源地区认定)`,
        extensions: 0,
        status: 'noticed',
        noticedAt: now,
        noticeChannel: null,
        noticeNote: `received from ${partner.platform} (${partner.region}), entry ${document.origin.entryId}`,
        noticeReasons: null,
        noticeLegalBasis: null,
        noticeRights: null,
        objectionOpen: false,
        statementDeadline: null,
        publishedAt: null,
        endedAt: null,
        endReason: null,
        endNote: null,
        createdBy: principal.sub,
      }),
    );
    const origin = {
      region: partner.region,
      platform: partner.platform,
      originalId: document.origin.entryId,
    };
    await insertOrigin(
      manager,
      {
        entryId: id,
        ...origin,
        version: document.version,
        agreementId: agreement.id,
        measures: agreement.measures,
      },
      now,
    );
    await publishEntry(manager, this.messaging.outbox, entry, listType, principal.dept, now, {
      origin,
      recognisedMeasures: agreement.measures,
    });
    return {
      status: 201,
      body: {
        status: 'recognised',
        entryId: id,
        listType: listType.code,
        measures: agreement.measures,
        agreementId: agreement.id,
        origin,
        version: document.version,
      },
    };
  }
}
