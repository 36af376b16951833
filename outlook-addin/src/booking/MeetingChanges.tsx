import { Button, Caption1, MessageBar, MessageBarBody, MessageBarTitle, makeStyles, tokens } from '@fluentui/react-components';
import { CalendarArrowRightRegular, CalendarCancelRegular } from '@fluentui/react-icons';
import type { Booking, MessageInsight } from '@asep/shared/insights/insight';
import { asApiProblem, type ApiProblem } from '@asep/shared/client/problem';
import { lazy, Suspense, useRef, useState } from 'react';
import type { ApiClient } from '../api/client';

/** The same lazy chunk as booking a meeting: the free times to move it to. */
const BookingPanel = lazy(() => import('./BookingPanel'));
/** Loaded when the rep chooses to cancel: the reason field is not part of the pane's first render. */
const CancelMeetingForm = lazy(() => import('./CancelMeetingForm'));

const useStyles = makeStyles({
  row: { display: 'flex', flexWrap: 'wrap', alignItems: 'end', gap: tokens.spacingHorizontalS },
});

export interface MeetingChangesProps {
  api: ApiClient;
  booking: Booking;
  prospect: NonNullable<MessageInsight['prospect']>;
  /** After a move or a cancellation: the pane reloads, and the next action follows the meeting. */
  onChanged: () => void;
}

/** Reschedule (pick another free time) or cancel (with a reason the attendee reads) the booked meeting. */
export function MeetingChanges({ api, booking, prospect, onChanged }: MeetingChangesProps) {
  const styles = useStyles();
  const [open, setOpen] = useState<'none' | 'reschedule' | 'cancel'>('none');
  const [cancelling, setCancelling] = useState(false);
  const [failure, setFailure] = useState<ApiProblem>();
  // A second click in the same frame must already see the first.
  const inFlight = useRef(false);
  const firstName = prospect.name.split(/\s+/)[0] ?? prospect.name;

  async function cancel(reason: string | undefined) {
    if (inFlight.current) return;
    inFlight.current = true;
    setCancelling(true);
    setFailure(undefined);
    try {
      await api.cancelBooking(booking.bookingId, reason);
      onChanged();
    } catch (error) {
      inFlight.current = false;
      setCancelling(false);
      setFailure(asApiProblem(error));
    }
  }

  return (
    <>
      <div className={styles.row}>
        <Button
          icon={<CalendarArrowRightRegular />}
          aria-expanded={open === 'reschedule'}
          onClick={() => setOpen(open === 'reschedule' ? 'none' : 'reschedule')}
        >
          {open === 'reschedule' ? 'Keep the current time' : 'Reschedule'}
        </Button>
        {open !== 'cancel' && (
          <Button icon={<CalendarCancelRegular />} onClick={() => setOpen('cancel')}>
            Cancel meeting
          </Button>
        )}
      </div>
      {open === 'reschedule' && (
        <Suspense fallback={<Caption1 role="status">Loading free times…</Caption1>}>
          <BookingPanel api={api} prospect={prospect} reschedule={booking} onBooked={onChanged} />
        </Suspense>
      )}
      {open === 'cancel' && (
        <Suspense fallback={<Caption1 role="status">Loading…</Caption1>}>
          <CancelMeetingForm
            firstName={firstName}
            cancelling={cancelling}
            onCancel={(reason) => void cancel(reason)}
            onKeep={() => setOpen('none')}
          />
        </Suspense>
      )}
      {failure && (
        <MessageBar intent="error" politeness="assertive">
          <MessageBarBody>
            <MessageBarTitle>Nothing changed</MessageBarTitle>
            {failure.message}
          </MessageBarBody>
        </MessageBar>
      )}
    </>
  );
}
