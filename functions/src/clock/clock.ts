export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** The local suite's clock: real time plus an offset a developer can move forward to fire waits early. */
export class AdjustableClock implements Clock {
  private offsetMs = 0;

  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }

  advance(ms: number): void {
    this.offsetMs += ms;
  }
}
