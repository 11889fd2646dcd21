import { normalizeIdentifier } from './normalize';

/*
 * 公示 masking (API.md "Public disclosure"): what the public and external platforms see of a listed
 * subject. A company's (or any organisation's) name and unified code are public; an individual's name
 * and ID number are not, so they are masked: `张*`, `3301**********1234`.
 */

/** An ID number (18 characters, or the old 15 digits) or any other identifier of a person, masked. */
export function maskIdNumberForPublic(id: string): string {
  const value = normalizeIdentifier(id);
  // the region of issue (4 digits) and the last 4 stay; the birth date and sequence never show
  if (value.length <= 8) return '*'.repeat(value.length);
  return `${value.slice(0, 4)}${'*'.repeat(value.length - 8)}${value.slice(-4)}`;
}

/** A person's name, masked: the first character (the surname) and one `*` per further character. */
export function maskPersonNameForPublic(name: string): string {
  const chars = [...name.trim()];
  if (chars.length === 0) return '';
  return chars[0] + '*'.repeat(Math.max(chars.length - 1, 1));
}

/** A listed subject as the public sees it. */
export interface PublicSubject {
  kind: string;
  /** the unified code, or the masked ID number of a person */
  id: string;
  name: string;
  /** the name and identifier are masked (an individual) */
  masked: boolean;
}

/**
 * Whether the subject is a person for the public: an individual, or anyone known only by an ID number
 * (an individual business registered without a unified code).
 */
export function isPersonForPublic(subject: { kind: string; id: string }): boolean {
  return subject.kind === 'individual' || /^\d{17}[\dX]$|^\d{15}$/.test(normalizeIdentifier(subject.id));
}

/** The subject of a public record: organisations in clear, persons masked. */
export function publicSubject(subject: { kind: string; id: string; name: string }): PublicSubject {
  if (!isPersonForPublic(subject))
    return { kind: subject.kind, id: subject.id, name: subject.name, masked: false };
  return {
    kind: subject.kind,
    id: maskIdNumberForPublic(subject.id),
    name: maskPersonNameForPublic(subject.name),
    masked: true,
  };
}
