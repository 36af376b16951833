import { sha256 } from '@asep/shared/audit/chain';
import { headerSafe } from '@asep/shared/mail/header-safe';
import { findFreeSlots, type TimeSlot } from '@asep/shared/scheduling/slots';
import { repWorkingHours, type Rep } from '@asep/shared/reps/rep';
import { repFor } from '../reps/reps';
import type { Booking } from '@asep/shared/insights/insight';
import { dealStageFor } from '@asep/shared/policy/deal-rules';
import { displayName } from '@asep/shared/prospects/prospect';
import type { Services } from '../composition/services';
import { advanceDeal, createDealFromReply, dealsFor } from '../deals/deals';
import { conflict, notFound } from '../http/problem';
import { ConflictError } from '../store/documents';
import { tenantPartition } from '@asep/shared/tenancy/partitioning';
import type { Principal } from '../identity/principal';
import type { ProspectRecord } from '../prospects/records';
import { findProspect } from '../prospects/prospects';
import { currentPolicy } from '../policies/policies';

export async function bookableProspect(services: Services, tenantId: string, prospectId: string): Promise<ProspectRecord> {
  const prospect = await findProspect(services, tenantId, prospectId);
  if (!prospect) throw notFound(`Prospect ${prospectId}`);
  return prospect;
}

/** The calendar a meeting with this prospect goes on: that of the rep whose mailbox last wrote to them, who owns the thread. */
async function organizerFor(services: Services, tenantId: string, prospect: ProspectRecord): Promise<string> {
  const touches = await services.store.messages.query(
    tenantId,
    "c.direction = 'outbound' AND c.prospectId = @id",
    [{ name: '@id', value: prospect.id }],
    'ORDER BY c.at DESC',
  );
  return touches[0]?.mailbox ?? `sales@${tenantId}.invalid`;
}

export async function availability(
  services: Services,
  tenantId: string,
  prospect: ProspectRecord,
  days: number,
): Promise<{ slots: TimeSlot[]; timeZone: string; prospectTimeZone?: string; organizer: string; rep: Rep; durationMinutes: number }> {
  const [organizer, policy] = await Promise.all([organizerFor(services, tenantId, prospect), currentPolicy(services, tenantId)]);
  const rep = await repFor(services, tenantId, organizer);
  const { durationMinutes, bufferMinutes, minimumNoticeMinutes } = policy.rules.meetings;
  const from = services.clock.now();
  const until = new Date(from.getTime() + (days + 1) * 86_400_000);
  const busy = await services.calendar.busy(tenantId, organizer, from.toISOString(), until.toISOString());
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

/**
 * Books a meeting with the prospect: checks the slot is still free, creates the event with an online
 * meeting and the prospect invited, logs it to the CRM and moves the deal to MEETING_BOOKED (creating
 * the deal if the prospect has none). The same prospect and slot always give the same meeting.
 */
export async function book(
  services: Services,
  principal: Principal,
  prospect: ProspectRecord,
  slot: TimeSlot,
  correlationId: string,
): Promise<Booking & { created: boolean }> {
  const tenantId = principal.tenantId;
  const start = new Date(slot.start).toISOString();
  const end = new Date(slot.end).toISOString();
  const idempotencyKey = `${tenantId}|${prospect.id}|${start}`;
  const bookingId = `booking-${sha256(idempotencyKey).slice(0, 24)}`;
  const pk = tenantPartition(tenantId);
  const existing = await services.store.crmObjects.read(pk, bookingId);
  if (existing) return { ...(await finishedBooking(services, pk, bookingId)), created: false };

  // Claim the slot for this prospect first: of two clicks racing, one books and the other waits for it.
  const organizer = await organizerFor(services, tenantId, prospect);
  try {
    await services.store.crmObjects.create({
      id: bookingId,
      pk,
      tenantId,
      objectType: 'meeting',
      properties: { start, end, prospectId: prospect.id, organizer, status: 'booking' },
      associations: [{ type: 'prospect', id: prospect.id }],
      createdAt: services.clock.now().toISOString(),
    });
  } catch (error) {
    if (!(error instanceof ConflictError)) throw error;
    return { ...(await finishedBooking(services, pk, bookingId)), created: false };
  }
  const { slots } = await availability(services, tenantId, prospect, 14);
  if (!slots.some((candidate) => candidate.start === start && candidate.end === end)) {
    await services.store.crmObjects.delete(pk, bookingId);
    throw conflict('That time is not free any more, or was never offered: pick one from the availability list.');
  }
  const meeting = await services.calendar.createMeeting(tenantId, {
    organizer,
    attendee: prospect.email,
    subject: headerSafe(`${displayName(prospect)} / ${prospect.company ?? prospect.domain}`),
    body: 'Looking forward to our conversation.',
    start,
    end,
    idempotencyKey,
  });
  const booking: Booking = { meetingId: meeting.meetingId, ...(meeting.joinUrl ? { joinUrl: meeting.joinUrl } : {}), start, end };
  await services.store.crmObjects.update(pk, bookingId, (claim) => ({ ...claim, properties: { ...claim.properties, ...booking, status: 'booked' } }));
  await services.crm.logEngagement(tenantId, {
    engagementId: bookingId,
    type: 'meeting',
    contactEmail: prospect.email,
    subject: `Meeting with ${displayName(prospect)}`,
    body: `${start} – ${end}${meeting.joinUrl ? `, ${meeting.joinUrl}` : ''}`,
    at: start,
  });
  const [deal] = await dealsFor(services, tenantId, prospect.email, prospect.domain);
  const stage = dealStageFor((await currentPolicy(services, tenantId)).rules, 'meeting_booked');
  if (deal) {
    await advanceDeal(services, deal, stage, correlationId, 'meeting booked');
  } else {
    await createDealFromReply(services, {
      tenantId,
      prospect,
      sourceMessageId: bookingId,
      confidence: 1,
      stage,
      excerpt: `Meeting booked for ${start}`,
      correlationId,
      actor: { type: 'user', id: principal.userId, name: principal.name },
    });
  }
  await services.audit.append(tenantId, {
    actor: { type: 'user', id: principal.userId, name: principal.name },
    type: 'meeting.booked',
    correlationId,
    idempotencyKey: `meeting.booked:${bookingId}`,
    payload: { prospectId: prospect.id, meetingId: meeting.meetingId, start, end },
  });
  return { ...booking, created: true };
}

/** The booking another request is making or has made for the same prospect and slot. */
async function finishedBooking(services: Services, pk: string, bookingId: string): Promise<Booking> {
  for (let attempt = 0; attempt < 100; attempt += 1) {
    const record = await services.store.crmObjects.read(pk, bookingId);
    if (record?.properties.status === 'booked') {
      const { meetingId, joinUrl, start, end } = record.properties as Booking;
      return { meetingId, ...(joinUrl ? { joinUrl } : {}), start, end };
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw conflict('The same booking is still being made: try again in a moment.');
}
