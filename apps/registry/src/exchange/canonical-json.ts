/**
 * The canonical JSON of a value, the bytes an exchange signature covers: object members sorted by key
 * (UTF-16 code units, as RFC 8785 JCS sorts them), no whitespace, strings and numbers as JSON.stringify
 * writes them (for finite numbers that is JCS's form). Members whose value is undefined are left out, as
 * JSON.stringify does; a non-finite number cannot be signed.
 */
export function canonicalJson(value: unknown): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError('a non-finite number has no canonical JSON');
      return JSON.stringify(value);
    case 'object': {
      if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v ?? null)).join(',')}]`;
      const members = Object.keys(value as Record<string, unknown>)
        .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
        .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
        .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`);
      return `{${members.join(',')}}`;
    }
    default:
      throw new TypeError(`a ${typeof value} has no canonical JSON`);
  }
}
