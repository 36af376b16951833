import { sha256 } from '@asep/shared/audit/chain';
import { headerSafe } from '@asep/shared/mail/header-safe';
import { findFreeSlots, type TimeSlot } from '@asep/shared/scheduling/slots';
import { repWorkingHours, type Rep } from '@asep/shared/reps/rep';
import type { Booking } from '@asep/shared/insights/insight';
import { dealStageFor } from '@asep/shared/policy/deal-rules';
import { displayName } from '@asep/shared/prospects/prospect';
import type { Services } from '../composition/services';
import { crmDealOf } from '../crm/crm-provider';
import { advanceDeal, createDealFromReply, dealsFor } from '../deals/deals';
import { conflict, notFound } from '../http/problem';
import type { Principal } from '../identity/principal';
import { currentPolicy } from '../policies/policies';
import { findProspect } from '../prospects/prospects';
import type { ProspectRecord } from '../prospects/records';
import { repFor } from '../reps/reps';
import { ConflictError } from '../store/documents';
import type { BookingRecord } from './records';
import { queryTouches } from '../mail/touches';

export async function bookableProspect(services: Services, tenantId: string, prospectId: string): Promise<ProspectRecord> {
  const prospect = await findProspect(services, tenantId, prospectId);
  if (!prospect) throw notFound(`Prospect ${prospectId}`);
  return prospect;
}

/** The calendar a meeting with this prospect goes on: that of the rep whose mailbox last wrote to them, who owns the thread. */
async function organizerFor(services: Services, tenantId: string, prospect: ProspectRecord): Promise<string> {
  const touches = await queryTouches(services.store, tenantId, 'c.prospectId = @id', [{ name: '@id', value: prospect.id }]);
  const latest = touches.sort((a, b) => b.at.localeCompare(a.at))[0];
  return latest?.mailbox ?? `sales@${tenantId}.invalid`;
}

export interface Availability {
  slots: TimeSlot[];
  timeZone: string;
  prospectTimeZone?: string;
  organizer: string;
  rep: Rep;
  durationMinutes: number;
}

/**
 * Free slots on the thread owner's calendar within their working hours (and the prospect's, where any overlap).
 * `moving` is a meeting being rescheduled: its own time does not count as busy.
 */
export async function availability(
  services: Services,
  tenantId: string,
  prospect: ProspectRecord,
  days: number,
  moving?: TimeSlot,
): Promise<Availability> {
  const [organizer, policy] = await Promise.all([organizerFor(services, tenantId, prospect), currentPolicy(services, tenantId)]);
  const rep = await repFor(services, tenantId, organizer);
  const { durationMinutes, bufferMinutes, minimumNoticeMinutes } = policy.rules.meetings;
  const from = services.clock.now();
  const until = new Date(from.getTime() + (days + 1) * 86_400_000);
  const busy = (await services.calendar.busy(tenantId, organizer, from.toISOString(), until.toISOString())).filter(
    (interval) => !moving || Date.parse(interval.start) !== Date.parse(moving.start) || Date.parse(interval.end) !== Date.parse(moving.end),
  );
  const slots = findFreeSlots({
    from,
    days,
    workingHours: repWorkingHours(rep),
    busy,
    durationMinutes,
    bufferMinutes,
    minimumNoticeMinutes,
    ...(prospect.timeZone ? { prospectTimeZone: prospect.timeZone } : {}),
  });
  return { slots, timeZone: rep.timeZone, ...(prospect.timeZone ? { prospectTimeZone: prospect.timeZone } : {}), organizer, rep, durationMinutes };
}

export function toBooking(record: BookingRecord): Booking {
  const {
    bookingId,
    prospectId,
    status,
    meetingId,
    joinUrl,
    start,
    end,
    rep,
    prospectTimeZone,
    bookedAt,
    rescheduledFrom,
    cancelledAt,
    cancelReason,
  } = record;
  return {
    bookingId,
    prospectId,
    status: status === 'cancelled' ? 'cancelled' : 'booked',
    meetingId: meetingId ?? '',
    ...(joinUrl ? { joinUrl } : {}),
    start,
    end,
    rep,
    ...(prospectTimeZone ? { prospectTimeZone } : {}),
    bookedAt,
    rescheduledFrom: rescheduledFrom ?? [],
    ...(cancelledAt ? { cancelledAt } : {}),
    ...(cancelReason ? { cancelReason } : {}),
  };
}

