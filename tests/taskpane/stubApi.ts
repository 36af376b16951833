import {
  availabilitySchema,
  bookingRequestSchema,
  bookingCancelSchema,
  bookingSchema,
  paneInsightSchema,
  slotChangeSchema,
  type Availability,
  type MessageInsight,
  type PaneInsight,
} from '@asep/shared/insights/insight';
import type { Role } from '@asep/shared/access/roles';
import type { Page, Route } from 'playwright-core';
import type { StoredMessage as DevMailboxMessage } from '@asep/shared/mail/message';

/** A message of the sandbox mailbox, as `GET /api/dev/mailbox/message` returns it, every field known. */
export type StoredMessage = Required<DevMailboxMessage>;

export interface StubSeed {
  messages: StoredMessage[];
  /** Insights (of replies and of drafts) by internet message id; a message without one answers 404 (not part of any campaign). */
  insights: Record<string, PaneInsight>;
  availability: Availability;
  role?: Role;
  /** Milliseconds to hold the insight answer of a message, to play a slow service. */
  insightDelayMs?: Record<string, number>;
  /** Statuses to answer insight requests with, in order, before answering normally. */
  insightFailures?: number[];
  /** The next action the service gives once a meeting is cancelled. */
  nextActionWithoutMeeting?: MessageInsight['nextAction'];
  /** Milliseconds to hold the stand-in mailbox's message answers, to play a slow local mailbox. */
  messageDelayMs?: number;
}

export interface RecordedCall {
  method: string;
  path: string;
  body: unknown;
}

export interface StubApi {
  /** Every /api call the pane made, in order. */
  calls: RecordedCall[];
  /** Requests (`→ GET /api/…`) and answers (`← /api/…`) as they happened: which request waited for which answer. */
  timeline: string[];
  /** Resolves when the held insight answer for `internetMessageId` was delivered to (or dropped by) the page. */
  lateAnswerSettled(internetMessageId: string): Promise<'delivered' | 'dropped'>;
}

const problem = (route: Route, status: number, title: string, detail: string) =>
  route.fulfill({ status, contentType: 'application/problem+json', body: JSON.stringify({ type: 'about:blank', title, status, detail }) });

const ok = (route: Route, body: unknown, status = 200) => route.fulfill({ status, contentType: 'application/json', body: JSON.stringify(body) });

