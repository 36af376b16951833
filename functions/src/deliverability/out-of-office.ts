import { addBusinessDays } from '@asep/shared/sequence/business-days';
import { zonedClock } from '@asep/shared/scheduling/zonedTime';

/** Sequences resume at the start of a working morning in the prospect's own time zone. */
const resumeHour = 9;

/**
 * When the sequences of someone out of office resume: 09:00 their time on the business day after they are back
 * (their first day back belongs to their inbox), or `defaultPauseBusinessDays` business days from now when the
 * reply names no return date.
 */
export function resumeAfterAbsence(returnDate: string | undefined, timeZone: string, now: Date, defaultPauseBusinessDays: number): Date {
  const zone = zonedClock(timeZone);
  // Noon on the return date: stepping whole days from there never crosses midnight, whatever the clocks do.
  const from = returnDate ? new Date(zone.instantAt({ ...calendarDay(returnDate), hour: 12, minute: 0 })) : now;
  const day = zone.wallClockAt(addBusinessDays(from, returnDate ? 1 : defaultPauseBusinessDays, timeZone).getTime());
  return new Date(zone.instantAt({ ...day, hour: resumeHour, minute: 0 }));
}

function calendarDay(isoDate: string): { year: number; month: number; day: number } {
  const [year, month, day] = isoDate.split('-').map(Number);
  return { year: year!, month: month!, day: day! };
}
