import { Link, MessageBar, MessageBarBody, MessageBarTitle } from '@fluentui/react-components';
import type { Booking } from '@asep/shared/insights/insight';
import { describeSlotIn } from './slotTimes';

export interface BookedMeetingProps {
  meeting: Pick<Booking, 'start' | 'end' | 'joinUrl' | 'rep' | 'prospectTimeZone'> & Partial<Pick<Booking, 'rescheduledFrom'>>;
  /** The prospect's first name, to say whose time the second reading is. */
  firstName?: string;
}

/** The booked meeting in the rep's zone (named) and, when it differs, the prospect's, with the Teams link. */
export function BookedMeeting({ meeting, firstName }: BookedMeetingProps) {
  const repZone = meeting.rep.timeZone;
  const otherZone = meeting.prospectTimeZone && meeting.prospectTimeZone !== repZone ? meeting.prospectTimeZone : undefined;
  const movedFrom = meeting.rescheduledFrom?.at(-1);
  return (
    <MessageBar intent="success" layout="multiline" aria-label="Booked meeting">
      <MessageBarBody>
        <MessageBarTitle>Meeting booked</MessageBarTitle>
        {describeSlotIn(meeting, repZone)} ({repZone}, {meeting.rep.name}’s calendar)
        {otherZone && (
          <>
            ; {describeSlotIn(meeting, otherZone)} for {firstName ?? 'the prospect'}
          </>
        )}
        .{' '}
        {meeting.joinUrl && (
          <Link href={meeting.joinUrl} target="_blank" rel="noreferrer">
            Join in Teams
          </Link>
        )}
        {movedFrom && <> (Moved from {describeSlotIn(movedFrom, repZone)}.)</>}
      </MessageBarBody>
    </MessageBar>
  );
}
