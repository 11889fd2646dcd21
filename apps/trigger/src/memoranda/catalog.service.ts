import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { Principal } from '@credit/auth';
import { Colour } from '@credit/contracts';
import { DomainError } from '@credit/platform';
import { ListTypeAccess } from '../list-types/list-type-access';
import { windowStateAt } from '../lawful/effective-window';
import {
  COLOUR_FOR_KIND,
  legalBasisText,
  LegalInstrument,
  legalityFindings,
  parseLegalBasis,
} from '../lawful/legal-basis';
import { RescreenService, toRescreenView } from '../rescreen/rescreen.service';
import { TRIGGER_DB } from '../trigger.tokens';
import { ChangeMeasureDto, CreateMemorandumDto, MeasureDto, RetireMeasureDto } from './memorandum.dto';
import { Measure } from './measure.entity';
import { Memorandum } from './memorandum.entity';
import { CatalogImportErrors } from './catalog-import.errors';
import { MemorandumErrors } from './memorandum.errors';
import { legalityError, MeasureErrors } from './measure.errors';

export function toMeasureView(x: Measure) {
  return {
    code: x.code,
    version: x.version,
    memorandumCode: x.memorandumCode,
    text: x.text,
    kind: x.kind,
    dept: x.dept,
    legalBasis: x.legalBasis,
    legalBases: x.legalBases,
    minSeverity: x.minSeverity,
    conditions: x.conditions,
    listTypes: x.listTypes,
    subjectKinds: x.subjectKinds,
    relatedRoles: x.relatedRoles,
    actions: x.actions,
    mode: x.mode,
    feedbackWorkingDays: x.feedbackWorkingDays,
    current: x.current,
    retiredAt: x.retiredAt?.toISOString() ?? null,
  };
}

export function toMemorandumView(m: Memorandum, measures: Measure[]) {
  return {
    code: m.code,
    title: m.title,
    documentNo: m.documentNo,
    listTypes: m.listTypes,
    signatories: m.signatories,
    effectiveFrom: m.effectiveFrom,
    effectiveTo: m.effectiveTo,
    colour: m.colour,
    windowState: m.windowState,
    createdAt: m.createdAt.toISOString(),
    measures: measures.map(toMeasureView),
  };
}

/**
 * The measure catalog (措施清单): memoranda and their versioned measures. Adding a measure reaches the
 * entries already in force, retiring one lets go of them — both through a background re-screening job.
 */
@Injectable()
export class CatalogService {
  constructor(
    @Inject(TRIGGER_DB) private readonly db: DataSource,
    private readonly rescreen: RescreenService,
    private readonly listTypes: ListTypeAccess,
  ) {}

  async createMemorandum(principal: Principal, body: CreateMemorandumDto) {
    const result = await this.db.transaction((manager) => this.create(manager, principal, body));
    this.rescreen.wake();
    return result;
  }

  /**
   * Imports many memoranda at once: all or nothing. Every measure is judged first (decision 0031): if any
   * breaks a rule (a blocking punishment on a memorandum only, a mode or colour that does not fit its
   * kind), nothing is loaded and the answer names each one; otherwise the answer carries the legality
   * report of what was loaded (punishments resting on a memorandum only).
   */
  async importMemoranda(principal: Principal, bodies: CreateMemorandumDto[]) {
    const report = bodies.flatMap((body, i) =>
      body.measures.flatMap((m, j) => {
        const findings = legalityFindings({
          kind: m.kind,
          mode: m.mode,
          legalBases: basesOf(m),
          colours: [memorandumColour(body)],
        });
        return findings.map((f) => ({
          memorandumCode: body.code,
          measureCode: m.code,
          field: `[${i}].measures[${j}]`,
          ...f,
        }));
      }),
    );
    const errors = report.filter((f) => f.severity === 'error');
    if (errors.length > 0) {
      throw new DomainError({
        error: CatalogImportErrors.ILLEGAL_MEASURES,
        detail: `${errors.length} measures break the rules of lawful measures; nothing was imported`,
        extra: { errors: errors.map(({ field, code, message }) => ({ field, code, message })), report },
      });
    }
    const result = await this.db.transaction(async (manager) => {
      const created = [];
      for (const [i, body] of bodies.entries()) {
        try {
          created.push(await this.create(manager, principal, body));
        } catch (err) {
          if (!(err instanceof DomainError)) throw err;
          throw new DomainError({
            error: err.error,
            detail: `[${i}] ${body.code}: ${err.message}`,
            field: `[${i}]${err.field ? `.${err.field}` : ''}`,
          });
        }
      }
      return created;
    });
    this.rescreen.wake();
    return {
      items: result,
      nextCursor: null,
      legality: report.map(({ memorandumCode, measureCode, code, severity, message }) => ({
        memorandumCode,
        measureCode,
        code,
        severity,
        message,
      })),
    };
  }

