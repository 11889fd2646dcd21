import { defineCodes } from '@credit/contracts';

/**
 * Why a consumer parked an event on its dead-letter topic (`<topic>.dlq`, header `dlq-code`): what an
 * operator reads in `npm run dead-letters -- list` before replaying it (docs/runbook.md). A handler's
 * own reasons (`RejectedEventError`) are in its feature's catalogue.
 */
export const DeadLetterReasons = defineCodes('dead-letter', {
  EMPTY: { code: 'MESSAGE.EMPTY', message: 'the record has no value' },
  MALFORMED_JSON: { code: 'MESSAGE.MALFORMED_JSON', message: 'the record value is not JSON' },
  INVALID_ENVELOPE: {
    code: 'MESSAGE.INVALID_ENVELOPE',
    message: 'the value is not a CloudEvent: an attribute is missing or wrong (specversion, id, time, …)',
  },
  INVALID_PAYLOAD: {
    code: 'MESSAGE.INVALID_PAYLOAD',
    message: "the event's data does not match its type's contract; the reason names the fields",
  },
  HANDLER_FAILED: {
    code: 'MESSAGE.HANDLER_FAILED',
    message:
      'the handler failed on every attempt, or the database refused a value of the record (decision 0090); the reason says which',
  },
});

/** A misuse of the in-process bus, thrown to the calling code (`MessageBusError`). */
export const MessageBusErrors = defineCodes('exception', {
  UNKNOWN_TOPIC: {
    code: 'MESSAGE.UNKNOWN_TOPIC',
    message: 'publishing to or subscribing to a topic never created',
  },
  BUS_CLOSED: { code: 'MESSAGE.BUS_CLOSED', message: 'the bus was used after it was closed' },
});
