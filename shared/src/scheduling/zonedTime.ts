/** A wall-clock reading in some time zone, without the zone: what a clock on the wall there shows. */
export interface WallClock {
  year: number;
  /** 1..12 */
  month: number;
  day: number;
  hour: number;
  minute: number;
}

/** A calendar date, independent of any time zone. */
export type CivilDate = Pick<WallClock, 'year' | 'month' | 'day'>;

const minuteMs = 60_000;
const dayMs = 86_400_000;

/**
 * Time-zone arithmetic over UTC instants with nothing but `Intl.DateTimeFormat`.
 * One instance per zone keeps the (costly) formatter for every conversion in that zone.
 */
export interface ZonedClock {
  readonly timeZone: string;
  /** What the clock in this zone shows at `instant` (seconds dropped). */
  wallClockAt(instant: number): WallClock;
  /**
   * The instant at which the clock in this zone shows `wall`. Follows Temporal's "compatible" rule: a time
   * skipped by a spring-forward change moves forward by the gap; a time repeated by a fall-back change
   * resolves to its first (earlier) occurrence.
   */
  instantAt(wall: WallClock): number;
}

/** Answers per zone name, remembered: building an Intl.DateTimeFormat to find out costs far more than the lookup. */
const knownTimeZones = new Map<string, boolean>();

export function isValidTimeZone(timeZone: string): boolean {
  const known = knownTimeZones.get(timeZone);
  if (known !== undefined) return known;
  let valid: boolean;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    valid = true;
  } catch {
    valid = false;
  }
  if (knownTimeZones.size < 1_000) knownTimeZones.set(timeZone, valid);
  return valid;
}

/** Clocks already built, per zone: building the formatter costs far more than any conversion with it. */
const zonedClocks = new Map<string, ZonedClock>();

/** The clock of `timeZone`, built once per zone (at most 1,000 zones are kept). */
export function zonedClock(timeZone: string): ZonedClock {
  const known = zonedClocks.get(timeZone);
  if (known) return known;
  const clock = buildZonedClock(timeZone);
  if (zonedClocks.size < 1_000) zonedClocks.set(timeZone, clock);
  return clock;
}

function buildZonedClock(timeZone: string): ZonedClock {
  const format = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
  });

  function wallClockAt(instant: number): WallClock {
    const parts: Record<string, number> = {};
    for (const part of format.formatToParts(instant)) {
      if (part.type !== 'literal') parts[part.type] = Number(part.value);
    }
    return { year: parts.year!, month: parts.month!, day: parts.day!, hour: parts.hour!, minute: parts.minute! };
  }

  /** Minutes this zone is ahead of UTC at `instant`. */
  function offsetMinutesAt(instant: number): number {
    const wall = wallClockAt(instant);
    const flooredInstant = Math.floor(instant / minuteMs) * minuteMs;
    return Math.round((wallAsUtc(wall) - flooredInstant) / minuteMs);
  }

  function instantAt(wall: WallClock): number {
    const asUtc = wallAsUtc(wall);
    // Any transition near `wall` lies between these two offsets; zones change offset at most once a day.
    const offsetBefore = offsetMinutesAt(asUtc - dayMs);
    const offsetAfter = offsetMinutesAt(asUtc + dayMs);
    const readings = [offsetBefore, offsetAfter]
      .map((offset) => asUtc - offset * minuteMs)
      .filter((instant) => wallAsUtc(wallClockAt(instant)) === asUtc)
      .sort((a, b) => a - b);
    // No reading shows `wall`: it falls in a spring-forward gap. The offset in force before the gap carries it
    // forward by the gap's length, as a clock that was not moved yet would.
    return readings[0] ?? asUtc - offsetBefore * minuteMs;
  }

  return { timeZone, wallClockAt, instantAt };
}

function wallAsUtc(wall: WallClock): number {
  return Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute);
}

export function addDays(date: CivilDate, days: number): CivilDate {
  const moved = new Date(Date.UTC(date.year, date.month - 1, date.day + days));
  return { year: moved.getUTCFullYear(), month: moved.getUTCMonth() + 1, day: moved.getUTCDate() };
}

/** ISO weekday: 1 = Monday … 7 = Sunday. */
export function isoWeekday(date: CivilDate): number {
  const weekday = new Date(Date.UTC(date.year, date.month - 1, date.day)).getUTCDay();
  return weekday === 0 ? 7 : weekday;
}
