import { findIana } from 'windows-iana';
import { sha256 } from '@asep/shared/audit/chain';
import { isValidTimeZone } from '@asep/shared/scheduling/zonedTime';
import type { BusyInterval, CalendarProvider, MailboxWorkingHours, OnlineMeeting } from '../bookings/calendar-provider';
import type { Clock } from '../clock/clock';
import { segment, type GraphRequests } from './graph-requests';

interface DateTimeTimeZone {
  dateTime: string;
  timeZone?: string | null;
}

interface ScheduleInformation {
  scheduleId?: string | null;
  scheduleItems?: { status?: string | null; start?: DateTimeTimeZone | null; end?: DateTimeTimeZone | null }[] | null;
  error?: { message?: string | null; responseCode?: string | null } | null;
  workingHours?: {
    daysOfWeek?: string[] | null;
    startTime?: string | null;
    endTime?: string | null;
    timeZone?: { name?: string | null } | null;
  } | null;
}

const isoWeekdays: Record<string, number> = { monday: 1, tuesday: 2, wednesday: 3, thursday: 4, friday: 5, saturday: 6, sunday: 7 };

/** Exchange names zones the Windows way ("Pacific Standard Time") or, when set from a phone, the IANA way. */
function ianaZone(name: string | null | undefined): string | undefined {
  if (!name) return undefined;
  if (isValidTimeZone(name) && name.includes('/')) return name;
  return findIana(name)?.find(isValidTimeZone) ?? (isValidTimeZone(name) ? name : undefined);
}

/** The mailbox's working hours as getSchedule reports them from its settings; undefined when they are incomplete. */
function workingHoursOf(schedule: ScheduleInformation): MailboxWorkingHours | undefined {
  const hours = schedule.workingHours;
  const timeZone = ianaZone(hours?.timeZone?.name);
  const days = (hours?.daysOfWeek ?? []).map((day) => isoWeekdays[day.toLowerCase()]).filter((day): day is number => day !== undefined);
  if (!hours?.startTime || !hours.endTime || !timeZone || days.length === 0) return undefined;
  const start = hours.startTime.slice(0, 5);
  const end = hours.endTime.slice(0, 5);
  if (start >= end) return undefined;
  return { timeZone, workingHours: { start, end, days: [...new Set(days)].sort() } };
}

/** Every time ASEP sends or reads is UTC; Graph is told so with this header. */
const inUtc = { Prefer: 'outlook.timezone="UTC"' };

/** The statuses that keep a slot from being offered; `free` and `workingElsewhere` leave the rep available. */
const busyStatuses = new Set(['busy', 'tentative', 'oof', 'unknown']);

function utc(instant: string): DateTimeTimeZone {
  const date = new Date(instant);
  if (Number.isNaN(date.getTime())) throw new Error(`"${instant}" is not a date-time.`);
  return { dateTime: date.toISOString().replace(/Z$/, ''), timeZone: 'UTC' };
}

/** Graph answers UTC times without an offset ("2025-03-04T09:00:00.0000000"); read them as UTC. */
function instantOf(value: DateTimeTimeZone | null | undefined): string {
  if (!value) throw new Error('Microsoft Graph returned a schedule item without a start or end.');
  if (value.timeZone && !['UTC', 'Etc/UTC', 'Coordinated Universal Time'].includes(value.timeZone)) {
    throw new Error(`Microsoft Graph returned a time in ${value.timeZone} although UTC was asked for.`);
  }
  const hasOffset = /(?:Z|[+-]\d\d:\d\d)$/i.test(value.dateTime);
  const date = new Date(hasOffset ? value.dateTime : `${value.dateTime}Z`);
  if (Number.isNaN(date.getTime())) throw new Error(`Microsoft Graph returned "${value.dateTime}", which is not a date-time.`);
  return date.toISOString();
}

/** Graph's own idempotency for event creation: the same transactionId never makes a second event. */
export function meetingTransactionId(idempotencyKey: string): string {
  return `asep-${sha256(idempotencyKey).slice(0, 40)}`;
}

/**
 * A rep's calendar through Microsoft Graph: free/busy from getSchedule, and booked meetings as calendar events
 * with a Teams meeting (`isOnlineMeeting`, `teamsForBusiness`), which carries its own join link.
 */
