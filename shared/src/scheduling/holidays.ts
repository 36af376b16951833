import Holidays from 'date-holidays';
import { getTimezone } from 'countries-and-timezones';
import type { CivilDate } from './zonedTime';

/** Public holidays by country and year, as `YYYY-MM-DD` local dates; date-holidays computes each year once. */
const publicHolidays = new Map<string, Set<string>>();
const calendars = new Map<string, Holidays | null>();
let knownCountries: Record<string, string> | undefined;

/** Null for a country date-holidays has no calendar for. */
function calendarFor(country: string): Holidays | null {
  let calendar = calendars.get(country);
  if (calendar === undefined) {
    knownCountries ??= new Holidays().getCountries();
    calendar = knownCountries[country] ? new Holidays(country) : null;
    calendars.set(country, calendar);
  }
  return calendar;
}

const isoDate = (date: CivilDate) => `${date.year}-${String(date.month).padStart(2, '0')}-${String(date.day).padStart(2, '0')}`;

/**
 * The country whose public holidays a prospect keeps: their region when it is an ISO country code date-holidays
 * knows (US, DE), else the country of their time zone (America/Chicago → US); undefined when neither says.
 */
export function holidayCountry(prospect: { region?: string; timeZone?: string }): string | undefined {
  const region = prospect.region?.trim().toUpperCase();
  if (region && /^[A-Z]{2}$/.test(region) && calendarFor(region)) return region;
  const countries = prospect.timeZone ? getTimezone(prospect.timeZone)?.countries : undefined;
  return countries?.find((code) => calendarFor(code));
}

/** Whether `date` is a public holiday (a day off by law, not an observance) in `country`. */
export function isPublicHoliday(date: CivilDate, country: string | undefined): boolean {
  if (!country) return false;
  const key = `${country}:${date.year}`;
  let days = publicHolidays.get(key);
  if (!days) {
    const calendar = calendarFor(country);
    const holidays = calendar ? calendar.getHolidays(date.year) : [];
    days = new Set(holidays.filter((holiday) => holiday.type === 'public').map((holiday) => holiday.date.slice(0, 10)));
    publicHolidays.set(key, days);
  }
  return days.has(isoDate(date));
}