  private async create(manager: EntityManager, principal: Principal, body: CreateMemorandumDto) {
    const codes = body.measures.map((m) => m.code);
    const repeated = codes.find((c, i) => codes.indexOf(c) !== i);
    if (repeated) {
      throw new DomainError({
        error: MemorandumErrors.DUPLICATE_MEASURE,
        detail: `measure ${repeated} appears twice`,
        field: 'measures',
      });
    }
    if (await manager.existsBy(Memorandum, { code: body.code })) {
      throw new DomainError({
        error: MemorandumErrors.ALREADY_EXISTS,
        detail: `memorandum ${body.code} already exists`,
      });
    }
    await this.assertCodesFree(manager, codes);
    const colour = memorandumColour(body);
    for (const [i, m] of body.measures.entries()) assertLawful(m, colour, `measures[${i}]`);
    const windowState = windowStateAt(
      { effectiveFrom: body.effectiveFrom ?? null, effectiveTo: body.effectiveTo ?? null },
      new Date(),
    );
    const memorandum = await manager.save(
      manager.create(Memorandum, {
        code: body.code,
        title: body.title,
        documentNo: body.documentNo,
        listTypes: body.listTypes,
        signatories: body.signatories ?? [...new Set(body.measures.map((m) => m.dept))].sort(),
        effectiveFrom: body.effectiveFrom ?? null,
        effectiveTo: body.effectiveTo ?? null,
        colour,
        windowState,
        windowChangedAt: new Date(),
      }),
    );
    const measures = await manager.save(body.measures.map((m) => this.newMeasure(manager, memorandum, m, 1)));
    const job = await this.rescreen.enqueue(
      manager,
      'issue',
      measures,
      `memorandum ${memorandum.code} added`,
      principal.sub,
    );
    await this.listTypes.announceImplementers(manager, memorandum.listTypes);
    return { ...toMemorandumView(memorandum, measures), rescreenJob: toRescreenView(job) };
  }

  async addMeasure(principal: Principal, memorandumCode: string, body: MeasureDto) {
    const result = await this.db.transaction(async (manager) => {
      const memorandum = await manager.findOneBy(Memorandum, { code: memorandumCode });
      if (!memorandum)
        throw new DomainError({
          error: MemorandumErrors.NOT_FOUND,
          detail: `memorandum ${memorandumCode} does not exist`,
        });
      await this.assertCodesFree(manager, [body.code]);
      assertLawful(body, await this.colourOf(manager, memorandum));
      const measure = await manager.save(this.newMeasure(manager, memorandum, body, 1));
      const job = await this.rescreen.enqueue(
        manager,
        'issue',
        [measure],
        `measure ${measure.code} added`,
        principal.sub,
      );
      await this.listTypes.announceImplementers(manager, memorandum.listTypes);
      return { ...toMeasureView(measure), rescreenJob: toRescreenView(job) };
    });
    this.rescreen.wake();
    return result;
  }

  /**
   * A new version of a measure. Assignments already issued keep the version they were issued under;
   * new ones carry this one.
   */
  async changeMeasure(code: string, body: ChangeMeasureDto) {
    return this.db.transaction(async (manager) => {
      const current = await manager.findOne(Measure, {
        where: { code, current: true },
        lock: { mode: 'pessimistic_write' },
      });
      if (!current)
        throw new DomainError({
          error: MeasureErrors.NOT_FOUND,
          detail: `measure ${code} does not exist or is retired`,
        });
      const memorandum = await manager.findOneByOrFail(Memorandum, { code: current.memorandumCode });
      assertLawful(body, await this.colourOf(manager, memorandum));
      current.current = false;
      await manager.save(current);
      const next = await manager.save(
        this.newMeasure(manager, memorandum, { ...body, code }, current.version + 1),
      );
      if (next.dept !== current.dept) await this.listTypes.announceImplementers(manager, next.listTypes);
      return toMeasureView(next);
    });
  }

