import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { OutboxMessage, ServiceMessaging } from '@credit/messaging';
import { WorkingCalendar } from '@credit/calendar';
import { Assignment } from '../assignments/assignment.entity';
import { AssignmentIssuer } from './assignment-issuer';

/**
 * Lifts, suspensions and resumptions of several assignments go out in id order: enforcement applies them
 * one row lock at a time, and its end of an entry locks the entry's rows in id order too (a deadlock
 * otherwise, test/enforcement/entry-ends-locks.integration-cases.ts).
 */
describe('AssignmentIssuer: events about several assignments in id order', () => {
  const sent: OutboxMessage[][] = [];
  const messaging = {
    relay: { registerRecipe: () => undefined },
    outbox: { add: async (_: EntityManager, messages: OutboxMessage[]) => void sent.push(messages) },
  } as unknown as ServiceMessaging;
  const issuer = new AssignmentIssuer(messaging, {} as WorkingCalendar);
  // an UPDATE through the query builder, and save(): what lift() and pause() write with
  const update = { set: () => update, whereInIds: () => update, execute: async () => undefined };
  const manager = {
    createQueryBuilder: () => ({ update: () => update }),
    save: async (rows: unknown) => rows,
  } as unknown as EntityManager;

  function assignment(status: Assignment['status']): Assignment {
    return Object.assign(new Assignment(), {
      id: randomUUID(),
      entryId: '0b7c3a2e-5d1f-4c8e-9a6b-1f2e3d4c5b6a',
      dept: 'FINANCE',
      status,
      subjectId: '91330106MA2H7QK4XQ',
      targetId: '91330106MA2H7QK4XQ',
      targetKind: 'legal_person',
      targetRole: null,
    });
  }
  const idsSent = () => sent.pop()!.map((m) => (m.event.data as { assignmentId: string }).assignmentId);

  it('lifts', async () => {
    const given = Array.from({ length: 20 }, () => assignment('issued'));
    expect(await issuer.lift(manager, given, 'entry_ended', { at: new Date() })).toBe(20);
    expect(idsSent()).toEqual(given.map((a) => a.id).sort());
  });

  it('suspensions and resumptions', async () => {
    const given = Array.from({ length: 20 }, () => assignment('acknowledged'));
    await issuer.pause(manager, given, 'suspend', 'objection', { at: new Date() });
    expect(idsSent()).toEqual(given.map((a) => a.id).sort());
    await issuer.pause(manager, [...given].reverse(), 'resume', 'objection closed', { at: new Date() });
    expect(idsSent()).toEqual(given.map((a) => a.id).sort());
  });
});
