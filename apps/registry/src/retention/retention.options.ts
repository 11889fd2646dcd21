import { InfoClass } from '@credit/contracts';

/** How long personal data of an ended entry is kept, per information class (decision 0021). */
export interface RetentionOptions {
  /** per class: from the entry's end to its anonymisation (ms) */
  periodsMs: Record<InfoClass, number>;
  /** how often the job looks for entries due (ms); 0 turns it off (tests drive it) */
  intervalMs: number;
  batchSize: number;
}

const DAY_MS = 86_400_000;
/** 五年: personal data of an ended entry is kept five years after the end (the repair rules' horizon). */
export const DEFAULT_RETENTION_DAYS = 1826;

export const RETENTION_OPTIONS = Symbol('RETENTION_OPTIONS');

export function retentionOptions(
  options: { days?: Partial<Record<InfoClass, number>>; intervalMs?: number; batchSize?: number } = {},
): RetentionOptions {
  const days = (c: InfoClass) => options.days?.[c] ?? DEFAULT_RETENTION_DAYS;
  return {
    periodsMs: { A: days('A') * DAY_MS, B: days('B') * DAY_MS, C: days('C') * DAY_MS },
    intervalMs: options.intervalMs ?? 3_600_000,
    batchSize: options.batchSize ?? 100,
  };
}
