import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DepartmentDirectory } from '@credit/auth';
import { Role } from '@credit/contracts';
import { Department } from '../departments/department.entity';
import { REGISTRY_DB } from '../registry.tokens';

/** A party the sign-in page offers as a subject identity: a listed subject or one of its related persons. */
export interface SubjectIdentity {
  id: string;
  name: string;
  kind: string;
  /** for a related person: its role, and the subject it is related to */
  role?: string;
  of?: string;
}

const OFFERED: Role[] = ['supervisor', 'admin', 'credit_office', 'initiator', 'implementer', 'system'];

/**
 * The roles a department may be signed in as: those the token verifier's directory lets it hold
 * (supervisor and credit_office only for a supervising department, AUTH_DEPARTMENT_ROLES, the bootstrap
 * department's all); admin only for a supervising department, as in the demo.
 */
export function rolesOf(
  directory: DepartmentDirectory,
  department: { code: string; supervising: boolean },
): Role[] {
  const supervising = !directory.refusal(department.code, ['supervisor']);
  return OFFERED.filter(
    (role) =>
      !directory.refusal(department.code, [role]) &&
      (role !== 'admin' || supervising || department.supervising),
  );
}

/** How many subject identities the page offers (the earliest listed first: the demo's own). */
const SUBJECTS_OFFERED = 20;

/** What the development sign-in page offers (decision 0028): the registered departments and listed subjects. */
@Injectable()
export class DevSignInQueries {
  constructor(
    @Inject(REGISTRY_DB) private readonly db: DataSource,
    private readonly directory: DepartmentDirectory,
  ) {}

  /** The registered departments, and the bootstrap one (which exists from the first start, registered or not). */
  async departmentsOffered(): Promise<Pick<Department, 'code' | 'name' | 'region' | 'supervising'>[]> {
    const registered = await this.db.getRepository(Department).find({ order: { code: 'ASC' } });
    const bootstrap = this.directory.bootstrapDept;
    return registered.some((d) => d.code === bootstrap)
      ? registered
      : [{ code: bootstrap, name: bootstrap, region: '', supervising: true }, ...registered];
  }

  /**
   * The parties of the earliest entries past draft (the demo's company, its legal representative …), so a
   * developer signs in as a listed subject (role `subject`) as the identity provider would verify it.
   */
  async subjectsOffered(): Promise<SubjectIdentity[]> {
    const rows: {
      subject_id: string;
      subject_name: string;
      subject_kind: string;
      related_persons: { role: string; kind: string; id: string; name: string }[] | null;
    }[] = await this.db.query(
      `SELECT subject_id, subject_name, subject_kind, related_persons FROM registry.list_entries
       WHERE status <> 'draft' ORDER BY created_at ASC, id ASC LIMIT $1`,
      [SUBJECTS_OFFERED * 2],
    );
    const offered = new Map<string, SubjectIdentity>();
    for (const row of rows) {
      if (!offered.has(row.subject_id))
        offered.set(row.subject_id, { id: row.subject_id, name: row.subject_name, kind: row.subject_kind });
      for (const person of row.related_persons ?? []) {
        if (!offered.has(person.id))
          offered.set(person.id, {
            id: person.id,
            name: person.name,
            kind: person.kind,
            role: person.role,
            of: row.subject_name,
          });
      }
    }
    return [...offered.values()].slice(0, SUBJECTS_OFFERED);
  }
}
