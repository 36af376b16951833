import {
  Button,
  Caption1,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  Spinner,
  Text,
  ToggleButton,
  makeStyles,
  mergeClasses,
  shorthands,
  tokens,
} from '@fluentui/react-components';
import type { Availability, Booking, MessageInsight } from '@asep/shared/insights/insight';
import { useEffect, useRef, useState } from 'react';
import type { ApiClient } from '../api/client';
import { asApiProblem, isAbort, type ApiProblem } from '@asep/shared/client/problem';
import { formatTimeRange, zoneCity } from '../display/dates';
import { openReplyWithText } from '../office/mailbox';
import { PaneNotice } from '../pane/PaneNotice';
import { BookedMeeting } from './BookedMeeting';
import { describeSlotIn, groupSlotsByDay, proposedTimesHtml, type Slot } from './slotTimes';
import { useRovingFocus } from './useRovingFocus';

/** How far ahead the pane looks for free times. */
const daysAhead = 5;

const useStyles = makeStyles({
  panel: { display: 'grid', gap: tokens.spacingVerticalM },
  days: { display: 'grid', gap: tokens.spacingVerticalS },
  day: { margin: 0 },
  slots: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalXS, marginBlockStart: tokens.spacingVerticalXS },
  slot: { display: 'grid', justifyItems: 'start', minWidth: '7.5rem', paddingBlock: tokens.spacingVerticalXS },
  chosen: {
    backgroundColor: tokens.colorBrandBackground2,
    ...shorthands.borderColor(tokens.colorBrandStroke1),
    outlineWidth: tokens.strokeWidthThin,
    outlineStyle: 'solid',
    outlineColor: tokens.colorBrandStroke1,
    color: tokens.colorNeutralForeground1,
    ':hover': {
      backgroundColor: tokens.colorBrandBackground2Hover,
      ...shorthands.borderColor(tokens.colorBrandStroke1),
      color: tokens.colorNeutralForeground1,
    },
    ':hover:active': { backgroundColor: tokens.colorBrandBackground2Pressed, color: tokens.colorNeutralForeground1 },
  },
  actions: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalS },
});

type Load = { status: 'loading' } | { status: 'failed'; problem: ApiProblem } | { status: 'ready'; availability: Availability };
type BookingState = { status: 'idle' } | { status: 'booking' } | { status: 'booked'; booking: Booking } | { status: 'failed'; problem: ApiProblem };

export interface BookingPanelProps {
  api: ApiClient;
  prospect: NonNullable<MessageInsight['prospect']>;
  onBooked: () => void;
  /** The booked meeting to move: the chosen time replaces its time instead of booking another meeting. */
  reschedule?: Booking;
}

