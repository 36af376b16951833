import { describe, expect, it } from 'vitest';
import { findFreeSlots, type SlotSearch, type WorkingHours } from './slots';

const everyDay = [1, 2, 3, 4, 5, 6, 7];
const weekdays = [1, 2, 3, 4, 5];

function berlinHours(overrides: Partial<WorkingHours> = {}): WorkingHours {
  return { timeZone: 'Europe/Berlin', start: '09:00', end: '17:00', days: weekdays, ...overrides };
}

function search(overrides: Partial<SlotSearch>): SlotSearch {
  return { from: new Date('2025-06-02T00:00:00Z'), days: 1, workingHours: berlinHours(), busy: [], durationMinutes: 30, ...overrides };
}

const starts = (slots: { start: string }[]) => slots.map((slot) => slot.start);

describe('findFreeSlots', () => {
  it('offers back-to-back slots across the working day, as UTC instants', () => {
    const slots = findFreeSlots(search({ workingHours: berlinHours({ start: '09:00', end: '11:00' }) }));

    // June: Berlin is on CEST (UTC+2)
    expect(slots).toEqual([
      { start: '2025-06-02T07:00:00.000Z', end: '2025-06-02T07:30:00.000Z' },
      { start: '2025-06-02T07:30:00.000Z', end: '2025-06-02T08:00:00.000Z' },
      { start: '2025-06-02T08:00:00.000Z', end: '2025-06-02T08:30:00.000Z' },
      { start: '2025-06-02T08:30:00.000Z', end: '2025-06-02T09:00:00.000Z' },
    ]);
  });

  it('keeps 09:00 Berlin time on both sides of the spring-forward change in March', () => {
    const slots = findFreeSlots(
      search({
        from: new Date('2025-03-28T00:00:00Z'),
        days: 4,
        workingHours: berlinHours({ start: '09:00', end: '10:00' }),
        durationMinutes: 60,
      }),
    );

    // Friday 28 March on CET (UTC+1); Monday 31 March on CEST (UTC+2); the weekend is off.
    expect(starts(slots)).toEqual(['2025-03-28T08:00:00.000Z', '2025-03-31T07:00:00.000Z']);
  });

  it('keeps 09:00 Berlin time on both sides of the fall-back change in October', () => {
    const slots = findFreeSlots(
      search({
        from: new Date('2025-10-24T00:00:00Z'),
        days: 4,
        workingHours: berlinHours({ start: '09:00', end: '10:00' }),
        durationMinutes: 60,
      }),
    );

    expect(starts(slots)).toEqual(['2025-10-24T07:00:00.000Z', '2025-10-27T08:00:00.000Z']);
  });

  it('counts real hours on the night the clocks skip from 02:00 to 03:00', () => {
    const slots = findFreeSlots(
      search({
        from: new Date('2025-03-29T23:00:00Z'),
        days: 1,
        workingHours: berlinHours({ start: '01:00', end: '04:00', days: everyDay }),
        durationMinutes: 60,
      }),
    );

    // 01:00 CET to 04:00 CEST is two real hours.
    expect(slots).toEqual([
      { start: '2025-03-30T00:00:00.000Z', end: '2025-03-30T01:00:00.000Z' },
      { start: '2025-03-30T01:00:00.000Z', end: '2025-03-30T02:00:00.000Z' },
    ]);
  });

  it('counts real hours on the night the clocks repeat 02:00 to 03:00', () => {
    const slots = findFreeSlots(
      search({
        from: new Date('2025-10-25T22:00:00Z'),
        days: 1,
        workingHours: berlinHours({ start: '01:00', end: '04:00', days: everyDay }),
        durationMinutes: 60,
      }),
    );

    // 01:00 CEST to 04:00 CET is four real hours.
    expect(starts(slots)).toEqual(['2025-10-25T23:00:00.000Z', '2025-10-26T00:00:00.000Z', '2025-10-26T01:00:00.000Z', '2025-10-26T02:00:00.000Z']);
  });

  it('follows New York working hours across the March and November changes', () => {
    const newYork = { timeZone: 'America/New_York', start: '09:00', end: '10:00', days: weekdays };
    const march = findFreeSlots(search({ from: new Date('2025-03-07T12:00:00Z'), days: 4, workingHours: newYork, durationMinutes: 60 }));
    const november = findFreeSlots(search({ from: new Date('2025-10-31T12:00:00Z'), days: 4, workingHours: newYork, durationMinutes: 60 }));

    // Friday 7 March EST (UTC-5), then Monday 10 March EDT (UTC-4); the reverse in November.
    expect(starts(march)).toEqual(['2025-03-07T14:00:00.000Z', '2025-03-10T13:00:00.000Z']);
    expect(starts(november)).toEqual(['2025-10-31T13:00:00.000Z', '2025-11-03T14:00:00.000Z']);
  });

  it('leaves out slots that overlap a busy interval or its buffer', () => {
    const slots = findFreeSlots(
      search({
        workingHours: berlinHours({ start: '09:00', end: '12:00' }),
        busy: [{ start: '2025-06-02T08:00:00Z', end: '2025-06-02T08:30:00Z' }],
        bufferMinutes: 15,
      }),
    );

    // Busy 10:00–10:30 Berlin, buffered to 09:45–10:45: 09:30, 10:00 and 10:30 are gone.
    expect(starts(slots)).toEqual(['2025-06-02T07:00:00.000Z', '2025-06-02T09:00:00.000Z', '2025-06-02T09:30:00.000Z']);
  });

  it('starts no sooner than the minimum notice after now', () => {
    const slots = findFreeSlots(
      search({
        from: new Date('2025-06-02T07:10:00Z'),
        workingHours: berlinHours({ start: '09:00', end: '11:00' }),
        minimumNoticeMinutes: 60,
      }),
    );

    expect(starts(slots)).toEqual(['2025-06-02T08:30:00.000Z']);
  });

  it('skips days off and searches the given number of calendar days', () => {
    const slots = findFreeSlots(
      search({
        from: new Date('2025-06-06T00:00:00Z'), // Friday
        days: 3,
        workingHours: berlinHours({ start: '09:00', end: '09:30' }),
      }),
    );

    expect(starts(slots)).toEqual(['2025-06-06T07:00:00.000Z']);
  });

  it('prefers slots inside the prospect’s 08:00–18:00 when their time zone is known', () => {
    const slots = findFreeSlots(
      search({
        workingHours: berlinHours({ start: '09:00', end: '17:00' }),
        durationMinutes: 60,
        prospectTimeZone: 'America/New_York',
      }),
    );

    // 08:00 in New York is 14:00 in Berlin in June.
    expect(starts(slots)).toEqual(['2025-06-02T12:00:00.000Z', '2025-06-02T13:00:00.000Z', '2025-06-02T14:00:00.000Z']);
  });

  it('offers all of the rep’s free slots when none falls inside the prospect’s hours', () => {
    const slots = findFreeSlots(
      search({
        workingHours: berlinHours({ start: '09:00', end: '11:00' }),
        durationMinutes: 60,
        prospectTimeZone: 'Pacific/Auckland', // 19:00–21:00 there
      }),
    );

    expect(starts(slots)).toEqual(['2025-06-02T07:00:00.000Z', '2025-06-02T08:00:00.000Z']);
  });

  it('rejects malformed searches with a message naming each problem', () => {
    expect(() =>
      findFreeSlots(search({ days: 0, workingHours: { timeZone: 'Mars/Olympus_Mons', start: '9am', end: '17:00', days: [8] } })),
    ).toThrowError(/days[\s\S]*time of day as HH:MM[\s\S]*unknown IANA time zone/);
    expect(() => findFreeSlots(search({ workingHours: berlinHours({ start: '17:00', end: '09:00' }) }))).toThrowError(/end after they start/);
    expect(() => findFreeSlots(search({ busy: [{ start: 'tomorrow', end: '2025-06-02T08:00:00Z' }] }))).toThrowError(/busy/);
  });
});
