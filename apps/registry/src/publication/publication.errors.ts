import { defineErrors } from '@credit/platform';

/** PUBLICATION.* codes (see docs/errors.md). */
export const PublicationErrors = defineErrors({
  ACK_BEYOND_FEED: {
    code: 'PUBLICATION.ACK_BEYOND_FEED',
    status: 422,
    message: 'position … is beyond the end of the feed',
  },
  NOT_AN_EXTERNAL_PLATFORM: {
    code: 'PUBLICATION.NOT_AN_EXTERNAL_PLATFORM',
    status: 403,
    message: 'department … is not registered as an external platform (externalPlatform)',
  },
});
