import { z } from 'zod';
import { addDays, isValidTimeZone, isoWeekday, zonedClock, type CivilDate, type ZonedClock } from './zonedTime';

const timeOfDaySchema = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected a time of day as HH:MM (00:00 to 23:59)')
  .transform((time) => {
    const [hour, minute] = time.split(':').map(Number);
    return { hour: hour!, minute: minute! };
  });

const timeZoneSchema = z.string().refine(isValidTimeZone, { message: 'unknown IANA time zone' });

const weekdaysSchema = z.array(z.int().min(1).max(7)).min(1).describe('ISO weekdays, 1 = Monday … 7 = Sunday');

const dailyHoursFields = { start: timeOfDaySchema, end: timeOfDaySchema, days: weekdaysSchema };
type DailyHours = z.output<z.ZodObject<typeof dailyHoursFields>>;
const endsAfterStart = (hours: DailyHours) => hours.start.hour * 60 + hours.start.minute < hours.end.hour * 60 + hours.end.minute;
const endsAfterStartIssue = { message: 'working hours must end after they start', path: ['end'] };

const dailyHoursSchema = z.object(dailyHoursFields).refine(endsAfterStart, endsAfterStartIssue);

const instantSchema = z.iso.datetime({ offset: true }).transform((iso) => Date.parse(iso));

/** When someone is open for meetings: the same hours on each listed weekday, in one time zone. */
export const workingHoursSchema = z.object({ ...dailyHoursFields, timeZone: timeZoneSchema }).refine(endsAfterStart, endsAfterStartIssue);
export type WorkingHours = z.input<typeof workingHoursSchema>;

/** Hours the prospect is assumed to take meetings when only their time zone is known. */
export const defaultProspectHours: z.input<typeof dailyHoursSchema> = { start: '08:00', end: '18:00', days: [1, 2, 3, 4, 5] };

export const slotSearchSchema = z.object({
  from: z.date(),
  /** Calendar days to search, counting the day `from` falls on in the rep's zone. */
  days: z.int().min(1).max(60),
  workingHours: workingHoursSchema,
  /** The rep's calendar: intervals that are not free, as UTC ISO instants. */
  busy: z.array(z.object({ start: instantSchema, end: instantSchema })),
  durationMinutes: z.int().min(5).max(480),
  /** Free time kept on both sides of every busy interval. */
  bufferMinutes: z.int().min(0).max(240).default(0),
  /** How soon after `from` the first meeting may start. */
  minimumNoticeMinutes: z.int().min(0).default(0),
  /** Spacing of candidate start times, counted from the start of the working day; defaults to the duration. */
  stepMinutes: z.int().min(5).max(480).optional(),
  prospectTimeZone: timeZoneSchema.optional(),
  /** The prospect's hours in their own zone; assumed to be `defaultProspectHours` when not given. */
  prospectWorkingHours: dailyHoursSchema.prefault(defaultProspectHours),
});
export type SlotSearch = z.input<typeof slotSearchSchema>;

export interface TimeSlot {
  /** UTC ISO instant. */
  start: string;
  /** UTC ISO instant. */
  end: string;
}

const minuteMs = 60_000;

/**
 * Free meeting slots on the rep's calendar, as UTC instants in chronological order.
 *
 * A slot lies within the rep's working hours on a working day (in the rep's zone, so DST changes move the
 * instants, not the wall-clock hours), starts at least the minimum notice after `from`, and keeps the buffer
 * clear of every busy interval. When the prospect's time zone is known, only the slots that also fall within
 * the prospect's hours are returned; if none do, all of the rep's free slots are returned, so the rep still
 * has times to propose.
 */
export function findFreeSlots(search: SlotSearch): TimeSlot[] {
  const parsed = slotSearchSchema.safeParse(search);
  if (!parsed.success) throw new Error(`Invalid slot search: ${z.prettifyError(parsed.error)}`);
  const input = parsed.data;

  const repClock = zonedClock(input.workingHours.timeZone);
  const duration = input.durationMinutes * minuteMs;
  const step = (input.stepMinutes ?? input.durationMinutes) * minuteMs;
  const buffer = input.bufferMinutes * minuteMs;
  const earliestStart = input.from.getTime() + input.minimumNoticeMinutes * minuteMs;
  const blocked = input.busy.map((interval) => ({ start: interval.start - buffer, end: interval.end + buffer }));

  const free: { start: number; end: number }[] = [];
  for (const window of workingWindows(repClock, input.workingHours, input.from.getTime(), input.days)) {
    for (let start = window.start; start + duration <= window.end; start += step) {
      const end = start + duration;
      if (start < earliestStart) continue;
      if (blocked.some((interval) => start < interval.end && end > interval.start)) continue;
      free.push({ start, end });
    }
  }

  const prospectClock = input.prospectTimeZone ? zonedClock(input.prospectTimeZone) : undefined;
  const preferred = prospectClock ? free.filter((slot) => withinHours(prospectClock, input.prospectWorkingHours, slot)) : free;
  const chosen = preferred.length > 0 ? preferred : free;
  return chosen.map((slot) => ({ start: new Date(slot.start).toISOString(), end: new Date(slot.end).toISOString() }));
}

/** The working-hour intervals, as instants, of each working day from the day of `from` on. */
function workingWindows(clock: ZonedClock, hours: DailyHours, from: number, days: number): { start: number; end: number }[] {
  const firstDay: CivilDate = clock.wallClockAt(from);
  const windows: { start: number; end: number }[] = [];
  for (let offset = 0; offset < days; offset += 1) {
    const date = addDays(firstDay, offset);
    if (!hours.days.includes(isoWeekday(date))) continue;
    windows.push({ start: clock.instantAt({ ...date, ...hours.start }), end: clock.instantAt({ ...date, ...hours.end }) });
  }
  return windows;
}

function withinHours(clock: ZonedClock, hours: DailyHours, slot: { start: number; end: number }): boolean {
  const startWall = clock.wallClockAt(slot.start);
  if (!hours.days.includes(isoWeekday(startWall))) return false;
  const dayStart = clock.instantAt({ ...startWall, ...hours.start });
  const dayEnd = clock.instantAt({ ...startWall, ...hours.end });
  return slot.start >= dayStart && slot.end <= dayEnd;
}
