import { CronExpressionParser } from 'cron-parser';
import type { Clock } from '@asep/functions/clock/clock';

interface LocalTimer {
  name: string;
  schedule: string;
  run: (timer: { isPastDue: boolean }) => Promise<unknown>;
  /** When it last ran, by the suite's clock (or when it was added): the next run is the schedule's next time after it. */
  lastRun: Date;
}

/**
 * The Functions host's timer triggers, run off the suite's own clock: a timer fires once when the clock passes its
 * schedule's next occurrence, whether the clock got there by waiting or by `dev/clock/advance` (several missed
 * occurrences fire once, past due, as in Azure). The schedules are the functions' own NCRONTAB expressions, in UTC.
 */
export class LocalTimers {
  private readonly timers: LocalTimer[] = [];
  private ticking: Promise<void> = Promise.resolve();
  private interval?: NodeJS.Timeout;

  constructor(
    private readonly clock: Clock,
    private readonly log: (line: string) => void,
  ) {}

  add(name: string, schedule: string, run: LocalTimer['run']): void {
    this.timers.push({ name, schedule, run, lastRun: this.clock.now() });
  }

  /** Runs every timer that is due by the clock; ticks queue behind each other, so none runs twice for one time. */
  tick(): Promise<void> {
    this.ticking = this.ticking.then(() => this.runDue());
    return this.ticking;
  }

  /** Ticks every `everyMs` of real time as well, for a suite left running. */
  start(everyMs: number): void {
    this.interval = setInterval(() => void this.tick(), everyMs);
    this.interval.unref();
  }

  stop(): void {
    clearInterval(this.interval);
  }

  private async runDue(): Promise<void> {
    const now = this.clock.now();
    for (const timer of this.timers) {
      const next = CronExpressionParser.parse(timer.schedule, { currentDate: timer.lastRun, tz: 'UTC' }).next().toDate();
      if (next > now) continue;
      const isPastDue = CronExpressionParser.parse(timer.schedule, { currentDate: next, tz: 'UTC' }).next().toDate() <= now;
      timer.lastRun = now;
      await timer.run({ isPastDue }).catch((error: unknown) => this.log(`${timer.name}: ${(error as Error).stack ?? String(error)}`));
    }
  }
}
