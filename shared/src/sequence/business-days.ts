import { isPublicHoliday } from '../scheduling/holidays';
import { addDays, isValidTimeZone, isoWeekday, zonedClock, type CivilDate } from '../scheduling/zonedTime';

/** A working day where the prospect lives: Monday to Friday, and not a public holiday of their country. */
export function isBusinessDay(date: CivilDate, country?: string): boolean {
  return isoWeekday(date) <= 5 && !isPublicHoliday(date, country);
}

/**
 * Adds business days as the prospect lives them: weekends in their own time zone and their country's public holidays
 * do not count. The wall-clock time is kept (a wait from Friday 10:00 ends on a weekday at 10:00 there, across DST).
 */
export function addBusinessDays(start: Date, days: number, timeZone = 'UTC', country?: string): Date {
  const clock = zonedClock(isValidTimeZone(timeZone) ? timeZone : 'UTC');
  const wall = clock.wallClockAt(start.getTime());
  let date: CivilDate = wall;
  let remaining = days;
  while (remaining > 0) {
    date = addDays(date, 1);
    if (isBusinessDay(date, country)) remaining -= 1;
  }
  return new Date(clock.instantAt({ ...date, hour: wall.hour, minute: wall.minute }) + (start.getTime() % 60_000));
}