/** Free times for the next days, in the rep's and the prospect's zones: propose some in a reply, or book one (or move the meeting to it). */
export default function BookingPanel({ api, prospect, onBooked, reschedule }: BookingPanelProps) {
  const styles = useStyles();
  const [load, setLoad] = useState<Load>({ status: 'loading' });
  const [attempt, setAttempt] = useState(0);
  const [selected, setSelected] = useState<Slot[]>([]);
  const [booking, setBooking] = useState<BookingState>({ status: 'idle' });
  const [replyOutcome, setReplyOutcome] = useState<{ intent: 'success' | 'error'; text: string }>();
  // State updates land after a render; a second click in the same frame must already see the first.
  const bookingInFlight = useRef(false);
  const slotCount = load.status === 'ready' ? load.availability.slots.length : 0;
  const rovingFocus = useRovingFocus(slotCount);

  useEffect(() => {
    const controller = new AbortController();
    api.availability(prospect.id, daysAhead, controller.signal).then(
      (availability) => setLoad({ status: 'ready', availability }),
      (error: unknown) => {
        if (!isAbort(error)) setLoad({ status: 'failed', problem: asApiProblem(error) });
      },
    );
    return () => controller.abort();
  }, [api, prospect.id, attempt]);

  if (load.status === 'loading') return <Spinner size="tiny" label="Finding free times…" />;
  if (load.status === 'failed') {
    return (
      <PaneNotice
        intent="error"
        title={`Free times could not be loaded: ${load.problem.title}`}
        onRetry={() => {
          setLoad({ status: 'loading' });
          setAttempt((count) => count + 1);
        }}
      >
        {load.problem.detail}
      </PaneNotice>
    );
  }

  const repZone = load.availability.timeZone;
  const prospectZone = load.availability.prospectTimeZone ?? prospect.timeZone;
  /** The prospect's zone when it differs from the rep's: the one worth showing beside it. */
  const otherZone = prospectZone && prospectZone !== repZone ? prospectZone : undefined;
  const days = groupSlotsByDay(load.availability.slots, repZone);
  const isSelected = (slot: Slot) => selected.some((chosen) => chosen.start === slot.start);
  const toggle = (slot: Slot) => setSelected(isSelected(slot) ? selected.filter((chosen) => chosen.start !== slot.start) : [...selected, slot]);
  const firstName = prospect.name.split(/\s+/)[0];

  async function book(slot: Slot) {
    if (bookingInFlight.current) return;
    bookingInFlight.current = true;
    setBooking({ status: 'booking' });
    try {
      const booked = reschedule
        ? await api.reschedule(reschedule.bookingId, { start: slot.start, end: slot.end })
        : await api.book({ prospectId: prospect.id, start: slot.start, end: slot.end });
      setBooking({ status: 'booked', booking: booked });
      onBooked();
    } catch (error) {
      bookingInFlight.current = false;
      setBooking({ status: 'failed', problem: asApiProblem(error) });
    }
  }

  async function insertIntoReply() {
    const ordered = [...selected].sort((a, b) => a.start.localeCompare(b.start));
    try {
      await openReplyWithText(proposedTimesHtml(ordered, prospectZone ?? repZone, firstName));
      setReplyOutcome({ intent: 'success', text: `A reply proposing ${ordered.length === 1 ? 'one time' : `${ordered.length} times`} is open.` });
    } catch (error) {
      setReplyOutcome({ intent: 'error', text: asApiProblem(error).message });
    }
  }

  if (booking.status === 'booked') return <BookedMeeting meeting={booking.booking} firstName={firstName} />;

  if (days.length === 0) {
    return (
      <PaneNotice intent="info" title={`No free times in the next ${daysAhead} days`}>
        Your calendar is full within working hours.
      </PaneNotice>
    );
  }

  const single = selected.length === 1 ? selected[0] : undefined;
  return (
    <div className={styles.panel}>
      <Caption1>
        Times in {load.availability.rep ? `${load.availability.rep.name}’s` : 'your'} zone ({zoneCity(repZone)}, {repZone})
        {otherZone && (
          <>
            , with {firstName}’s time ({zoneCity(otherZone)}) below
          </>
        )}
        . {reschedule ? 'Pick the new time, or times to propose.' : 'Pick times to propose, or one to book.'}
      </Caption1>
      <div className={styles.days} role="group" aria-label="Free times">
        {days.map((day) => (
          <div key={day.day} role="group" aria-label={day.day}>
            <Text as="h3" size={200} weight="semibold" className={styles.day}>
              {day.day}
            </Text>
            <div className={styles.slots}>
              {day.slots.map((slot) => (
                <ToggleButton
                  key={slot.start}
                  {...rovingFocus(load.availability.slots.indexOf(slot))}
                  className={mergeClasses(styles.slot, isSelected(slot) && styles.chosen)}
                  checked={isSelected(slot)}
                  aria-label={[repZone, otherZone].flatMap((zone) => (zone ? [describeSlotIn(slot, zone)] : [])).join(', ')}
                  onClick={() => toggle(slot)}
                >
                  <span>
                    {isSelected(slot) && <span aria-hidden="true">✓ </span>}
                    {formatTimeRange(slot.start, slot.end, repZone)}
                  </span>
                  {otherZone && <Caption1>{formatTimeRange(slot.start, slot.end, otherZone)}</Caption1>}
                </ToggleButton>
              ))}
            </div>
          </div>
        ))}
      </div>
      <div className={styles.actions}>
        <Button disabled={selected.length === 0} onClick={() => void insertIntoReply()}>
          Insert into reply
        </Button>
        <Button appearance="primary" disabled={!single || booking.status === 'booking'} onClick={() => single && void book(single)}>
          {reschedule ? (booking.status === 'booking' ? 'Moving…' : 'Move the meeting here') : booking.status === 'booking' ? 'Booking…' : 'Book'}
        </Button>
      </div>
      {!single && selected.length > 1 && <Caption1>Select a single time to {reschedule ? 'move the meeting to it' : 'book it'}.</Caption1>}
      {booking.status === 'failed' && (
        <MessageBar intent="error" politeness="assertive">
          <MessageBarBody>
            <MessageBarTitle>{reschedule ? 'Not moved' : 'Not booked'}</MessageBarTitle>
            {booking.problem.message}
          </MessageBarBody>
        </MessageBar>
      )}
      {replyOutcome && (
        <MessageBar intent={replyOutcome.intent}>
          <MessageBarBody>{replyOutcome.text}</MessageBarBody>
        </MessageBar>
      )}
    </div>
  );
}
