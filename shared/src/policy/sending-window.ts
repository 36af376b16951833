import { addDays, isoWeekday, isValidTimeZone, zonedClock, type CivilDate, type WallClock, type ZonedClock } from '../scheduling/zonedTime';
import { isPublicHoliday } from '../scheduling/holidays';
import { weekdayNames, type PolicyRules } from './document';

type SendingWindow = PolicyRules['sendingWindow'];

const quarterHourMs = 900_000;

/**
 * A zone's clock with its UTC offset remembered per quarter hour: zones change offset only on quarter-hour
 * instants, so one costly `Intl` reading serves every decision in the same quarter hour.
 */
interface ZoneReader {
  clock: ZonedClock;
  offsets: Map<number, number>;
}

const readers = new Map<string, ZoneReader | null>();

/** Null for a zone that does not exist. */
function readerFor(timeZone: string): ZoneReader | null {
  let reader = readers.get(timeZone);
  if (reader === undefined) {
    reader = isValidTimeZone(timeZone) ? { clock: zonedClock(timeZone), offsets: new Map() } : null;
    readers.set(timeZone, reader);
  }
  return reader;
}

function wallClockAt(reader: ZoneReader, instant: number): WallClock {
  const quarter = Math.floor(instant / quarterHourMs);
  let offset = reader.offsets.get(quarter);
  if (offset === undefined) {
    const start = quarter * quarterHourMs;
    const wall = reader.clock.wallClockAt(start);
    offset = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute) - start;
    if (reader.offsets.size > 10_000) reader.offsets.clear();
    reader.offsets.set(quarter, offset);
  }
  const local = new Date(instant + offset);
  return {
    year: local.getUTCFullYear(),
    month: local.getUTCMonth() + 1,
    day: local.getUTCDate(),
    hour: local.getUTCHours(),
    minute: local.getUTCMinutes(),
  };
}

function minutesOf(time: string): number {
  return Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));
}

const pad = (value: number) => String(value).padStart(2, '0');
const dayName = (date: CivilDate) => weekdayNames[isoWeekday(date) - 1]!;

export interface WindowDeferral {
  /** The next moment the window opens, as epoch milliseconds. */
  retryAt: number;
  message: string;
}

/**
 * Whether `now` falls inside the sending window in the recipient's time zone; when it does not, the window's
 * next opening. A recipient without a known (or with an invalid) zone is read in the policy's fallback zone.
 */
export function sendingWindowDeferral(
  now: number,
  recipientTimeZone: string | undefined,
  window: SendingWindow,
  /** The recipient's country, whose public holidays are no business days when the window skips them. */
  holidayCountry?: string,
): WindowDeferral | undefined {
  const own = recipientTimeZone ? readerFor(recipientTimeZone) : null;
  const reader = own ?? readerFor(window.fallbackTimeZone) ?? readerFor('UTC')!;
  const wall = wallClockAt(reader, now);
  const minute = wall.hour * 60 + wall.minute;
  const start = minutesOf(window.start);
  const end = minutesOf(window.end);
  const isOpenDay = (date: CivilDate) => window.days.includes(dayName(date)) && !(window.skipPublicHolidays && isPublicHoliday(date, holidayCountry));
  if (minute >= start && minute < end && isOpenDay(wall)) return undefined;

  // Two weeks: long enough for a holiday season (Christmas to New Year) after a weekend.
  for (let offset = 0; offset <= 14; offset += 1) {
    const date = addDays(wall, offset);
    if ((offset === 0 && minute >= start) || !isOpenDay(date)) continue;
    const opening = reader.clock.instantAt({ ...date, hour: Math.floor(start / 60), minute: start % 60 });
    if (opening > now) {
      const zone = own ? reader.clock.timeZone : `${reader.clock.timeZone}, their own zone being unknown`;
      return {
        retryAt: opening,
        message: `It is ${dayName(wall)} ${pad(wall.hour)}:${pad(wall.minute)} for the recipient (${zone}); emails go out ${window.days.join(', ')} ${window.start}–${window.end} their time.`,
      };
    }
  }
  throw new Error('A sending window with at least one day always opens within two weeks');
}
