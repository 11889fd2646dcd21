import { RequestValidationError } from '@credit/platform';
import { parseCheckBody } from './check-body';

const fields = (body: unknown) => {
  try {
    parseCheckBody(body);
    return [];
  } catch (err) {
    expect(err).toBeInstanceOf(RequestValidationError);
    return (err as RequestValidationError).errors.map((e) => e.field);
  }
};

describe('parseCheckBody', () => {
  it('accepts a valid body', () => {
    expect(
      parseCheckBody({
        subject: { id: '91330106MA2H7QK45E' },
        action: 'government_procurement_bid',
        stage: 'approval',
      }),
    ).toEqual({
      subjectId: '91330106MA2H7QK45E',
      action: 'government_procurement_bid',
      stage: 'approval',
    });
    expect(parseCheckBody({ subject: { id: 'x' }, action: 'bid' })).toEqual({
      subjectId: 'x',
      action: 'bid',
    });
  });

  it('names every bad field, as the validation pipe does', () => {
    expect(fields(null)).toEqual(['body']);
    expect(fields({})).toEqual(['subject', 'action']);
    expect(fields({ subject: { id: '' }, action: 'Bad Action', stage: 'later' })).toEqual([
      'subject.id',
      'action',
      'stage',
    ]);
    expect(fields({ subject: { id: 'x', name: 'n' }, action: 'bid', extra: 1 })).toEqual([
      'extra',
      'subject.name',
    ]);
    expect(fields({ subject: 'x', action: 'bid' })).toEqual(['subject']);
    expect(fields({ subject: { id: 'x'.repeat(65) }, action: 'bid' })).toEqual(['subject.id']);
  });

  it("gives each field the validation pipe's code, from the schema ajv compiled", () => {
    const codes = (body: unknown) => {
      try {
        parseCheckBody(body);
        return {};
      } catch (err) {
        return Object.fromEntries((err as RequestValidationError).errors.map((e) => [e.field, e.code]));
      }
    };
    expect(codes([])).toEqual({ body: 'VALIDATION.IS_OBJECT' });
    expect(codes({ subject: { id: 7, x: 1 }, action: 3, stage: 'later', more: true })).toEqual({
      more: 'VALIDATION.WHITELIST_VALIDATION',
      'subject.x': 'VALIDATION.WHITELIST_VALIDATION',
      'subject.id': 'VALIDATION.IS_STRING',
      action: 'VALIDATION.MATCHES',
      stage: 'VALIDATION.IS_IN',
    });
    expect(codes({ subject: [], action: 'bid' })).toEqual({ subject: 'VALIDATION.IS_OBJECT' });
    expect(codes({ subject: {}, action: 'bid' })).toEqual({ 'subject.id': 'VALIDATION.IS_STRING' });
  });

  it('neither coerces nor strips what it was given', () => {
    const body = { subject: { id: 'x' }, action: 'bid', stage: 'approval' };
    expect(parseCheckBody(body)).toEqual({ subjectId: 'x', action: 'bid', stage: 'approval' });
    expect(body).toEqual({ subject: { id: 'x' }, action: 'bid', stage: 'approval' });
    expect(fields({ subject: { id: 12 }, action: 'bid' })).toEqual(['subject.id']);
  });
});
