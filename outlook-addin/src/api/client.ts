import { z } from 'zod';
import {
  availabilitySchema,
  bookingRequestSchema,
  bookingSchema,
  messageInsightSchema,
  type Availability,
  type Booking,
  type BookingRequest,
  type MessageInsight,
} from '@asep/shared/insights/insight';
import type { Role } from '@asep/shared/access/roles';
import type { StoredMessage } from '../office/standInMailbox';
import { ApiProblem, isAbort } from './problem';

export type ReplyLabel = MessageInsight['classification']['label'];

export interface NewProspect {
  email: string;
  fullName?: string;
  company?: string;
}

/** `GET /api/dev/mailbox/message`: a message of the local sandbox mailbox. */
const storedMessageSchema = z.object({
  internetMessageId: z.string(),
  from: z.string(),
  to: z.string().optional(),
  subject: z.string(),
  body: z.string().optional(),
  conversationId: z.string(),
  receivedAt: z.string().optional(),
});

const devTokenSchema = z.object({ access_token: z.string().min(1) });

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
export function createApiClient({ baseUrl, accessToken, fetch: fetchImpl = globalThis.fetch.bind(globalThis) }: ApiClientOptions) {
  async function call<T>(
    method: 'GET' | 'POST',
    path: string,
    schema: z.ZodType<T>,
    options: { body?: unknown; signal?: AbortSignal } = {},
  ): Promise<T> {
    const headers: Record<string, string> = { authorization: `Bearer ${await accessToken()}`, accept: 'application/json' };
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    const response = await send(fetchImpl, `${baseUrl}${path}`, {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: options.signal,
    });
    return parseBody(response, schema);
  }

  const segment = encodeURIComponent;

  return {
    insightForMessage: (internetMessageId: string, signal?: AbortSignal): Promise<MessageInsight> =>
      call('GET', `/v1/insights/by-message?internetMessageId=${segment(internetMessageId)}`, messageInsightSchema, { signal }),

    availability: (prospectId: string, days: number, signal?: AbortSignal): Promise<Availability> =>
      call('GET', `/v1/availability?prospectId=${segment(prospectId)}&days=${days}`, availabilitySchema, { signal }),

    book: async (request: BookingRequest): Promise<Booking> => {
      const body = bookingRequestSchema.safeParse(request);
      if (!body.success) throw new Error(`Invalid booking request: ${z.prettifyError(body.error)}`);
      return call('POST', '/v1/bookings', bookingSchema, { body: body.data });
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

export interface DevIdentity {
  tenantId: string;
  userId: string;
  name: string;
  roles: Role[];
}

/** Local suite only: a token from the local issuer (`POST /api/dev/token`). */
export async function requestDevToken(
  baseUrl: string,
  identity: DevIdentity,
  fetchImpl: typeof fetch = globalThis.fetch.bind(globalThis),
): Promise<string> {
  const response = await send(fetchImpl, `${baseUrl}/dev/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify(identity),
  });
  return (await parseBody(response, devTokenSchema)).access_token;
}

async function send(fetchImpl: typeof fetch, url: string, init: RequestInit): Promise<Response> {
  try {
    return await fetchImpl(url, init);
  } catch (error) {
    if (isAbort(error)) throw error;
    throw new ApiProblem(0, 'The ASEP service could not be reached', error instanceof Error ? error.message : String(error));
  }
}

async function parseBody<T>(response: Response, schema: z.ZodType<T>): Promise<T> {
  if (!response.ok) throw await ApiProblem.fromResponse(response);
  const notUnderstood = 'The ASEP service sent an answer the pane does not understand';
  const text = await response.text();
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    throw new ApiProblem(response.status, notUnderstood, 'The body is not JSON.');
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw new ApiProblem(response.status, notUnderstood, z.prettifyError(parsed.error));
  return parsed.data;
}
