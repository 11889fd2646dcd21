import { Injectable } from '@nestjs/common';
import { WorkingCalendar } from '@credit/calendar';

/**
 * The working-day clocks of a repair application (decision 0025). Deadlines fall at the same Beijing
 * time of day as the act that starts them, as every other deadline of the platform does.
 */
@Injectable()
export class RepairDeadlines {
  constructor(private readonly calendar: WorkingCalendar) {}

  /** 受理: the owner accepts (or asks for material) within `days` working days of the submission. */
  acceptBy(submittedAt: Date, days: number): Date {
    return this.calendar.addWorkingDays(submittedAt, days);
  }

  /**
   * Asking for material stops the acceptance clock: the working days not yet begun are kept, at least
   * one, so the owner has a day to read what is supplied.
   */
  pause(requestedAt: Date, acceptDeadline: Date): number {
    return Math.max(1, this.calendar.workingDaysBetween(requestedAt, acceptDeadline));
  }

  /** The clock runs again from the day the material is supplied. */
  resume(suppliedAt: Date, daysLeft: number): Date {
    return this.calendar.addWorkingDays(suppliedAt, daysLeft);
  }

  /** 决定: within `days` working days of the acceptance. */
  decideBy(acceptedAt: Date, days: number): Date {
    return this.calendar.addWorkingDays(acceptedAt, days);
  }
}

/** The deadline an open application is waiting on now, or null (paused, or decided). */
export function currentDeadline(a: {
  status: string;
  acceptDeadline: Date | null;
  decideDeadline: Date | null;
}): Date | null {
  if (a.status === 'submitted') return a.acceptDeadline;
  if (a.status === 'accepted') return a.decideDeadline;
  return null;
}

export function isOverdue(
  a: { status: string; acceptDeadline: Date | null; decideDeadline: Date | null },
  now: Date,
): boolean {
  const due = currentDeadline(a);
  return due !== null && due.getTime() < now.getTime();
}
