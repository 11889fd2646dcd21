import { defineErrors, ErrorSpec } from '@credit/platform';

/** MEASURE.* codes (see docs/errors.md). */
export const MeasureErrors = defineErrors({
  NOT_FOR_ENTRY: {
    code: 'MEASURE.NOT_FOR_ENTRY',
    status: 422,
    message: 'measure … is not a measure of list type …',
  },
  NOT_FOUND: {
    code: 'MEASURE.NOT_FOUND',
    status: 404,
    message: 'measure … does not exist or is retired',
  },
  ALREADY_EXISTS: {
    code: 'MEASURE.ALREADY_EXISTS',
    status: 409,
    message: 'measure codes already used: …',
  },
  // the rules of lawful measures (decision 0031): refused with 422 when a finding is an error
  BLOCK_NEEDS_LAW: {
    code: 'MEASURE.BLOCK_NEEDS_LAW',
    status: 422,
    message:
      'a punishment that blocks needs a law, regulation, judicial interpretation or 党中央/国务院 document among its bases',
  },
  KIND_NOT_FOR_COLOUR: {
    code: 'MEASURE.KIND_NOT_FOR_COLOUR',
    status: 422,
    message: 'punishments act on black lists only, incentives on red lists only',
  },
  MODE_NOT_FOR_KIND: {
    code: 'MEASURE.MODE_NOT_FOR_KIND',
    status: 422,
    message:
      'the mode does not fit the kind: punishments block, warn or refer; incentives give priority or refer',
  },
  MEMORANDUM_ONLY: {
    code: 'MEASURE.MEMORANDUM_ONLY',
    status: 422,
    message: 'a punishment resting on a memorandum only (a warning in reports: lawful as warn or reference)',
  },
});

const LEGALITY = [
  MeasureErrors.BLOCK_NEEDS_LAW,
  MeasureErrors.KIND_NOT_FOR_COLOUR,
  MeasureErrors.MODE_NOT_FOR_KIND,
  MeasureErrors.MEMORANDUM_ONLY,
] as const;

/** Stable codes of what makes a measure unlawful or doubtful. */
export type LegalityCode = (typeof LEGALITY)[number]['code'];

/** The catalogue entry of a legality finding's code. */
export function legalityError(code: LegalityCode): ErrorSpec {
  return LEGALITY.find((e) => e.code === code)!;
}
