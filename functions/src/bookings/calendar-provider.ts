export interface BusyInterval {
  start: string;
  end: string;
}

export interface OnlineMeeting {
  meetingId: string;
  joinUrl?: string;
}

/** When a mailbox's owner works, as their mailbox settings say. */
export interface MailboxWorkingHours {
  /** IANA zone. */
  timeZone: string;
  workingHours: { start: string; end: string; days: number[] };
}

/** A rep's calendar: the sandbox calendar locally, Microsoft Graph (getSchedule, events with Teams meetings) in Azure. */
export interface CalendarProvider {
  busy(tenantId: string, mailbox: string, start: string, end: string): Promise<BusyInterval[]>;
  /** The mailbox's working hours and zone; undefined when the mailbox sets none. */
  workingHours(tenantId: string, mailbox: string): Promise<MailboxWorkingHours | undefined>;
  /** Creates the meeting and invites the attendee; the same key always names the same meeting. */
  createMeeting(
    tenantId: string,
    meeting: { organizer: string; attendee: string; subject: string; body: string; start: string; end: string; idempotencyKey: string },
  ): Promise<OnlineMeeting>;
  /** Moves the meeting; the attendee receives the updated invitation. */
  rescheduleMeeting(tenantId: string, meeting: { organizer: string; meetingId: string; start: string; end: string }): Promise<void>;
  /** Cancels the meeting; the attendee receives the cancellation with the comment. */
  cancelMeeting(tenantId: string, meeting: { organizer: string; meetingId: string; comment: string }): Promise<void>;
}
