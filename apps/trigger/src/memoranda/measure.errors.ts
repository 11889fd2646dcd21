import { defineErrors } from '@credit/platform';

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
});
