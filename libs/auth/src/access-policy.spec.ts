import type { InfoClass } from '@credit/contracts';
import {
  checkSeesEveryDepartment,
  entryReadRight,
  EntryAccessFacts,
  measureMayReach,
  supervisedRegion,
} from './access-policy';
import { Principal } from './principal';

const SUBJECT = '91330106MA2H7QK4XQ';
const facts = (infoClass: InfoClass | null, extra: Partial<EntryAccessFacts> = {}): EntryAccessFacts => ({
  infoClass,
  ownerDept: 'COURT',
  ownerRegion: '330100',
  subjectIds: [SUBJECT, '330106MA2'],
  implementers: new Set(['FINANCE']),
  disclosed: true,
  ...extra,
});
const who = (dept: string, roles: Principal['roles'], extra: Partial<Principal> = {}): Principal => ({
  sub: `${dept}-user`,
  dept,
  roles,
  ...extra,
});

const readers: [string, Principal][] = [
  ['owner', who('COURT', ['initiator'])],
  ['implementer', who('FINANCE', ['implementer'])],
  ['other department', who('SAMR', ['initiator'])],
  ['supervisor of the city', who('CREDIT_OFFICE', ['supervisor'])],
  ["supervisor of the owner's region", who('CREDIT_OFFICE', ['supervisor'], { region: '330100' })],
  ['supervisor of another region', who('CREDIT_OFFICE', ['supervisor'], { region: '330200' })],
  ['the subject', { sub: SUBJECT, dept: '', roles: ['subject'] }],
  ['another subject', { sub: '91330106MA2H7QK45E', dept: '', roles: ['subject'] }],
  ['admin', who('CREDIT_OFFICE', ['admin'])],
];

describe('access policy: who reads an entry (decision 0020)', () => {
  // A, B, C for each reader, in the order of `readers`
  const expected: Record<string, [boolean, boolean, boolean]> = {
    owner: [true, true, true],
    implementer: [true, true, false],
    'other department': [true, false, false],
    'supervisor of the city': [true, true, true],
    "supervisor of the owner's region": [true, true, true],
    'supervisor of another region': [true, false, false],
    'the subject': [true, true, true],
    'another subject': [false, false, false],
    admin: [true, false, false],
  };

  it.each(readers)('%s', (name, principal) => {
    const rights = (['A', 'B', 'C'] as const).map((c) => entryReadRight(principal, facts(c)) !== null);
    expect(rights).toEqual(expected[name]);
  });

  it('treats an unknown class as C (fail closed)', () => {
    expect(entryReadRight(who('FINANCE', ['implementer']), facts(null))).toBeNull();
    expect(entryReadRight(who('COURT', ['initiator']), facts(null))).toBe('owner');
  });

  it('shows an entry not yet published to its owner, supervisors and the subject only', () => {
    const draft = facts('A', { disclosed: false });
    expect(entryReadRight(who('SAMR', ['initiator']), draft)).toBeNull();
    expect(entryReadRight(who('FINANCE', ['implementer']), facts('B', { disclosed: false }))).toBeNull();
    expect(entryReadRight(who('COURT', ['initiator']), draft)).toBe('owner');
    expect(entryReadRight(who('X', ['supervisor']), draft)).toBe('supervisor');
    expect(entryReadRight({ sub: SUBJECT, dept: '', roles: ['subject'] }, draft)).toBe('subject');
  });

  it('lets a subject read by a legacy code or as a related person, and a region supervisor only its region', () => {
    expect(entryReadRight({ sub: '330106MA2', dept: '', roles: ['subject'] }, facts('C'))).toBe('subject');
    expect(
      entryReadRight(who('X', ['supervisor'], { region: '330100' }), facts('C', { ownerRegion: null })),
    ).toBeNull();
  });

  it('without known implementers, class B is read by owner, supervisors and subject only', () => {
    expect(
      entryReadRight(who('FINANCE', ['implementer']), facts('B', { implementers: undefined })),
    ).toBeNull();
  });
});

describe('access policy: measures, checks, regions', () => {
  it('lets only the owner’s own measures reach a class-C entry', () => {
    expect(measureMayReach('C', 'COURT', 'FINANCE')).toBe(false);
    expect(measureMayReach('C', 'COURT', 'COURT')).toBe(true);
    expect(measureMayReach('B', 'COURT', 'FINANCE')).toBe(true);
    expect(measureMayReach('A', 'COURT', 'FINANCE')).toBe(true);
    // not (yet) announced: fail closed, as class C, until the registry announces the class (decision 0023)
    expect(measureMayReach(null, 'COURT', 'FINANCE')).toBe(false);
    expect(measureMayReach(undefined, 'COURT', 'FINANCE')).toBe(false);
    expect(measureMayReach('X' as InfoClass, 'COURT', 'FINANCE')).toBe(false);
    expect(measureMayReach(null, 'COURT', 'COURT')).toBe(true);
  });

  it('lets supervisors and admins check against every department’s measures', () => {
    expect(checkSeesEveryDepartment(who('FINANCE', ['system']))).toBe(false);
    expect(checkSeesEveryDepartment(who('CREDIT_OFFICE', ['system', 'supervisor']))).toBe(true);
    expect(checkSeesEveryDepartment(who('CREDIT_OFFICE', ['admin']))).toBe(true);
  });

  it('limits a supervisor with a region claim to it; others are not region-scoped', () => {
    expect(supervisedRegion(who('X', ['supervisor'], { region: '330200' }))).toBe('330200');
    expect(supervisedRegion(who('X', ['supervisor']))).toBeUndefined();
    expect(supervisedRegion(who('X', ['initiator'], { region: '330200' }))).toBeUndefined();
  });
});