  async retireMeasure(principal: Principal, code: string, body: RetireMeasureDto) {
    const result = await this.db.transaction(async (manager) => {
      const current = await manager.findOne(Measure, {
        where: { code, current: true },
        lock: { mode: 'pessimistic_write' },
      });
      if (!current)
        throw new DomainError({
          error: MeasureErrors.NOT_FOUND,
          detail: `measure ${code} does not exist or is already retired`,
        });
      current.current = false;
      current.retiredAt = new Date();
      await manager.save(current);
      const versions = await manager.findBy(Measure, { code });
      const job = await this.rescreen.enqueue(
        manager,
        'lift',
        versions,
        `measure ${code} retired: ${body.reason}`,
        principal.sub,
      );
      await this.listTypes.announceImplementers(manager, current.listTypes);
      return { ...toMeasureView(current), rescreenJob: toRescreenView(job) };
    });
    this.rescreen.wake();
    return result;
  }

  /** A memorandum's colour: as declared, or from the kind of the measures it has. */
  private async colourOf(manager: EntityManager, memorandum: Memorandum): Promise<Colour | undefined> {
    if (memorandum.colour) return memorandum.colour;
    const one = await manager.findOneBy(Measure, { memorandumCode: memorandum.code, current: true });
    return one ? COLOUR_FOR_KIND[one.kind] : undefined;
  }

  private async assertCodesFree(manager: EntityManager, codes: string[]) {
    const taken = await manager
      .createQueryBuilder(Measure, 'm')
      .where('m.code IN (:...codes)', { codes })
      .getMany();
    if (taken.length > 0) {
      throw new DomainError({
        error: MeasureErrors.ALREADY_EXISTS,
        detail: `measure codes already used: ${[...new Set(taken.map((m) => m.code))].join(', ')}`,
      });
    }
  }

  private newMeasure(manager: EntityManager, memorandum: Memorandum, m: MeasureDto, version: number) {
    return manager.create(Measure, {
      id: randomUUID(),
      memorandumCode: memorandum.code,
      code: m.code,
      version,
      text: m.text,
      kind: m.kind,
      dept: m.dept,
      legalBasis: m.legalBasis ?? legalBasisText(m.legalBases ?? []),
      legalBases: basesOf(m),
      minSeverity: m.minSeverity ?? null,
      conditions: m.conditions ? { ...m.conditions } : null,
      listTypes: memorandum.listTypes,
      subjectKinds: m.subjectKinds,
      relatedRoles: m.relatedRoles ?? [],
      actions: m.actions,
      mode: m.mode,
      feedbackWorkingDays: m.feedbackWorkingDays,
      current: true,
      retiredAt: null,
    });
  }
}

/** A measure's instruments: as given, or read from its text (a title not recognised is a memorandum's). */
export function basesOf(m: Pick<MeasureDto, 'legalBasis' | 'legalBases'>): LegalInstrument[] {
  if (m.legalBases) {
    return m.legalBases.map((b) => ({
      level: b.level,
      title: b.title,
      ...(b.article ? { article: b.article } : {}),
      ...(b.basicListItem ? { basicListItem: b.basicListItem } : {}),
    }));
  }
  return parseLegalBasis(m.legalBasis ?? '');
}

/** The colour a new memorandum acts on: as declared, or black for punishments and red for incentives. */
export function memorandumColour(body: Pick<CreateMemorandumDto, 'colour' | 'measures'>): Colour {
  return body.colour ?? COLOUR_FOR_KIND[body.measures[0].kind];
}

/** Refuses (422, the rule's code) a measure that breaks a rule of lawful measures (decision 0031). */
function assertLawful(
  m: Pick<MeasureDto, 'kind' | 'mode' | 'legalBasis' | 'legalBases'>,
  colour: Colour | undefined,
  field?: string,
): void {
  const error = legalityFindings({
    kind: m.kind,
    mode: m.mode,
    legalBases: basesOf(m),
    colours: colour ? [colour] : [],
  }).find((f) => f.severity === 'error');
  if (error) throw new DomainError({ error: legalityError(error.code), detail: error.message, field });
}
