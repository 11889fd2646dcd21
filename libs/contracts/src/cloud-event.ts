/**
 * CloudEvents 1.0 structured JSON envelope used on every topic.
 * Extensions: `actordept` (the department whose act caused the event), `correlationid`, and
 * `traceparent` (the Distributed Tracing extension: the W3C trace context of the event's creation, written
 * by the outbox when tracing is on, decision 0049; optional, an event without it is read as before).
 */
export interface CloudEvent<T = unknown> {
  specversion: '1.0';
  id: string;
  source: string;
  type: string;
  time: string;
  subject?: string;
  datacontenttype: 'application/json';
  actordept?: string;
  correlationid?: string;
  traceparent?: string;
  data: T;
}
