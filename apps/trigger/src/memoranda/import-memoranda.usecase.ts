import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Principal } from '@credit/auth';
import { DomainError } from '@credit/platform';
import { legalityFindings } from '../lawful/legal-basis';
import { ListTypeAccess } from '../list-types/list-type-access';
import { RescreenEntriesJob } from '../rescreen/rescreen-entries.job';
import { TRIGGER_DB } from '../trigger.tokens';
import { basesOf, insertMemorandum, memorandumColour } from './catalog';
import { CreateMemorandumDto } from './memorandum.dto';
import { CatalogImportErrors } from './catalog-import.errors';
import { readCatalogWorkbook } from './catalog-workbook';

/** What an import brings: memoranda already validated (JSON), or a 措施清单 workbook still to be read. */
export type MemorandaImport = { memoranda: CreateMemorandumDto[] } | { workbook: Buffer };

/**
 * Imports many memoranda at once: all or nothing. Every measure is judged first (decision 0031): if any
 * breaks a rule (a blocking punishment on a memorandum only, a mode or colour that does not fit its
 * kind), nothing is loaded and the answer names each one; otherwise the answer carries the legality
 * report of what was loaded (punishments resting on a memorandum only).
 */
@Injectable()
export class ImportMemorandaUseCase {
  constructor(
    @Inject(TRIGGER_DB) private readonly db: DataSource,
    private readonly rescreen: RescreenEntriesJob,
    private readonly listTypes: ListTypeAccess,
  ) {}

  async execute(principal: Principal, input: MemorandaImport) {
    // a workbook's rows are checked as they are read (catalog-workbook.ts), naming row and column
    const bodies = 'workbook' in input ? await readCatalogWorkbook(input.workbook) : input.memoranda;
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
          created.push(
            await insertMemorandum(
              manager,
              { rescreen: this.rescreen, listTypes: this.listTypes },
              principal,
              body,
            ),
          );
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
}