function unsignedToken(claims: object): string {
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${encode({ alg: 'none', typ: 'JWT' })}.${encode(claims)}.`;
}

/**
 * Answers the pane's API calls from `seed`, every body checked against the shared schemas, so the browser
 * tests run without the backend. Any request that leaves the loopback host is refused.
 */
export async function stubApi(page: Page, seed: StubSeed): Promise<StubApi> {
  const calls: RecordedCall[] = [];
  const timeline: string[] = [];
  const settled = new Map<string, Promise<'delivered' | 'dropped'>>();
  const failures = [...(seed.insightFailures ?? [])];
  let meetings = 0;

  await page.route(
    (url) => url.hostname !== '127.0.0.1',
    (route) => route.abort('blockedbyclient'),
  );

  await page.route('**/api/**', async (route) => {
    const request = route.request();
    const url = new URL(request.url());
    const body = request.postData() ? JSON.parse(request.postData()!) : undefined;
    calls.push({ method: request.method(), path: `${url.pathname}${url.search}`, body });
    timeline.push(`→ ${request.method()} ${url.pathname}`);
    await answer(route, url);
    timeline.push(`← ${url.pathname}`);
  });

  async function answer(route: Route, url: URL) {
    const request = route.request();
    const body = request.postData() ? JSON.parse(request.postData()!) : undefined;

    if (url.pathname === '/api/dev/token') {
      return ok(route, {
        access_token: unsignedToken({ roles: body.roles ?? [seed.role ?? 'Operator'], exp: Math.floor(Date.now() / 1000) + 3600 }),
      });
    }
    if (!request.headers().authorization?.startsWith('Bearer ')) return problem(route, 401, 'Unauthorized', 'No bearer token');

    if (url.pathname === '/api/dev/mailbox/message') {
      if (seed.messageDelayMs) await new Promise((resolve) => setTimeout(resolve, seed.messageDelayMs));
      const message = seed.messages.find((candidate) => candidate.internetMessageId === url.searchParams.get('internetMessageId'));
      return message ? ok(route, message) : problem(route, 404, 'Not Found', 'No such message in the sandbox mailbox');
    }
    if (url.pathname === '/api/v1/insights/by-message') {
      const id = url.searchParams.get('internetMessageId')!;
      const failure = failures.shift();
      if (failure) return problem(route, failure, 'Service Unavailable', 'The store is restarting');
      const insight = seed.insights[id];
      if (!insight) return problem(route, 404, 'Not Found', 'The message is not part of any campaign');
      const delay = seed.insightDelayMs?.[id];
      if (!delay) return ok(route, paneInsightSchema.parse(insight));
      const answer = new Promise<void>((resolve) => setTimeout(resolve, delay)).then(() =>
        ok(route, paneInsightSchema.parse(insight)).then(
          () => 'delivered' as const,
          // The page gave up on the request (it aborted it when the selection moved on).
          () => 'dropped' as const,
        ),
      );
      settled.set(id, answer);
      return answer;
    }
    if (url.pathname === '/api/v1/availability') return ok(route, availabilitySchema.parse(seed.availability));
    if (url.pathname === '/api/v1/bookings' && request.method() === 'POST') {
      const booking = bookingRequestSchema.parse(body);
      meetings += 1;
      return ok(
        route,
        bookingSchema.parse({
          bookingId: `booking-${meetings}`,
          meetingId: `meeting-${meetings}`,
          joinUrl: `https://teams.microsoft.com/l/meetup-join/meeting-${meetings}`,
          ...booking,
          status: 'booked',
          rep: { name: 'Rep', mailbox: 'rep@demo.asep.local', timeZone: seed.availability.timeZone },
          ...(seed.availability.prospectTimeZone ? { prospectTimeZone: seed.availability.prospectTimeZone } : {}),
          bookedAt: '2030-06-02T09:30:00Z',
        }),
        201,
      );
    }
    const bookingChange = url.pathname.match(/^\/api\/v1\/bookings\/([^/]+)\/(reschedule|cancel)$/);
    if (bookingChange && request.method() === 'POST') {
      // As the service does: the prospect's insight shows the moved meeting, or none once it is cancelled.
      const [, bookingId, change] = bookingChange;
      const booked = Object.values(seed.insights).find(
        (insight): insight is MessageInsight => insight.kind === 'reply' && insight.booking?.bookingId === decodeURIComponent(bookingId!),
      );
      if (!booked?.booking) return problem(route, 404, 'Not Found', 'No such booking');
      if (change === 'reschedule') {
        const slot = slotChangeSchema.parse(body);
        booked.booking = { ...booked.booking, ...slot, rescheduledFrom: [...booked.booking.rescheduledFrom, { start: booked.booking.start, end: booked.booking.end }] };
        return ok(route, bookingSchema.parse(booked.booking));
      }
      const { reason } = bookingCancelSchema.parse(body);
      const cancelled = { ...booked.booking, status: 'cancelled' as const, cancelledAt: '2030-06-02T10:00:00Z', ...(reason ? { cancelReason: reason } : {}) };
      delete booked.booking;
      booked.nextAction = seed.nextActionWithoutMeeting ?? { kind: 'book_meeting', label: 'Propose times for a call' };
      return ok(route, bookingSchema.parse(cancelled));
    }
    if (request.method() === 'POST') return ok(route, {});
    return problem(route, 404, 'Not Found', `No stub for ${url.pathname}`);
  }

  return {
    calls,
    timeline,
    lateAnswerSettled: async (internetMessageId) => {
      for (let waited = 0; !settled.has(internetMessageId); waited += 20) {
        if (waited > 10_000) throw new Error(`No held answer for ${internetMessageId}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      return settled.get(internetMessageId)!;
    },
  };
}
