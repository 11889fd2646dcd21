import { actsAsParty, EntryParties, partyRight, relationOf } from './party-policy';
import { Principal } from './principal';

const COMPANY = '91330106MA2H7QK4XQ';
const REPRESENTATIVE = '330106198001011234';
const entry: EntryParties = {
  subjectIds: [COMPANY, '330106000123458'],
  relatedPersons: [{ id: REPRESENTATIVE, role: 'legal_representative' }],
};
const subject = (sub: string): Principal => ({ sub, dept: '', roles: ['subject'] });
const clerk: Principal = { sub: 'clerk-1', dept: 'CREDIT_OFFICE', roles: ['credit_office'] };

describe('party policy', () => {
  it('knows the subject by any of its identifiers, and its related persons by role', () => {
    expect(relationOf(entry, COMPANY)).toBe('subject');
    expect(relationOf(entry, '330106000123458')).toBe('subject');
    expect(relationOf(entry, REPRESENTATIVE)).toBe('legal_representative');
    expect(relationOf(entry, '91330106MA2H7QK4X0')).toBeNull();
  });

  it('a subject token is a party for its own identifier only', () => {
    expect(partyRight(subject(COMPANY), entry)).toEqual({
      relation: 'subject',
      onBehalfOf: COMPANY,
      filer: 'subject',
    });
    expect(partyRight(subject(REPRESENTATIVE), entry)?.relation).toBe('legal_representative');
    expect(partyRight(subject('91330106MA2H7QK4X0'), entry)).toBeNull();
    // a subject cannot borrow another identifier by naming it
    expect(partyRight(subject('91330106MA2H7QK4X0'), entry, COMPANY)).toBeNull();
  });

  it('the counter acts for the person it names, if that person is a party', () => {
    expect(partyRight(clerk, entry, COMPANY)).toEqual({
      relation: 'subject',
      onBehalfOf: COMPANY,
      filer: 'credit_office',
    });
    expect(partyRight(clerk, entry)).toBeNull();
    expect(partyRight(clerk, entry, '91330106MA2H7QK4X0')).toBeNull();
  });

  it('departments are never parties', () => {
    for (const roles of [['initiator'], ['supervisor'], ['admin'], ['implementer'], ['system']] as const) {
      const principal: Principal = { sub: COMPANY, dept: 'COURT', roles: [...roles] };
      expect(partyRight(principal, entry, COMPANY)).toBeNull();
      expect(actsAsParty(principal)).toBe(false);
    }
    expect(actsAsParty(clerk)).toBe(true);
    expect(actsAsParty(subject(COMPANY))).toBe(true);
  });
});
