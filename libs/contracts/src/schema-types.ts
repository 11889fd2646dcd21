import { TSchema, Type } from '@sinclair/typebox';

/*
 * The building blocks of the event payload schemas (decision 0043): plain JSON Schema (draft-07
 * keywords only, patterns rather than formats) so that any department system's validator reads them.
 */

/**
 * ISO 8601 as the platform has always accepted it (validator.js's isISO8601, which class-validator
 * used): a date, or a date and time with an optional offset. Kept as it was so that events already on
 * the topics stay valid when replayed.
 */
export const ISO_8601 =
  /^([+-]?\d{4}(?!\d{2}\b))((-?)((0[1-9]|1[0-2])(\3([12]\d|0[1-9]|3[01]))?|W([0-4]\d|5[0-3])(-?[1-7])?|(00[1-9]|0[1-9]\d|[12]\d{2}|3([0-5]\d|6[1-6])))([T\s]((([01]\d|2[0-3])((:?)[0-5]\d)?|24:?00)([.,]\d+(?!:))?)?(\17[0-5]\d([.,]\d+)?)?([zZ]|([+-])([01]\d|2[0-3]):?([0-5]\d)?)?)?)?$/;

/** A UUID of versions 1 to 8, the nil or the max UUID, any case (validator.js's isUUID 'all'). */
export const UUID =
  /^(?:[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[1-8][0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}|00000000-0000-0000-0000-000000000000|[fF]{8}-[fF]{4}-[fF]{4}-[fF]{4}-[fF]{12})$/;

/** What a pattern means, for the reason a refused payload is given (pattern → words). */
export const PATTERN_NAMES: ReadonlyMap<string, string> = new Map([
  [ISO_8601.source, 'must be an ISO 8601 date or date-time'],
  [UUID.source, 'must be a UUID'],
]);

export const Uuid = (description?: string) =>
  Type.String({ pattern: UUID.source, ...(description ? { description } : {}) });

export const Instant = (description?: string) =>
  Type.String({ pattern: ISO_8601.source, ...(description ? { description } : {}) });

/** A string of at least one character. */
export const Text = (description?: string) =>
  Type.String({ minLength: 1, ...(description ? { description } : {}) });

/** One of the values of a vocabulary list (`SUBJECT_KINDS` …), as a JSON Schema `enum`. */
export const OneOf = <const V extends readonly (string | number)[]>(values: V, description?: string) =>
  Type.Unsafe<V[number]>({
    type: values.every((v) => typeof v === 'string') ? 'string' : 'integer',
    enum: [...values],
    ...(description ? { description } : {}),
  });

/**
 * An optional property: absent or null (null has always meant absent for event payloads, as
 * class-validator's IsOptional read it; producers leave the property out).
 */
export const Opt = <T extends TSchema>(schema: T) => Type.Optional(Type.Union([schema, Type.Null()]));
