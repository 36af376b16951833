import { sha256 } from '@asep/shared/audit/chain';
import { Documents, ConflictError, type StoredFields } from '@asep/functions/store/documents';
import type { Store } from '@asep/functions/store/store';
import { tenantScoped } from '@asep/functions/store/tenant-store';
import type { BusyInterval, CalendarProvider, MailboxWorkingHours, OnlineMeeting } from '@asep/functions/bookings/calendar-provider';

export interface SandboxEventRecord extends StoredFields {
  docType: 'sandboxEvent';
  organizer: string;
  attendees: string[];
  subject: string;
  body: string;
  start: string;
  end: string;
  joinUrl: string;
}

/** A sandbox mailbox's settings, as Exchange keeps them for each user. */
export interface SandboxMailboxSettingsRecord extends StoredFields, MailboxWorkingHours {
  docType: 'sandboxMailboxSettings';
  mailbox: string;
}

/** The local stand-in for an Exchange calendar with Teams meetings. */
export class SandboxCalendar implements CalendarProvider {
  readonly events: Documents<SandboxEventRecord>;
  readonly mailboxSettings: Documents<SandboxMailboxSettingsRecord>;

  constructor(store: Store) {
    this.events = new Documents<SandboxEventRecord>(store.crmObjects.container, 'sandboxEvent');
    this.mailboxSettings = new Documents<SandboxMailboxSettingsRecord>(store.crmObjects.container, 'sandboxMailboxSettings');
  }

  async workingHours(tenantId: string, mailbox: string): Promise<MailboxWorkingHours | undefined> {
    const settings = await tenantScoped(this.mailboxSettings, tenantId).read(settingsId(mailbox));
    return settings && { timeZone: settings.timeZone, workingHours: settings.workingHours };
  }

  /** Sets a sandbox user's working hours as they would in Outlook's settings (the demo seed does, per demo user). */
  async setWorkingHours(tenantId: string, mailbox: string, hours: MailboxWorkingHours): Promise<void> {
    await tenantScoped(this.mailboxSettings, tenantId).upsert({ id: settingsId(mailbox), mailbox: mailbox.toLowerCase(), ...hours });
  }

  async busy(tenantId: string, mailbox: string, start: string, end: string): Promise<BusyInterval[]> {
    const events = await this.events.query(tenantId, 'c.organizer = @mailbox AND c["end"] > @start AND c.start < @end', [
      { name: '@mailbox', value: mailbox },
      { name: '@start', value: start },
      { name: '@end', value: end },
    ]);
    return events.map((event) => ({ start: event.start, end: event.end }));
  }

  /** Adds an event to the organizer's calendar; used by bookings and by the demo seed to make busy time. */
  async createMeeting(
    tenantId: string,
    meeting: { organizer: string; attendee: string; subject: string; body: string; start: string; end: string; idempotencyKey: string },
  ): Promise<OnlineMeeting> {
    const id = `event-${sha256(meeting.idempotencyKey).slice(0, 24)}`;
    const joinUrl = `https://teams.sandbox.asep.local/l/meetup-join/${id}`;
    try {
      await tenantScoped(this.events, tenantId).create({
        id,
        organizer: meeting.organizer,
        attendees: [meeting.attendee],
        subject: meeting.subject,
        body: meeting.body,
        start: meeting.start,
        end: meeting.end,
        joinUrl,
      });
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error;
    }
    return { meetingId: id, joinUrl };
  }

  async rescheduleMeeting(tenantId: string, meeting: { organizer: string; meetingId: string; start: string; end: string }): Promise<void> {
    await tenantScoped(this.events, tenantId).update(meeting.meetingId, (event) =>
      event.start === meeting.start && event.end === meeting.end ? undefined : { ...event, start: meeting.start, end: meeting.end },
    );
  }

  /** A cancelled meeting leaves the organizer's calendar, so its time is free again. */
  async cancelMeeting(tenantId: string, meeting: { organizer: string; meetingId: string }): Promise<void> {
    await tenantScoped(this.events, tenantId).delete(meeting.meetingId);
  }
}

const settingsId = (mailbox: string) => `mailbox-settings-${sha256(mailbox.toLowerCase()).slice(0, 24)}`;
