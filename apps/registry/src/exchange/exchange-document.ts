import Ajv, { ErrorObject } from 'ajv';
import type { EndReason, SubjectKind } from '@credit/contracts';
import schema from '../../../../docs/exchange/entry-exchange.schema.json';
import type { ExchangeEnvelope } from './exchange-signature';

/** The document of a credit-exchange/1 envelope (docs/exchange/README.md). */
export interface ExchangeDocument {
  kind: 'publication' | 'withdrawal';
  origin: { region: string; platform: string; entryId: string };
  version: number;
  issuedAt: string;
  listType: { code: string; name?: string; colour?: 'red' | 'black'; severity?: string };
  subject: { kind: SubjectKind; id: string; name?: string };
  decision?: { documentNo: string; date: string; authority?: string; facts: string };
  period?: { from: string; to: string };
  reason?: Exclude<EndReason, 'withdrawn_by_origin'>;
  withdrawnAt?: string;
}

export const EXCHANGE_SCHEMA: object = schema;

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/i;

function isDay(value: string): boolean {
  const m = ISO_DATE.exec(value);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === value;
}

// the two formats the schema uses, given to ajv directly (no plug-in needed for them)
const ajv = new Ajv({
  allErrors: true,
  strict: true,
  // the schema's if/then branches name properties and requirements without restating their types
  strictTypes: false,
  strictRequired: false,
  formats: {
    date: isDay,
    'date-time': (v: string) => DATE_TIME.test(v) && isDay(v.slice(0, 10)) && !Number.isNaN(Date.parse(v)),
  },
});
const validate = ajv.compile<ExchangeEnvelope<ExchangeDocument>>(EXCHANGE_SCHEMA);

export interface SchemaViolation {
  field: string;
  code: string;
  message: string;
}

/** A field path as the problem details name it (`document.subject.id`) from ajv's JSON pointer. */
function fieldOf(error: ErrorObject): string {
  const path = error.instancePath
    .split('/')
    .slice(1)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  const missing = error.keyword === 'required' ? [String(error.params.missingProperty)] : [];
  const extra = error.keyword === 'additionalProperties' ? [String(error.params.additionalProperty)] : [];
  return [...path, ...missing, ...extra].join('.') || '(envelope)';
}

/**
 * Checks an envelope against docs/exchange/entry-exchange.schema.json: the violations, none when it
 * conforms. The `if` keywords' own failures are left out (their `then` says what is wrong).
 */
export function schemaViolations(envelope: unknown): SchemaViolation[] {
  if (validate(envelope)) return [];
  const seen = new Set<string>();
  const out: SchemaViolation[] = [];
  for (const error of validate.errors ?? []) {
    if (error.keyword === 'if') continue;
    const field = fieldOf(error);
    const key = `${field}|${error.keyword}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({
      field,
      code: `EXCHANGE.SCHEMA.${error.keyword.replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase()}`,
      message: `${field} ${error.message ?? 'is not valid'}`,
    });
  }
  return out;
}

export function isExchangeEnvelope(envelope: unknown): envelope is ExchangeEnvelope<ExchangeDocument> {
  return schemaViolations(envelope).length === 0;
}
