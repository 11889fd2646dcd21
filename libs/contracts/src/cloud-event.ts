/**
 * CloudEvents 1.0 structured JSON envelope used on every topic.
 * Extensions: `actordept` (the department whose act caused the event) and `correlationid`.
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
  data: T;
}
