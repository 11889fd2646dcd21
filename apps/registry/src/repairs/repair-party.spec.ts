import { Principal } from '@credit/auth';
import { filerOf, mayReadApplication } from './repair-party';

const SUBJECT = '91330106MA2H7QK4XQ';
const entry = { ownerDept: 'COURT', subjectIds: [SUBJECT, 'MA2H7QK4X'] };
const p = (roles: Principal['roles'], dept = '', sub = 'x'): Principal => ({ sub, dept, roles });

describe('who is a party to an entry', () => {
  it('is the subject itself, the counter acting for it, or the owning initiator', () => {
    expect(filerOf(p(['subject'], '', SUBJECT), entry)).toEqual({ role: 'subject', dept: null });
    expect(filerOf(p(['subject'], '', 'MA2H7QK4X'), entry)).toEqual({ role: 'subject', dept: null });
    expect(filerOf(p(['credit_office'], 'CREDIT_OFFICE'), entry, ` ${SUBJECT.toLowerCase()} `)).toEqual({
      role: 'credit_office',
      dept: 'CREDIT_OFFICE',
    });
    expect(filerOf(p(['initiator'], 'COURT'), entry)).toEqual({ role: 'initiator', dept: 'COURT' });
  });

  it.each([
    ['another subject', p(['subject'], '', '91330106MA2H7QK45E'), undefined],
    ['another department', p(['initiator'], 'TAX'), undefined],
    ['the counter for someone else', p(['credit_office'], 'CREDIT_OFFICE'), '91330106MA2H7QK45E'],
    ['a supervisor', p(['supervisor'], 'CREDIT_OFFICE'), undefined],
  ])('refuses %s with 403 SUBJECT.NOT_A_PARTY', (_name, principal, onBehalfOf) => {
    expect(() => filerOf(principal, entry, onBehalfOf)).toThrow(
      expect.objectContaining({ status: 403, code: 'SUBJECT.NOT_A_PARTY' }),
    );
  });

  it('asks the counter to name the subject', () => {
    expect(() => filerOf(p(['credit_office'], 'CREDIT_OFFICE'), entry, null)).toThrow(
      expect.objectContaining({ code: 'SUBJECT.ON_BEHALF_OF_REQUIRED' }),
    );
    expect(() => filerOf(p(['credit_office'], 'CREDIT_OFFICE'), entry)).toThrow(
      expect.objectContaining({ status: 422, code: 'SUBJECT.ON_BEHALF_OF_REQUIRED', field: 'onBehalfOf' }),
    );
  });

  it('lets the subject, the owner, the filing counter and supervisors read an application', () => {
    const application = {
      ownerDept: 'COURT',
      filedByDept: 'CREDIT_OFFICE',
      filedByRole: 'credit_office' as const,
    };
    const facts = { subjectIds: entry.subjectIds, ownerRegion: '330100' };
    expect(mayReadApplication(p(['subject'], '', SUBJECT), application, facts)).toBe(true);
    expect(mayReadApplication(p(['subject'], '', 'OTHER'), application, facts)).toBe(false);
    expect(mayReadApplication(p(['initiator'], 'COURT'), application, facts)).toBe(true);
    expect(mayReadApplication(p(['initiator'], 'TAX'), application, facts)).toBe(false);
    expect(mayReadApplication(p(['credit_office'], 'CREDIT_OFFICE'), application, facts)).toBe(true);
    expect(mayReadApplication(p(['supervisor'], 'CREDIT_OFFICE'), application, facts)).toBe(true);
    const elsewhere: Principal = { ...p(['supervisor'], 'CREDIT_OFFICE'), region: '330200' };
    expect(mayReadApplication(elsewhere, application, facts)).toBe(false);
  });
});