export class GraphCalendar implements CalendarProvider {
  constructor(
    private readonly graph: GraphRequests,
    private readonly clock: Clock,
  ) {}

  async busy(_tenantId: string, mailbox: string, start: string, end: string): Promise<BusyInterval[]> {
    const schedule = await this.schedule(mailbox, start, end);
    return (schedule.scheduleItems ?? [])
      .filter((item) => busyStatuses.has(item.status ?? 'busy'))
      .map((item) => ({ start: instantOf(item.start), end: instantOf(item.end) }));
  }

  /**
   * The working hours of the mailbox's settings. getSchedule carries them with the free/busy, so an hour's schedule
   * is read rather than the mailboxSettings resource, which needs a wider permission (MailboxSettings.Read).
   */
  async workingHours(_tenantId: string, mailbox: string): Promise<MailboxWorkingHours | undefined> {
    const start = this.clock.now();
    return workingHoursOf(await this.schedule(mailbox, start.toISOString(), new Date(start.getTime() + 3_600_000).toISOString()));
  }

  private async schedule(mailbox: string, start: string, end: string): Promise<ScheduleInformation> {
    const response = (await this.graph.call(
      mailbox,
      (api) =>
        api(`/users/${segment(mailbox)}/calendar/getSchedule`)
          .headers(inUtc)
          .post({ schedules: [mailbox], startTime: utc(start), endTime: utc(end), availabilityViewInterval: 15 }),
      { safeToRepeat: true },
    )) as { value?: ScheduleInformation[] };
    const schedule = response.value?.find((item) => item.scheduleId?.toLowerCase() === mailbox.toLowerCase()) ?? response.value?.[0];
    if (!schedule) throw new Error(`Microsoft Graph returned no schedule for ${mailbox}.`);
    if (schedule.error)
      throw new Error(`The calendar of ${mailbox} could not be read: ${schedule.error.message ?? schedule.error.responseCode ?? 'no reason given'}`);
    return schedule;
  }

  async createMeeting(
    _tenantId: string,
    meeting: { organizer: string; attendee: string; subject: string; body: string; start: string; end: string; idempotencyKey: string },
  ): Promise<OnlineMeeting> {
    const event = (await this.graph.call(
      meeting.organizer,
      (api) =>
        api(`/users/${segment(meeting.organizer)}/events`)
          .headers(inUtc)
          .post({
            subject: meeting.subject,
            body: { contentType: 'text', content: meeting.body },
            start: utc(meeting.start),
            end: utc(meeting.end),
            attendees: [{ emailAddress: { address: meeting.attendee }, type: 'required' }],
            isOnlineMeeting: true,
            onlineMeetingProvider: 'teamsForBusiness',
            transactionId: meetingTransactionId(meeting.idempotencyKey),
          }),
      // The transactionId makes a repeated create return the first event, so retrying is harmless.
      { safeToRepeat: true },
    )) as { id: string; onlineMeeting?: { joinUrl?: string | null } | null };
    return { meetingId: event.id, ...(event.onlineMeeting?.joinUrl ? { joinUrl: event.onlineMeeting.joinUrl } : {}) };
  }

  async rescheduleMeeting(_tenantId: string, meeting: { organizer: string; meetingId: string; start: string; end: string }): Promise<void> {
    await this.graph.call(
      meeting.organizer,
      (api) =>
        api(`/users/${segment(meeting.organizer)}/events/${segment(meeting.meetingId)}`)
          .headers(inUtc)
          .patch({ start: utc(meeting.start), end: utc(meeting.end) }),
      // Setting the same times again changes nothing.
      { safeToRepeat: true },
    );
  }

  async cancelMeeting(_tenantId: string, meeting: { organizer: string; meetingId: string; comment: string }): Promise<void> {
    await this.graph.call(
      meeting.organizer,
      (api) => api(`/users/${segment(meeting.organizer)}/events/${segment(meeting.meetingId)}/cancel`).post({ comment: meeting.comment }),
      // A repeated cancel could send the attendee a second cancellation notice.
      { safeToRepeat: false },
    );
  }
}
