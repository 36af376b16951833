import { describe, expect, it } from 'vitest';
import { TeamsRateLimits, teamsLimits, TokenBucket } from './rate-limits';

describe('TokenBucket', () => {
  it('lets a burst through at once, then spaces what follows at the refill rate', () => {
    let now = 0;
    const bucket = new TokenBucket(teamsLimits.conversation.perSecond, teamsLimits.conversation.burst, () => now);
    const waits = Array.from({ length: 8 }, () => bucket.reserve());
    expect(waits).toEqual([0, 0, 0, 0, 0, 0, 1000, 2000]);
    now = 10_000;
    expect(bucket.isIdle()).toBe(true);
    expect(bucket.reserve()).toBe(0);
  });

  it('keeps every published Teams window for one conversation: 7 in 1 s, 8 in 2 s, 60 in 30 s', () => {
    // Everything asked for at t=0: each reservation's wait is when that message may go.
    const bucket = new TokenBucket(teamsLimits.conversation.perSecond, teamsLimits.conversation.burst, () => 0);
    const sendTimes = Array.from({ length: 100 }, () => bucket.reserve());
    const inWindow = (start: number, length: number) => sendTimes.filter((time) => time >= start && time < start + length).length;
    for (let start = 0; start < 60_000; start += 250) {
      expect(inWindow(start, 1_000)).toBeLessThanOrEqual(7);
      expect(inWindow(start, 2_000)).toBeLessThanOrEqual(8);
      expect(inWindow(start, 30_000)).toBeLessThanOrEqual(60);
    }
  });
});

describe('TeamsRateLimits', () => {
  it('holds a conversation that used its burst, without holding other conversations', async () => {
    const limits = new TeamsRateLimits({ conversation: { perSecond: 10, burst: 2 }, tenant: { perSecond: 1000, burst: 1000 } });
    const started = performance.now();
    await Promise.all([limits.acquire('t1', 'busy'), limits.acquire('t1', 'busy'), limits.acquire('t1', 'quiet')]);
    expect(performance.now() - started).toBeLessThan(50);
    await limits.acquire('t1', 'busy');
    expect(performance.now() - started).toBeGreaterThanOrEqual(90);
  });

  it('holds every conversation of a tenant once the tenant used its share', async () => {
    const limits = new TeamsRateLimits({ conversation: { perSecond: 1000, burst: 1000 }, tenant: { perSecond: 10, burst: 2 } });
    const started = performance.now();
    await Promise.all([limits.acquire('t1', 'a'), limits.acquire('t1', 'b'), limits.acquire('t2', 'c')]);
    expect(performance.now() - started).toBeLessThan(50);
    await limits.acquire('t1', 'd');
    expect(performance.now() - started).toBeGreaterThanOrEqual(90);
  });
});
