import {
  CloudEvent,
  EventTypes,
  FeedbackBaseV1,
  ListEntryEndedV1,
  ListEntryPublishedV1,
} from '@credit/contracts';
import { ConsumerDefinition, EventHandlers, handleEach } from './event-consumer';

/* Compile-time checks (tsc runs them): a handler bound to the wrong event type does not compile. */

const onPublished = async (event: CloudEvent<ListEntryPublishedV1>) => void event.data.entryId;
const onFeedback = async (event: CloudEvent<FeedbackBaseV1>) => void event.data.assignmentId;

const define = <K extends string>(definition: ConsumerDefinition<K>) => definition;

describe('typed handlers', () => {
  it('gives each handler the payload of its type', () => {
    const handlers = define({
      name: 'x',
      topics: [],
      handlers: {
        [EventTypes.listEntryPublished]: onPublished,
        // inferred: the ended payload has a reason
        [EventTypes.listEntryEnded]: async (event) => void event.data.reason,
        // `*` and types outside the contract: unknown data
        '*': async (event) => void (event.data satisfies unknown),
        'credit.test.happened.v1': async (event) => void (event.data satisfies unknown),
      },
    }).handlers;
    expect(Object.keys(handlers)).toHaveLength(4);
  });

  it('refuses a handler bound to another type', () => {
    const wrong: EventHandlers<typeof EventTypes.listEntryEnded> = {
      // @ts-expect-error a published-entry handler cannot take ended entries
      [EventTypes.listEntryEnded]: onPublished,
    };
    const right: EventHandlers<typeof EventTypes.listEntryEnded> = {
      [EventTypes.listEntryEnded]: async (event: CloudEvent<ListEntryEndedV1>) => void event.data.endedAt,
    };
    expect([wrong, right]).toHaveLength(2);
  });

  it('binds one handler to several types when it takes each of their payloads', () => {
    const feedback = [EventTypes.feedbackAcknowledged, EventTypes.feedbackEnforced] as const;
    expect(Object.keys(handleEach(feedback, onFeedback))).toEqual([...feedback]);
    // @ts-expect-error a feedback handler cannot take a published entry
    handleEach([EventTypes.feedbackAcknowledged, EventTypes.listEntryPublished], onFeedback);
  });
});
