import { z } from 'zod';
import {
  availabilitySchema,
  bookingCancelSchema,
  bookingRequestSchema,
  bookingSchema,
  slotChangeSchema,
  paneInsightSchema,
  type Availability,
  type Booking,
  type BookingRequest,
  type PaneInsight,
} from '@asep/shared/insights/insight';
import { storedMessageSchema, type StoredMessage } from '@asep/shared/mail/message';
import type { ReplyLabel } from '@asep/shared/classification/labels';
import { createApiCall } from '@asep/shared/client/call';

export interface NewProspect {
  email: string;
  fullName?: string;
  company?: string;
}

/** The body of an action's response is not used: success is the status code. */
const anyBody = z.unknown();

export interface ApiClientOptions {
  /** Origin (and path prefix) the API is served under; '' means the pane's own origin. */
  baseUrl: string;
  accessToken: () => Promise<string>;
  fetch?: typeof fetch;
}

export type ApiClient = ReturnType<typeof createApiClient>;

/** Every call the pane makes to the ASEP API, each parsed with its shared schema. */
export function createApiClient({ baseUrl, accessToken, fetch: fetchImpl }: ApiClientOptions) {
  const call = createApiCall({ baseUrl, accessToken, reader: 'the pane', ...(fetchImpl && { fetch: fetchImpl }) });

  const segment = encodeURIComponent;

  return {
    /** What ASEP knows about one email, a reply or a draft it wrote, in one round trip. */
    insightForMessage: (internetMessageId: string, signal?: AbortSignal): Promise<PaneInsight> =>
      call('GET', `/v1/insights/by-message?internetMessageId=${segment(internetMessageId)}`, paneInsightSchema, { signal }),

    availability: (prospectId: string, days: number, signal?: AbortSignal): Promise<Availability> =>
      call('GET', `/v1/availability?prospectId=${segment(prospectId)}&days=${days}`, availabilitySchema, { signal }),

    book: async (request: BookingRequest): Promise<Booking> => {
      const body = bookingRequestSchema.safeParse(request);
      if (!body.success) throw new Error(`Invalid booking request: ${z.prettifyError(body.error)}`);
      return call('POST', '/v1/bookings', bookingSchema, { body: body.data });
    },

    /** Moves a booked meeting to another free time; the attendee gets the update. */
    reschedule: async (bookingId: string, slot: { start: string; end: string }): Promise<Booking> => {
      const body = slotChangeSchema.safeParse(slot);
      if (!body.success) throw new Error(`Invalid new time: ${z.prettifyError(body.error)}`);
      return call('POST', `/v1/bookings/${segment(bookingId)}/reschedule`, bookingSchema, { body: body.data });
    },

    /** Cancels a booked meeting; `reason` goes to the attendee with the cancellation. */
    cancelBooking: async (bookingId: string, reason?: string): Promise<Booking> => {
      const body = bookingCancelSchema.safeParse(reason ? { reason } : {});
      if (!body.success) throw new Error(`Invalid cancellation: ${z.prettifyError(body.error)}`);
      return call('POST', `/v1/bookings/${segment(bookingId)}/cancel`, bookingSchema, { body: body.data });
    },

    /** Approves; for a reply review, `label` is the label confirmed or picked. */
    approve: (approvalId: string, decision: { label?: ReplyLabel } = {}) =>
      call('POST', `/v1/approvals/${segment(approvalId)}/approve`, anyBody, { body: decision }),

    correctLabel: (internetMessageId: string, label: ReplyLabel) =>
      call('POST', `/v1/replies/${segment(internetMessageId)}/label`, anyBody, { body: { label } }),

    suppress: (email: string, reason: string) => call('POST', '/v1/suppressions', anyBody, { body: { email, reason } }),

    addProspect: (prospect: NewProspect) => call('POST', '/v1/prospects', anyBody, { body: prospect }),

    logToCrm: (internetMessageId: string) => call('POST', '/v1/crm/log', anyBody, { body: { internetMessageId } }),

    /** Local suite only. */
    storedMessage: (internetMessageId: string): Promise<StoredMessage> =>
      call('GET', `/dev/mailbox/message?internetMessageId=${segment(internetMessageId)}`, storedMessageSchema),
  };
}
