import { z } from 'zod';
import { prospectIdSchema } from '@asep/shared/ids/ids';
import { bookingRequestSchema } from '@asep/shared/insights/insight';
import { registerApi } from '../http/api';
import { badRequest } from '../http/problem';
import { availability, book, bookableProspect } from './bookings';

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
    if (Date.parse(body.end) <= Date.parse(body.start))
      throw badRequest('end must be after start.', [{ field: 'end', message: 'must be after start' }]);
    const prospect = await bookableProspect(services, principal.tenantId, body.prospectId);
    const { created, ...booking } = await book(services, principal, prospect, { start: body.start, end: body.end }, correlationId);
    return { status: created ? 201 : 200, body: booking };
  },
);
