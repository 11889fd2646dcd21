const FULL_WIDTH_FIRST = 0xff01;
const FULL_WIDTH_LAST = 0xff5e;
const FULL_WIDTH_OFFSET = 0xfee0;
const IDEOGRAPHIC_SPACE = 0x3000;

// Hyphen-like characters people type or paste between groups of an identifier: ASCII hyphen-minus,
// Unicode hyphens and dashes (U+2010–U+2015), minus sign, small and full-width hyphen-minus.
const SEPARATORS = /[\s\u002d\u2010-\u2015\u2212\ufe63\uff0d\u200b-\u200d\ufeff]/g;

const CANONICAL = /^[0-9A-Z]*$/;

/**
 * Canonical form used before any validation and as the stored/lookup key:
 * full-width ASCII → half-width, ASCII letters → upper case, spaces, hyphens/dashes and other
 * whitespace (including zero-width characters from copy-paste) removed.
 * Only ASCII letters are upper-cased so that look-alike non-ASCII letters still fail the charset check.
 */
export const normalizeIdentifier = (raw: string): string => {
  // what nearly every caller sends (the check's hot path): already canonical, nothing to rewrite
  if (CANONICAL.test(raw)) return raw;
  let halfWidth = '';
  for (const ch of raw) {
    const cp = ch.codePointAt(0) ?? 0;
    if (cp >= FULL_WIDTH_FIRST && cp <= FULL_WIDTH_LAST) {
      halfWidth += String.fromCharCode(cp - FULL_WIDTH_OFFSET);
    } else if (cp === IDEOGRAPHIC_SPACE) {
      halfWidth += ' ';
    } else {
      halfWidth += ch;
    }
  }
  return halfWidth.replace(SEPARATORS, '').replace(/[a-z]/g, (c) => c.toUpperCase());
};
