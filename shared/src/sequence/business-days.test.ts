import { describe, expect, it } from 'vitest';
import { holidayCountry } from '../scheduling/holidays';
import { addBusinessDays } from './business-days';

describe('waits in business days where the prospect lives', () => {
  it('skips the weekend and Christmas in the United States, keeping the local time of day', () => {
    // Thursday 24 December 2026, 10:00 in Chicago; Friday is Christmas Day.
    const end = addBusinessDays(new Date('2026-12-24T16:00:00Z'), 2, 'America/Chicago', 'US');
    expect(end.toISOString()).toBe('2026-12-29T16:00:00.000Z');
  });

  it("skips New Year's Day in Germany but not a US-only holiday", () => {
    // Thursday 31 December 2026, 09:00 in Berlin; Friday 1 January is a public holiday.
    expect(addBusinessDays(new Date('2026-12-31T08:00:00Z'), 1, 'Europe/Berlin', 'DE').toISOString()).toBe('2027-01-04T08:00:00.000Z');
    // Thanksgiving (Thursday 26 November 2026) is a working day in Germany.
    expect(addBusinessDays(new Date('2026-11-25T08:00:00Z'), 1, 'Europe/Berlin', 'DE').toISOString()).toBe('2026-11-26T08:00:00.000Z');
    expect(addBusinessDays(new Date('2026-11-25T15:00:00Z'), 1, 'America/New_York', 'US').toISOString()).toBe('2026-11-27T15:00:00.000Z');
  });

  it('ends at the same wall-clock time across a daylight-saving change', () => {
    // Friday 6 March 2026, 10:00 in New York (EST); clocks go forward on Sunday 8 March.
    expect(addBusinessDays(new Date('2026-03-06T15:00:00Z'), 1, 'America/New_York').toISOString()).toBe('2026-03-09T14:00:00.000Z');
  });

  it("reads the prospect's country from their region code, else from their time zone", () => {
    expect(holidayCountry({ region: 'de', timeZone: 'America/Chicago' })).toBe('DE');
    expect(holidayCountry({ region: 'EMEA', timeZone: 'America/Chicago' })).toBe('US');
    expect(holidayCountry({ timeZone: 'Asia/Tokyo' })).toBe('JP');
    expect(holidayCountry({})).toBeUndefined();
  });
});
