import { generateKeyPairSync } from 'node:crypto';
import { schemaViolations } from './exchange-document';
import { signDocument } from './exchange-signature';

const { privateKey } = generateKeyPairSync('ed25519');
const publication = {
  kind: 'publication',
  origin: { region: '330500', platform: '信用湖州', entryId: 'HZ-2026-0001' },
  version: 1,
  issuedAt: '2026-12-01T08:00:00Z',
  listType: { code: 'HZ_DEFAULTER', name: '失信被执行人', colour: 'black' },
  subject: { kind: 'legal_person', id: '91330106MA2H7QK4XQ', name: '湖州示例有限公司' },
  decision: { documentNo: '(2026)浙05执123号', date: '2026-11-20', facts: '拒不履行', authority: '湖州中院' },
  period: { from: '2026-11-19T16:00:00Z', to: '2028-11-19T16:00:00Z' },
};
const withdrawal = {
  kind: 'withdrawal',
  origin: publication.origin,
  version: 2,
  issuedAt: '2026-12-02T08:00:00Z',
  listType: { code: 'HZ_DEFAULTER' },
  subject: { kind: 'legal_person', id: '91330106MA2H7QK4XQ' },
  reason: 'repaired',
  withdrawnAt: '2026-12-02T08:00:00Z',
};
const sign = (document: object) => signDocument(document, { keyId: 'hz-1', privateKey });

describe('the exchange format (docs/exchange/entry-exchange.schema.json, decision 0035)', () => {
  it('takes a signed publication and a signed withdrawal', () => {
    expect(schemaViolations(sign(publication))).toEqual([]);
    expect(schemaViolations(sign(withdrawal))).toEqual([]);
  });

  it('names the offending field: a missing subject id, an unknown member, a bad date', () => {
    const bad = sign({
      ...publication,
      subject: { kind: 'legal_person', name: 'x' },
      decision: { ...publication.decision, date: '2026-02-30' },
      extra: 1,
    });
    const fields = schemaViolations(bad).map((v) => `${v.field} ${v.code}`);
    expect(fields).toEqual(
      expect.arrayContaining([
        'document.subject.id EXCHANGE.SCHEMA.REQUIRED',
        'document.decision.date EXCHANGE.SCHEMA.FORMAT',
        'document.extra EXCHANGE.SCHEMA.ADDITIONAL_PROPERTIES',
      ]),
    );
  });

  it('asks a publication for its decision and period, a withdrawal for a reason and a later version', () => {
    const { decision: _d, ...noDecision } = publication;
    expect(schemaViolations(sign(noDecision)).map((v) => v.field)).toContain('document.decision');
    expect(
      schemaViolations(sign({ ...withdrawal, version: 1, reason: 'because' })).map((v) => v.field),
    ).toEqual(expect.arrayContaining(['document.version', 'document.reason']));
  });

  it('refuses an envelope without a well-formed Ed25519 signature', () => {
    const envelope = sign(publication);
    expect(
      schemaViolations({ ...envelope, signature: { ...envelope.signature, alg: 'RS256' } })[0].field,
    ).toBe('signature.alg');
    expect(
      schemaViolations({ ...envelope, signature: { ...envelope.signature, value: 'abc' } })[0].field,
    ).toBe('signature.value');
    expect(schemaViolations({ format: 'credit-exchange/1', document: publication })[0].field).toBe(
      'signature',
    );
  });
});
