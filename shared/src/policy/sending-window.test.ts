import { describe, expect, it } from 'vitest';
import { policyRulesSchema } from './document';
import { sendingWindowDeferral } from './sending-window';

const window = (overrides: Record<string, unknown> = {}) => policyRulesSchema.parse({ sendingWindow: { enabled: true, ...overrides } }).sendingWindow;
const at = (iso: string) => Date.parse(iso);
const opening = (iso: string, timeZone: string | undefined, overrides?: Record<string, unknown>) => {
  const deferral = sendingWindowDeferral(at(iso), timeZone, window(overrides));
  return deferral && new Date(deferral.retryAt).toISOString();
};

describe('the sending window, in the recipient’s time', () => {
  it('lets a send go during business hours on a weekday where the recipient is', () => {
    expect(sendingWindowDeferral(at('2025-03-12T15:30:00Z'), 'America/New_York', window())).toBeUndefined();
    expect(sendingWindowDeferral(at('2025-03-12T07:00:00Z'), 'Europe/Berlin', window())).toBeUndefined();
  });

  it('closes at the end time: 18:00 is outside a window that ends at 18:00', () => {
    expect(opening('2025-03-12T17:00:00Z', 'Europe/Berlin')).toBe('2025-03-13T07:00:00.000Z');
  });

  it('defers a Saturday send to Monday morning in the recipient’s zone', () => {
    expect(opening('2025-03-15T14:00:00Z', 'America/New_York')).toBe('2025-03-17T12:00:00.000Z');
  });

  it('defers an early-morning send to the same morning’s opening', () => {
    expect(opening('2025-03-12T23:00:00Z', 'Asia/Tokyo', { start: '09:30' })).toBe('2025-03-13T00:30:00.000Z');
    expect(opening('2025-03-11T22:00:00Z', 'Asia/Tokyo', { start: '09:30' })).toBe('2025-03-12T00:30:00.000Z');
  });

  it('holds a send on a public holiday of the recipient’s country to the next business day', () => {
    // Friday 25 December 2026, 11:00 in Chicago: Christmas Day; the window opens again on Monday 28 December.
    const christmas = at('2026-12-25T17:00:00Z');
    expect(new Date(sendingWindowDeferral(christmas, 'America/Chicago', window(), 'US')!.retryAt).toISOString()).toBe('2026-12-28T14:00:00.000Z');
    expect(sendingWindowDeferral(at('2026-11-26T10:00:00Z'), 'Europe/Berlin', window(), 'DE')).toBeUndefined();
    expect(sendingWindowDeferral(christmas, 'America/Chicago', window({ skipPublicHolidays: false }), 'US')).toBeUndefined();
  });

  it('follows daylight saving time: the opening after the spring change is an hour earlier in UTC', () => {
    expect(opening('2025-03-07T23:00:00Z', 'America/New_York')).toBe('2025-03-10T12:00:00.000Z');
    expect(opening('2025-03-01T23:00:00Z', 'America/New_York')).toBe('2025-03-03T13:00:00.000Z');
  });

  it('reads a recipient with no or an unknown zone in the policy’s fallback zone, and says so', () => {
    const deferral = sendingWindowDeferral(at('2025-03-12T20:00:00Z'), 'Mars/Olympus', window({ fallbackTimeZone: 'Europe/London' }));
    expect(new Date(deferral!.retryAt).toISOString()).toBe('2025-03-13T08:00:00.000Z');
    expect(deferral!.message).toContain('Europe/London, their own zone being unknown');
    expect(opening('2025-03-12T20:00:00Z', undefined)).toBe('2025-03-13T08:00:00.000Z');
  });

  it('honours the days the policy names', () => {
    expect(opening('2025-03-12T10:00:00Z', 'UTC', { days: ['sat'] })).toBe('2025-03-15T08:00:00.000Z');
    expect(sendingWindowDeferral(at('2025-03-15T10:00:00Z'), 'UTC', window({ days: ['sat'] }))).toBeUndefined();
  });
});
