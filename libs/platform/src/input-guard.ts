import type { FastifyInstance, FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import { DomainError, ErrorSpec } from './domain-error';
import { PlatformErrors } from './errors/platform.errors';
import type { FieldError } from './problem-details';

/** Deeper JSON is refused before it is parsed: no request of the API nests more than a few levels. */
export const MAX_JSON_DEPTH = 32;

/** At most this many fields are named in one refusal (a body of 10,000 bad strings names the first). */
const MAX_NAMED_FIELDS = 20;

/**
 * A request holding what the database and the logs must never receive: a control character (U+0000–
 * U+001F; tab, line feed and carriage return only in the free text of a body), a lone surrogate, or JSON
 * nested deeper than MAX_JSON_DEPTH. 400 with the fields named, before any handler runs.
 */
export class InputRefusedError extends DomainError {
  constructor(error: ErrorSpec, message: string, errors: FieldError[]) {
    super({ error, detail: message, extra: { errors } });
    this.name = 'InputRefusedError';
  }
}

// body strings are free text: tab, LF and CR allowed; keys, path parameters and query values: none
// eslint-disable-next-line no-control-regex -- finding them is the point
const CONTROL_IN_TEXT = /[\x00-\x08\x0b\x0c\x0e-\x1f]/;
// eslint-disable-next-line no-control-regex -- finding them is the point
const CONTROL_ANYWHERE = /[\x00-\x1f]/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

const BACKSLASH = 0x5c;
const QUOTE = 0x22;
const OPEN_OBJECT = 0x7b;
const OPEN_ARRAY = 0x5b;
const CLOSE_OBJECT = 0x7d;
const CLOSE_ARRAY = 0x5d;

export interface JsonScan {
  /** nests deeper than MAX_JSON_DEPTH */
  tooDeep: boolean;
  /** a string holds an escape that may stand for a control character or a surrogate: worth a walk */
  suspicious: boolean;
}

/**
 * One pass over the JSON text, before it is parsed: how deep it nests and whether any string holds an
 * escape that can encode a control character (`\u0000`–`\u001f`, `\b`, `\f`, `\n`, `\r`, `\t`) or a
 * surrogate (`\ud800`–`\udfff`). Raw control characters inside a string are invalid JSON anyway (the
 * parser refuses them). Stops at the first level past the limit, so 100,000 levels cost 33 characters.
 */
export function scanJson(text: string): JsonScan {
  // most bodies (the check's among them) hold no backslash and few brackets: native searches settle them
  // — no escape can encode a control character, and no text nests deeper than its opening brackets
  if (text.indexOf('\\') === -1 && openingBrackets(text) <= MAX_JSON_DEPTH) {
    return { tooDeep: false, suspicious: false };
  }
  let depth = 0;
  let suspicious = false;
  let inString = false;
  const n = text.length;
  for (let i = 0; i < n; i += 1) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === QUOTE) inString = false;
      else if (c === BACKSLASH) {
        i += 1;
        if (!suspicious) {
          const e = text.charCodeAt(i);
          // \b \f \n \r \t, or \u00xx below 0x20, or \ud8xx–\udfxx
          if (e === 0x62 || e === 0x66 || e === 0x6e || e === 0x72 || e === 0x74) suspicious = true;
          else if (e === 0x75) {
            const a = text.charCodeAt(i + 1) | 0x20; // lower case
            const b = text.charCodeAt(i + 2) | 0x20;
            const d = text.charCodeAt(i + 3);
            if (a === 0x30 && b === 0x30 && (d === 0x30 || d === 0x31)) suspicious = true;
            else if (a === 0x64 && b >= 0x38) suspicious = true; // \ud8..\udf (and a few more)
          }
        }
      }
    } else if (c === QUOTE) inString = true;
    else if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
      depth += 1;
      if (depth > MAX_JSON_DEPTH) return { tooDeep: true, suspicious };
    } else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) depth -= 1;
  }
  return { tooDeep: false, suspicious };
}

