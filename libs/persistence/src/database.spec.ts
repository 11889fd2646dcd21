import { isDatabaseNotReady } from './database';

/** Decisions 0076 and 0091: what a starting service waits out, and what it fails on at once. */
describe('isDatabaseNotReady', () => {
  it.each([
    ['57P01', 'terminating connection due to administrator command (shutting down)'],
    ['57P02', 'terminating connection because of crash of another server process'],
    ['57P03', 'the database system is not yet accepting connections'],
    ['ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:5432'],
    ['ECONNRESET', 'read ECONNRESET'],
  ])('waits on %s (%s)', (code, message) => {
    expect(isDatabaseNotReady(Object.assign(new Error(message), { code }))).toBe(true);
  });

  it('waits on a connection ended without a code', () => {
    expect(isDatabaseNotReady(new Error('Connection terminated unexpectedly'))).toBe(true);
  });

  it.each([
    ['28P01', 'password authentication failed for user "credit"'],
    ['3D000', 'database "credit" does not exist'],
    ['42P01', 'relation "enforcement.assignments" does not exist'],
  ])('fails at once on %s (%s)', (code, message) => {
    expect(isDatabaseNotReady(Object.assign(new Error(message), { code }))).toBe(false);
  });
});
