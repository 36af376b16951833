import { describe, expect, it } from 'vitest';
import { zonedClock } from './zonedTime';

describe('zonedClock', () => {
  const berlin = zonedClock('Europe/Berlin');

  it('reads the wall clock of a zone at an instant', () => {
    expect(berlin.wallClockAt(Date.parse('2025-03-30T00:59:00Z'))).toEqual({ year: 2025, month: 3, day: 30, hour: 1, minute: 59 });
    expect(berlin.wallClockAt(Date.parse('2025-03-30T01:00:00Z'))).toEqual({ year: 2025, month: 3, day: 30, hour: 3, minute: 0 });
  });

  it('moves a time skipped by the spring-forward change forward by the gap', () => {
    expect(new Date(berlin.instantAt({ year: 2025, month: 3, day: 30, hour: 2, minute: 30 })).toISOString()).toBe('2025-03-30T01:30:00.000Z');
  });

  it('resolves a time repeated by the fall-back change to its first occurrence', () => {
    expect(new Date(berlin.instantAt({ year: 2025, month: 10, day: 26, hour: 2, minute: 30 })).toISOString()).toBe('2025-10-26T00:30:00.000Z');
  });

  it('handles zones with half-hour offsets and zones south of the equator', () => {
    expect(new Date(zonedClock('Asia/Kolkata').instantAt({ year: 2025, month: 1, day: 15, hour: 9, minute: 0 })).toISOString()).toBe(
      '2025-01-15T03:30:00.000Z',
    );
    expect(new Date(zonedClock('Australia/Sydney').instantAt({ year: 2025, month: 1, day: 15, hour: 9, minute: 0 })).toISOString()).toBe(
      '2025-01-14T22:00:00.000Z',
    );
  });
});