const bookingIdFor = (tenantId: string, prospectId: string, generation: number) =>
  `booking-${sha256(`${tenantId}|${prospectId}|${generation}`).slice(0, 24)}`;
const generationId = (prospectId: string) => `booking-generation-${sha256(prospectId).slice(0, 24)}`;

async function currentGeneration(services: Services, tenantId: string, prospectId: string): Promise<number> {
  return (await services.store.forTenant(tenantId).bookingGenerations.read(generationId(prospectId)))?.generation ?? 0;
}

/** After a cancel, the prospect's next booking takes the next generation (once, however many callers see it). */
async function nextGeneration(services: Services, tenantId: string, prospectId: string, after: number): Promise<void> {
  const generations = services.store.forTenant(tenantId).bookingGenerations;
  const id = generationId(prospectId);
  try {
    await generations.create({ id, prospectId, generation: after + 1 });
  } catch (error) {
    if (!(error instanceof ConflictError)) throw error;
    await generations.update(id, (current) => (current.generation === after ? { ...current, generation: after + 1 } : undefined));
  }
}

/** "Tue 9 Dec, 10:00 America/Chicago (17:00 Europe/Berlin for the prospect)". */
function whenBooked(booking: Pick<Booking, 'start' | 'rep' | 'prospectTimeZone'>): string {
  const format = (timeZone: string) =>
    new Intl.DateTimeFormat('en-GB', { timeZone, weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' }).format(
      new Date(booking.start),
    );
  const prospectPart =
    booking.prospectTimeZone && booking.prospectTimeZone !== booking.rep.timeZone
      ? ` (${format(booking.prospectTimeZone)} ${booking.prospectTimeZone} for the prospect)`
      : '';
  return `${format(booking.rep.timeZone)} ${booking.rep.timeZone}${prospectPart}`;
}

/** The prospect's active booking: the one of the current generation, unless it was cancelled. */
export async function activeBooking(services: Services, tenantId: string, prospectId: string): Promise<BookingRecord | undefined> {
  const generation = await currentGeneration(services, tenantId, prospectId);
  const record = await services.store.forTenant(tenantId).bookings.read(bookingIdFor(tenantId, prospectId, generation));
  return record && record.status !== 'cancelled' ? record : undefined;
}

export async function listBookings(services: Services, tenantId: string, prospectId: string): Promise<Booking[]> {
  const records = await services.store.bookings.query(
    tenantId,
    "c.prospectId = @prospectId AND c.status != 'booking'",
    [{ name: '@prospectId', value: prospectId }],
    'ORDER BY c.bookedAt DESC',
  );
  return records.map(toBooking);
}

/**
 * Books a meeting with the prospect: claims the prospect's one booking, checks the slot is still free, creates the
 * event with an online meeting and the prospect invited, logs it to the CRM and moves the deal to MEETING_BOOKED
 * (creating the deal if the prospect has none). Asking again for the same slot answers the same meeting; asking
 * for another slot while a meeting is booked is refused (reschedule or cancel it instead).
 */
export async function book(
  services: Services,
  principal: Principal,
  prospect: ProspectRecord,
  slot: TimeSlot,
  correlationId: string,
): Promise<Booking & { created: boolean }> {
  const tenantId = principal.tenantId;
  const bookings = services.store.forTenant(tenantId).bookings;
  const start = new Date(slot.start).toISOString();
  const end = new Date(slot.end).toISOString();

  const { slots, organizer, rep, prospectTimeZone } = await availability(services, tenantId, prospect, 14);
  let claim: BookingRecord | undefined;
  for (let attempt = 0; !claim && attempt < 5; attempt += 1) {
    const generation = await currentGeneration(services, tenantId, prospect.id);
    const bookingId = bookingIdFor(tenantId, prospect.id, generation);
    try {
      // Of two requests racing for the same prospect, one creates the claim; the other finds it.
      claim = await bookings.create({
        id: bookingId,
        bookingId,
        prospectId: prospect.id,
        generation,
        status: 'booking',
        lease: leaseFor(services, correlationId),
        start,
        end,
        rep: { name: rep.name, mailbox: organizer, timeZone: rep.timeZone },
        ...(prospectTimeZone ? { prospectTimeZone } : {}),
        bookedAt: services.clock.now().toISOString(),
        bookedBy: { id: principal.userId, name: principal.name },
        rescheduledFrom: [],
      });
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error;
      let existing = await bookings.read(bookingId);
      if (!existing) continue;
      if (existing.status === 'cancelled') {
        await nextGeneration(services, tenantId, prospect.id, generation);
        continue;
      }
      if (existing.status === 'booking' && leaseExpired(services, existing)) {
        existing = await recoverClaim(services, prospect, existing, correlationId);
        if (!existing) continue;
      }
      if (existing.start === start && existing.end === end) return { ...toBooking(await finished(services, existing)), created: false };
      throw conflict(
        `${displayName(prospect)} already has a meeting booked for ${whenBooked(existing)}. Reschedule or cancel that meeting instead of booking a second one.`,
        { booking: toBooking(existing) },
      );
    }
  }
  if (!claim) throw conflict('Bookings for this prospect are changing: try again in a moment.');

  if (!slots.some((candidate) => candidate.start === start && candidate.end === end)) {
    await bookings.delete(claim.id);
    throw conflict('That time is not free any more, or was never offered: pick one from the availability list.');
  }
  return { ...toBooking(await makeMeeting(services, prospect, claim, correlationId)), created: true };
}

/** How long a request may hold a prospect's booking claim while it makes the meeting: far longer than that takes. */
const claimLeaseMs = 2 * 60_000;

function leaseFor(services: Services, holder: string): NonNullable<BookingRecord['lease']> {
  return { holder, until: new Date(services.clock.now().getTime() + claimLeaseMs).toISOString() };
}

function leaseExpired(services: Services, claim: BookingRecord): boolean {
  // A claim without a lease was left by a version that had none: it is as stale as a lapsed one.
  return claim.status === 'booking' && (!claim.lease || Date.parse(claim.lease.until) <= services.clock.now().getTime());
}

/**
 * Settles a claim whose request crashed, from the calendar's state. If the organizer's calendar holds an event at the
 * claimed time, the crashed request made the meeting: it is finished (the event is keyed on the booking, so it is
 * found, not made twice) and the CRM, deal and audit steps it missed are done. Otherwise no meeting was made and the
 * claim is released for this request to claim. Answers the finished booking, or undefined when the claim is gone.
 */
async function recoverClaim(
  services: Services,
  prospect: ProspectRecord,
  stale: BookingRecord,
  correlationId: string,
): Promise<BookingRecord | undefined> {
  const lease = leaseFor(services, correlationId);
  const taken = await services.store.bookings.update(stale.pk, stale.id, (current) =>
    leaseExpired(services, current) ? { ...current, lease } : undefined,
  );
  if (!taken) return undefined;
  if (taken.lease?.holder !== correlationId) return taken.status === 'booking' ? finished(services, taken) : taken;
  const busy = await services.calendar.busy(taken.tenantId, taken.rep.mailbox, taken.start, taken.end);
  const made = busy.some((interval) => Date.parse(interval.start) === Date.parse(taken.start) && Date.parse(interval.end) === Date.parse(taken.end));
  if (!made) {
    await services.store.bookings.delete(taken.pk, taken.id);
    return undefined;
  }
  return makeMeeting(services, prospect, taken, correlationId);
}

/**
 * Makes the claimed meeting: the event with an online meeting and the prospect invited, the CRM log, the deal moved
 * to MEETING_BOOKED (created if the prospect has none) and the audit entry. Each step is keyed on the booking, so
 * finishing a claim again repeats nothing.
 */
async function makeMeeting(services: Services, prospect: ProspectRecord, claim: BookingRecord, correlationId: string): Promise<BookingRecord> {
  const { tenantId, pk, start, end } = claim;
  const organizer = claim.rep.mailbox;
  const meeting = await services.calendar.createMeeting(tenantId, {
    organizer,
    attendee: prospect.email,
    subject: headerSafe(`${displayName(prospect)} / ${prospect.company ?? prospect.domain}`),
    body: 'Looking forward to our conversation.',
    start,
    end,
    idempotencyKey: claim.bookingId,
  });
  const booked = (await services.store.bookings.update(pk, claim.id, (current) => {
    const { lease: _lease, ...made } = current;
    return {
      ...made,
      status: 'booked',
      meetingId: meeting.meetingId,
      ...(meeting.joinUrl ? { joinUrl: meeting.joinUrl } : {}),
    };
  }))!;
  await logMeeting(services, tenantId, prospect, booked, `meeting:${booked.bookingId}`, `Meeting with ${displayName(prospect)}`);
  const [deal] = await dealsFor(services, tenantId, prospect.email, prospect.domain);
  const stage = dealStageFor((await currentPolicy(services, tenantId)).rules, 'meeting_booked');
  const actor = { type: 'user' as const, id: claim.bookedBy.id, ...(claim.bookedBy.name ? { name: claim.bookedBy.name } : {}) };
  if (deal) {
    await advanceDeal(services, deal, stage, correlationId, 'meeting booked');
  } else {
    await createDealFromReply(services, {
      tenantId,
      prospect,
      sourceMessageId: booked.bookingId,
      confidence: 1,
      stage,
      excerpt: `Meeting booked for ${start}`,
      correlationId,
      actor,
    });
  }
  await services.audit.append(tenantId, {
    actor,
    type: 'meeting.booked',
    correlationId,
    idempotencyKey: `meeting.booked:${booked.bookingId}`,
    payload: { prospectId: prospect.id, bookingId: booked.bookingId, meetingId: meeting.meetingId, organizer, start, end },
  });
  return booked;
}

/** The booking another request is making for the same prospect and slot, once it is made. */
async function finished(services: Services, claim: BookingRecord): Promise<BookingRecord> {
  for (let attempt = 0; attempt < 100; attempt += 1) {
    const record = await services.store.bookings.read(claim.pk, claim.id);
    if (record && record.status !== 'booking') return record;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw conflict('The same booking is still being made: try again in a moment.');
}

async function findBooking(services: Services, tenantId: string, bookingId: string): Promise<BookingRecord> {
  const record = await services.store.forTenant(tenantId).bookings.read(bookingId);
  if (!record || record.tenantId !== tenantId || record.status === 'booking') throw notFound(`Booking ${bookingId}`);
  return record;
}

/** Moves a booked meeting to another offered slot of the same rep; the CRM logs the move and the deal stays booked. */
export async function reschedule(
  services: Services,
  principal: Principal,
  bookingId: string,
  slot: TimeSlot,
  correlationId: string,
): Promise<Booking> {
  const tenantId = principal.tenantId;
  const current = await findBooking(services, tenantId, bookingId);
  if (current.status === 'cancelled') throw conflict('That meeting was cancelled: book a new one instead.');
  const start = new Date(slot.start).toISOString();
  const end = new Date(slot.end).toISOString();
  if (current.start === start && current.end === end) return toBooking(current);
  const prospect = await bookableProspect(services, tenantId, current.prospectId);
  const { slots } = await availability(services, tenantId, prospect, 14, current);
  if (!slots.some((candidate) => candidate.start === start && candidate.end === end)) {
    throw conflict('That time is not free, or is outside the rep’s working hours: pick one from the availability list.');
  }
  await services.calendar.rescheduleMeeting(tenantId, { organizer: current.rep.mailbox, meetingId: current.meetingId!, start, end });
  const moved = (await services.store.bookings.update(current.pk, current.id, (record) =>
    record.start === start && record.end === end
      ? undefined
      : { ...record, start, end, rescheduledFrom: [...(record.rescheduledFrom ?? []), { start: record.start, end: record.end }] },
  ))!;
  await logMeeting(services, tenantId, prospect, moved, `meeting:${moved.bookingId}:${start}`, `Meeting with ${displayName(prospect)} moved`);
  await services.audit.append(tenantId, {
    actor: { type: 'user', id: principal.userId, name: principal.name },
    type: 'meeting.rescheduled',
    correlationId,
    // The count of moves so far is the server's version of the booking: moving back and forth audits every move.
    idempotencyKey: `meeting.rescheduled:${moved.bookingId}:${moved.rescheduledFrom?.length ?? 0}`,
    payload: { prospectId: prospect.id, bookingId: moved.bookingId, from: { start: current.start, end: current.end }, to: { start, end } },
  });
  return toBooking(moved);
}

/**
 * Cancels a booked meeting: the attendee is told, the CRM logs it, the deal goes back to the positive-reply stage,
 * and the prospect may be booked again. Cancelling twice changes nothing more.
 */
export async function cancel(
  services: Services,
  principal: Principal,
  bookingId: string,
  reason: string | undefined,
  correlationId: string,
): Promise<Booking> {
  const tenantId = principal.tenantId;
  const current = await findBooking(services, tenantId, bookingId);
  if (current.status === 'cancelled') return toBooking(current);
  const prospect = await bookableProspect(services, tenantId, current.prospectId);
  await services.calendar.cancelMeeting(tenantId, {
    organizer: current.rep.mailbox,
    meetingId: current.meetingId!,
    comment: reason ?? 'The meeting was cancelled.',
  });
  const cancelled = (await services.store.bookings.update(current.pk, current.id, (record) =>
    record.status === 'cancelled'
      ? undefined
      : { ...record, status: 'cancelled', cancelledAt: services.clock.now().toISOString(), ...(reason ? { cancelReason: reason } : {}) },
  ))!;
  await nextGeneration(services, tenantId, prospect.id, current.generation);
  await logMeeting(
    services,
    tenantId,
    prospect,
    cancelled,
    `meeting:${cancelled.bookingId}:cancelled`,
    `Meeting with ${displayName(prospect)} cancelled`,
  );
  await reopenDeal(services, tenantId, prospect, cancelled.bookingId, correlationId);
  await services.audit.append(tenantId, {
    actor: { type: 'user', id: principal.userId, name: principal.name },
    type: 'meeting.cancelled',
    correlationId,
    idempotencyKey: `meeting.cancelled:${cancelled.bookingId}`,
    payload: { prospectId: prospect.id, bookingId: cancelled.bookingId, start: cancelled.start, reason: reason ?? null },
  });
  return toBooking(cancelled);
}

async function logMeeting(
  services: Services,
  tenantId: string,
  prospect: ProspectRecord,
  booking: BookingRecord,
  engagementId: string,
  subject: string,
) {
  await services.crm.logEngagement(tenantId, {
    engagementId,
    type: 'meeting',
    contactEmail: prospect.email,
    subject,
    body: `${booking.status === 'cancelled' ? 'Cancelled: ' : ''}${booking.start} – ${booking.end}${booking.joinUrl ? `, ${booking.joinUrl}` : ''}`,
    at: booking.start,
  });
}

/** A cancelled meeting takes the deal back from the meeting-booked stage to the positive-reply stage. */
async function reopenDeal(services: Services, tenantId: string, prospect: ProspectRecord, bookingId: string, correlationId: string): Promise<void> {
  const rules = (await currentPolicy(services, tenantId)).rules;
  const booked = dealStageFor(rules, 'meeting_booked');
  const reopened = dealStageFor(rules, 'positive_reply');
  const [deal] = await dealsFor(services, tenantId, prospect.email, prospect.domain);
  if (!deal || deal.stage !== booked) return;
  const updated = await services.store.deals.update(deal.pk, deal.id, (current) =>
    current.stage === booked ? { ...current, stage: reopened, updatedAt: services.clock.now().toISOString() } : undefined,
  );
  if (updated?.stage !== reopened) return;
  await services.crm.upsertDeal(tenantId, { ...crmDealOf(deal), stage: reopened });
  await services.audit.append(tenantId, {
    actor: { type: 'system', id: 'deals' },
    type: 'deal.stage_changed',
    correlationId,
    idempotencyKey: `deal.stage:${deal.id}:${reopened}:${bookingId}`,
    payload: { dealId: deal.id, from: booked, to: reopened, reason: 'meeting cancelled' },
  });
}
