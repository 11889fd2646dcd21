import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { Principal } from '@credit/auth';
import { Colour } from '@credit/contracts';
import { DomainError } from '@credit/platform';
import { windowStateAt } from '../lawful/effective-window';
import {
  COLOUR_FOR_KIND,
  legalBasisText,
  LegalInstrument,
  legalityFindings,
  parseLegalBasis,
} from '../lawful/legal-basis';
import { ListTypeAccess } from '../list-types/list-type-access';
import { RescreenEntriesJob, toRescreenView } from '../rescreen/rescreen-entries.job';
import { CreateMemorandumDto, MeasureDto } from './memorandum.dto';
import { Measure } from './measure.entity';
import { Memorandum } from './memorandum.entity';
import { toMemorandumView } from './memorandum.view';
import { MemorandumErrors } from './memorandum.errors';
import { legalityError, MeasureErrors } from './measure.errors';

/*
 * The measure catalog's steps (措施清单), shared by its use cases and run in their transaction: a new
 * memorandum, a measure's colour and code checks, a new measure version, and the rules of lawful measures.
 */

/** A new memorandum and its measures, in the caller's transaction; a re-screening issues what they add. */
export async function insertMemorandum(
  manager: EntityManager,
  deps: { rescreen: RescreenEntriesJob; listTypes: ListTypeAccess },
  principal: Principal,
  body: CreateMemorandumDto,
) {
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
  await assertCodesFree(manager, codes);
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
  const measures = await manager.save(body.measures.map((m) => newMeasure(manager, memorandum, m, 1)));
  const job = await deps.rescreen.enqueue(
    manager,
    'issue',
    measures,
    `memorandum ${memorandum.code} added`,
    principal.sub,
  );
  await deps.listTypes.announceImplementers(manager, memorandum.listTypes);
  return { ...toMemorandumView(memorandum, measures), rescreenJob: toRescreenView(job) };
}

/** A memorandum's colour: as declared, or from the kind of the measures it has. */
export async function colourOf(manager: EntityManager, memorandum: Memorandum): Promise<Colour | undefined> {
  if (memorandum.colour) return memorandum.colour;
  const one = await manager.findOneBy(Measure, { memorandumCode: memorandum.code, current: true });
  return one ? COLOUR_FOR_KIND[one.kind] : undefined;
}

export async function assertCodesFree(manager: EntityManager, codes: string[]) {
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

export function newMeasure(manager: EntityManager, memorandum: Memorandum, m: MeasureDto, version: number) {
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
export function assertLawful(
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
