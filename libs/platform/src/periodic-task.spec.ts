import pino from 'pino';
import { PeriodicTask } from './periodic-task';

describe('a periodic task woken by hand', () => {
  const logger = pino({ level: 'silent' });

  it('runs a pass when woken, even without an interval, one pass at a time', async () => {
    let passes = 0;
    let release!: () => void;
    const task = new PeriodicTask(
      0,
      () => new Promise<void>((r) => ((passes += 1), (release = r))),
      logger,
      'probe',
    );
    task.start();
    task.wake();
    task.wake(); // a pass is under way: nothing more
    expect(passes).toBe(1);
    release();
    await task.stop();
    expect(passes).toBe(1);
  });

  it('runs no pass once stopped, and again once started', async () => {
    let passes = 0;
    const task = new PeriodicTask(0, async () => void (passes += 1), logger, 'probe');
    await task.stop();
    task.wake();
    expect(passes).toBe(0);
    task.start();
    task.wake();
    await task.stop();
    expect(passes).toBe(1);
  });
});