/** How many `{` and `[` the text holds, counted up to MAX_JSON_DEPTH + 1. */
function openingBrackets(text: string): number {
  let count = 0;
  for (let i = text.indexOf('{'); i !== -1 && count <= MAX_JSON_DEPTH; i = text.indexOf('{', i + 1))
    count += 1;
  for (let i = text.indexOf('['); i !== -1 && count <= MAX_JSON_DEPTH; i = text.indexOf('[', i + 1))
    count += 1;
  return count;
}

/** A key or value as it may be shown back: control characters as `\u0000` escapes. */
export function escapeControls(text: string): string {
  // eslint-disable-next-line no-control-regex -- finding them is the point
  return text.replace(/[\x00-\x1f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/* eslint-disable no-control-regex -- what PostgreSQL (NUL) or JSON (lone surrogates) cannot hold */
const UNSTORABLE = /[\x00-\x1f\ud800-\udfff]/;
const UNSTORABLES =
  /[\x00-\x08\x0b\x0c\x0e-\x1f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
/* eslint-enable no-control-regex */

/**
 * Text as the database can hold it, for a writer that must keep what it was given (a log, the trail):
 * control characters other than tab and line breaks, and lone surrogates, as the six characters `\u0000`.
 */
export function escapeUnstorable(text: string): string {
  return UNSTORABLE.test(text)
    ? text.replace(UNSTORABLES, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
    : text;
}

/** Every text in a JSON-like value (keys too) escaped as by escapeUnstorable. */
export function escapeUnstorableDeep(value: unknown): unknown {
  if (typeof value === 'string') return escapeUnstorable(value);
  if (Array.isArray(value)) return value.map(escapeUnstorableDeep);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [escapeUnstorable(k), escapeUnstorableDeep(v)]),
    );
  }
  return value;
}

function badCharacter(text: string, freeText: boolean): string | undefined {
  const control = (freeText ? CONTROL_IN_TEXT : CONTROL_ANYWHERE).exec(text);
  if (control) return `U+${control[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
  if (LONE_SURROGATE.test(text)) return 'a lone surrogate';
  return undefined;
}

function refusal(field: string, what: string): FieldError {
  return {
    field,
    code: PlatformErrors.INPUT_CONTROL_CHARACTER.code,
    message: `${field} holds ${what}: control characters (other than tab and line breaks in free text) are not accepted (不接受控制字符)`,
  };
}

/**
 * The fields of a parsed JSON value holding a control character or a lone surrogate, named as the
 * validation errors are (`subject.id`, `subjects.3.id`). Body strings are free text (tab, LF, CR
 * allowed); keys never hold one. Depth is already bounded by the parser.
 */
export function controlCharacterFields(value: unknown, path = '', found: FieldError[] = []): FieldError[] {
  if (found.length >= MAX_NAMED_FIELDS) return found;
  if (typeof value === 'string') {
    const what = badCharacter(value, true);
    if (what) found.push(refusal(path || 'body', what));
  } else if (Array.isArray(value)) {
    for (let i = 0; i < value.length && found.length < MAX_NAMED_FIELDS; i += 1) {
      controlCharacterFields(value[i], path ? `${path}.${i}` : String(i), found);
    }
  } else if (value !== null && typeof value === 'object') {
    for (const key of Object.keys(value)) {
      const field = path ? `${path}.${escapeControls(key)}` : escapeControls(key);
      const what = badCharacter(key, false);
      if (what) found.push(refusal(field, `${what} in its name`));
      controlCharacterFields((value as Record<string, unknown>)[key], field, found);
      if (found.length >= MAX_NAMED_FIELDS) break;
    }
  }
  return found;
}

function controlCharacterRefusal(errors: FieldError[]): InputRefusedError {
  return new InputRefusedError(
    PlatformErrors.INPUT_CONTROL_CHARACTER,
    `control characters are not accepted: ${[...new Set(errors.map((e) => e.field))].join(', ')}`,
    errors,
  );
}

function tooDeep(): InputRefusedError {
  return new InputRefusedError(
    PlatformErrors.INPUT_TOO_DEEP,
    `the JSON body nests more than ${MAX_JSON_DEPTH} levels deep`,
    [
      {
        field: 'body',
        code: PlatformErrors.INPUT_TOO_DEEP.code,
        message: `the JSON body may nest at most ${MAX_JSON_DEPTH} levels (嵌套过深)`,
      },
    ],
  );
}

/** Query values and path parameters: short texts where no control character has a meaning. */
function checkStrings(values: unknown, prefix: string, found: FieldError[]): void {
  if (values === null || typeof values !== 'object') return;
  for (const key in values) {
    const value = (values as Record<string, unknown>)[key];
    const field = `${prefix}.${escapeControls(key)}`;
    const inKey = badCharacter(key, false);
    if (inKey) found.push(refusal(field, `${inKey} in its name`));
    if (typeof value === 'string') {
      const what = badCharacter(value, false);
      if (what) found.push(refusal(field, what));
    } else if (Array.isArray(value)) {
      for (const item of value) {
        const what = typeof item === 'string' ? badCharacter(item, false) : undefined;
        if (what) found.push(refusal(field, what));
      }
    }
  }
}

function hasKeys(value: unknown): boolean {
  if (value === null || typeof value !== 'object') return false;
  for (const _ in value) return true;
  return false;
}

/** The checks of a request's path parameters and query (and a body that did not come as JSON). */
function guardRequest(request: FastifyRequest, _reply: FastifyReply, done: HookHandlerDoneFunction): void {
  let found: FieldError[] | undefined;
  const { params, query, body } = request;
  if (hasKeys(params)) checkStrings(params, 'params', (found ??= []));
  if (hasKeys(query)) checkStrings(query, 'query', (found ??= []));
  if (typeof body === 'string') {
    // text/plain: free text
    const what = badCharacter(body, true);
    if (what) (found ??= []).push(refusal('body', what));
  }
  if (found && found.length > 0) return done(controlCharacterRefusal(found.slice(0, MAX_NAMED_FIELDS)));
  done();
}

/**
 * A body that is not JSON (a syntax error, an empty body, a `__proto__` key): 400 `INPUT.MALFORMED_JSON`.
 * The parser's own message is not passed on: it quotes the body, which may hold an ID number.
 */
function malformedJson(err: Error): InputRefusedError {
  const what = (err as { code?: string }).code === 'FST_ERR_CTP_EMPTY_JSON_BODY' ? 'empty' : 'not valid JSON';
  const position = /position (\d+)/.exec(err.message)?.[1];
  return new InputRefusedError(
    PlatformErrors.INPUT_MALFORMED_JSON,
    `the request body is ${what}${position ? ` (at character ${position})` : ''}`,
    [{ field: 'body', code: PlatformErrors.INPUT_MALFORMED_JSON.code, message: `the body is ${what}` }],
  );
}

/**
 * Refuses poison input at the edge, for every route of the app (the check's own Fastify route too):
 * - application/json bodies go through Fastify's own parser, after a linear scan that refuses nesting past
 *   MAX_JSON_DEPTH (before parsing: a deep document never reaches the validation pipe's recursion) and
 *   tells whether a string may hold a control character; only then is the parsed body walked to name it;
 * - path parameters and query values are checked before validation (preValidation).
 * Answers 400 problem+json: `INPUT.CONTROL_CHARACTER` or `INPUT.TOO_DEEP`, with the fields in `errors`.
 */
export function registerInputGuard(fastify: FastifyInstance): void {
  const { onProtoPoisoning, onConstructorPoisoning } = fastify.initialConfig as {
    onProtoPoisoning?: 'error' | 'remove' | 'ignore';
    onConstructorPoisoning?: 'error' | 'remove' | 'ignore';
  };
  // the same function Fastify would run, with the same body limit and the same errors
  const parse = fastify.getDefaultJsonParser(onProtoPoisoning ?? 'error', onConstructorPoisoning ?? 'error');
  fastify.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = body as string;
    const scan = scanJson(text);
    if (scan.tooDeep) return done(tooDeep(), undefined);
    parse(request, text, (err, value) => {
      if (err) return done(malformedJson(err), undefined);
      if (!scan.suspicious) return done(null, value);
      const found = controlCharacterFields(value);
      if (found.length > 0) return done(controlCharacterRefusal(found), undefined);
      done(null, value);
    });
  });
  fastify.addHook('preValidation', guardRequest);
}
