/** At most `limit` requests may start in any window of `windowMs`. */
class SlidingWindow {
  private readonly starts: number[] = [];

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
  ) {}

  /** Milliseconds until one more request fits; 0 when it fits now. */
  waitMs(now: number): number {
    while (this.starts.length > 0 && this.starts[0]! <= now - this.windowMs) this.starts.shift();
    return this.starts.length < this.limit ? 0 : this.starts[0]! + this.windowMs - now;
  }

  record(now: number): void {
    this.starts.push(now);
  }
}

export interface HubSpotLimits {
  /** Requests per `windowMs` per portal (OAuth apps: 110 per 10 s). */
  requests: number;
  windowMs: number;
  /** CRM search requests per second per portal (5), on top of the general limit. */
  searchesPerSecond: number;
}

export const hubSpotLimits: HubSpotLimits = { requests: 110, windowMs: 10_000, searchesPerSecond: 5 };

/**
 * HubSpot's per-portal limits, kept by this process. The SDK's own limiter only spaces calls and ignores Retry-After;
 * this one waits for a free slot instead. Several instances of the app share a portal's budget without knowing of
 * each other, so a 429 can still happen: the request layer retries it.
 */
export class HubSpotRateLimiter {
  private readonly portals = new Map<number, { all: SlidingWindow; search: SlidingWindow }>();

  constructor(
    private readonly limits: HubSpotLimits = hubSpotLimits,
    private readonly now: () => number = Date.now,
  ) {}

  async acquire(hubId: number, search: boolean): Promise<void> {
    const windows = this.windowsOf(hubId);
    for (;;) {
      const now = this.now();
      const wait = Math.max(windows.all.waitMs(now), search ? windows.search.waitMs(now) : 0);
      if (wait === 0) {
        windows.all.record(now);
        if (search) windows.search.record(now);
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }

  private windowsOf(hubId: number) {
    let windows = this.portals.get(hubId);
    if (!windows) {
      windows = {
        all: new SlidingWindow(this.limits.requests, this.limits.windowMs),
        search: new SlidingWindow(this.limits.searchesPerSecond, 1000),
      };
      this.portals.set(hubId, windows);
    }
    return windows;
  }
}
