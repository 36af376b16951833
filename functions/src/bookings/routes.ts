import { z } from 'zod';
import { bookingIdSchema, prospectIdSchema } from '@asep/shared/ids/ids';
import { bookingCancelSchema, bookingRequestSchema, slotChangeSchema } from '@asep/shared/insights/insight';
import { registerApi } from '../http/api';
import { badRequest } from '../http/problem';
import { availability, book, bookableProspect, cancel, listBookings, reschedule } from './bookings';

const bookingPath = z.object({ id: bookingIdSchema });

const endsAfterStart = (slot: { start: string; end: string }) => {
  if (Date.parse(slot.end) <= Date.parse(slot.start))
    throw badRequest('end must be after start.', [{ field: 'end', message: 'must be after start' }]);
};

registerApi(
  'availabilityGet',
  {
    route: 'v1/availability',
    methods: ['GET'],
    permission: 'bookings.write',
    query: z.object({ prospectId: prospectIdSchema, days: z.coerce.number().int().min(1).max(30).default(5) }),
  },
  async ({ services, principal, query }) => {
    const prospect = await bookableProspect(services, principal.tenantId, query.prospectId);
    const { slots, timeZone, prospectTimeZone, durationMinutes, rep } = await availability(services, principal.tenantId, prospect, query.days);
    return {
      body: {
        slots,
        timeZone,
        ...(prospectTimeZone ? { prospectTimeZone } : {}),
        durationMinutes,
        rep: { name: rep.name, mailbox: rep.mailbox, timeZone: rep.timeZone },
      },
    };
  },
);

registerApi(
  'bookingsCreate',
  { route: 'v1/bookings', methods: ['POST'], permission: 'bookings.write', body: bookingRequestSchema },
  async ({ services, principal, body, correlationId }) => {
    endsAfterStart(body);
    const prospect = await bookableProspect(services, principal.tenantId, body.prospectId);
    const { created, ...booking } = await book(services, principal, prospect, { start: body.start, end: body.end }, correlationId);
    return { status: created ? 201 : 200, body: booking };
  },
);

registerApi(
  'bookingsList',
  { route: 'v1/bookings', methods: ['GET'], permission: 'bookings.write', query: z.object({ prospectId: prospectIdSchema }) },
  async ({ services, principal, query }) => {
    await bookableProspect(services, principal.tenantId, query.prospectId);
    return { body: await listBookings(services, principal.tenantId, query.prospectId) };
  },
);

registerApi(
  'bookingsReschedule',
  { route: 'v1/bookings/{id}/reschedule', methods: ['POST'], permission: 'bookings.write', params: bookingPath, body: slotChangeSchema },
  async ({ services, principal, params, body, correlationId }) => {
    endsAfterStart(body);
    return { body: await reschedule(services, principal, params.id!, body, correlationId) };
  },
);

registerApi(
  'bookingsCancel',
  { route: 'v1/bookings/{id}/cancel', methods: ['POST'], permission: 'bookings.write', params: bookingPath, body: bookingCancelSchema },
  async ({ services, principal, params, body, correlationId }) => ({
    body: await cancel(services, principal, params.id!, body.reason, correlationId),
  }),
);
