import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AdjustableClock } from '../../functions/src/clock/clock';
import { connectGraph, type GraphConnection } from '../../functions/src/graph/connection';
import { GraphRequestError, type GraphRequestPolicy } from '../../functions/src/graph/graph-requests';
import type { OutboundEmail } from '../../functions/src/mail/mail-provider';
import { sendDraftOnce } from '../../functions/src/mail/send-once';
import { touchKeyProperty } from '../../functions/src/graph/graph-mail';
import { startGraphFake, type GraphFake } from './fakes/graph';
import type { JsonObject } from './fakes/openapi-schema';
import { graphClient, inboxMessage, modelExchange, startBatchFront, type BatchFront } from './graph-exchange';

const tenantId = '00000000-0000-4000-8000-0000000000aa';
const seller = 'rep@contoso.example';
const prospect = 'dana@fabrikam.example';

/** Short waits so the retry paths run in test time; the SDK still honours Retry-After as Graph sends it. */
const quickPolicy: GraphRequestPolicy = {
  timeoutMs: 2_000,
  throttleRetries: 2,
  throttleDelaySeconds: 0.1,
  serverErrorRetries: 2,
  serverErrorBackoffMs: 50,
};

let fake: GraphFake;
let front: BatchFront;
let webhook: Server;
let webhookUrl: string;
let graph: GraphConnection;
let clock: AdjustableClock;

function connect(policy: GraphRequestPolicy = quickPolicy): GraphConnection {
  return connectGraph(graphClient(front), clock, {
    policy,
    subscriptions: { notificationUrl: `${webhookUrl}/notifications`, lifecycleNotificationUrl: `${webhookUrl}/lifecycle`, lifetimeMinutes: 4230 },
  });
}

/** Stands in for ASEP's webhook, which Graph validates before it grants a subscription. */
async function startValidationEcho(): Promise<Server> {
  const server = createServer((request, response) => {
    const token = new URL(request.url ?? '/', 'http://127.0.0.1').searchParams.get('validationToken') ?? '';
    response.writeHead(200, { 'content-type': 'text/plain' }).end(token);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

beforeEach(async () => {
  webhook = await startValidationEcho();
  webhookUrl = `http://127.0.0.1:${(webhook.address() as AddressInfo).port}`;
  fake = await startGraphFake();
  front = await startBatchFront(fake);
  modelExchange(fake, front);
  clock = new AdjustableClock();
  graph = connect();
});

afterEach(async () => {
  webhook.close();
  await front.close();
  await fake.close();
});

const firstTouch: OutboundEmail = {
  tenantId,
  mailbox: seller,
  to: prospect,
  subject: 'Pipeline hygiene at Fabrikam',
  body: 'Hi Dana,\n\nWorth a look?',
  touchKey: 'out-first-touch',
};
const folder = (name: string) => fake.mailbox(seller).messages.filter((message) => message.parentFolderId === name);
const headerOf = (message: JsonObject, name: string) =>
  (message.internetMessageHeaders as { name: string; value: string }[] | undefined)?.find((header) => header.name === name)?.value;

async function failureOf(work: Promise<unknown>): Promise<GraphRequestError> {
  const error = await work.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(GraphRequestError);
  return error as GraphRequestError;
}

describe('Graph mail adapter', () => {
  it('creates the touch as a draft with known ids, then sends that draft from the rep’s mailbox', async () => {
    const draft = await graph.mail.createDraft(firstTouch);
    expect(folder('drafts')).toEqual([expect.objectContaining({ internetMessageId: draft.internetMessageId, subject: firstTouch.subject })]);

    const { sentAt } = await graph.mail.sendDraft(tenantId, seller, draft.draftId);
    expect(Date.parse(sentAt)).not.toBeNaN();
    expect(folder('drafts')).toEqual([]);
    expect(folder('sentitems')).toEqual([
      expect.objectContaining({
        internetMessageId: draft.internetMessageId,
        toRecipients: [{ emailAddress: { address: prospect } }],
        body: { contentType: 'text', content: firstTouch.body },
      }),
    ]);
    expect(fake.requests.map((request) => [request.operation, request.pathParams['user-id']])).toEqual([
      // First the touch key is looked for in Sent Items and Drafts: a message made before a crash is taken, not made again.
      ['graph:user.mailFolder_ListMessage', seller],
      ['graph:user.mailFolder_ListMessage', seller],
      ['graph:user_CreateMessage', seller],
      ['graph:user.message_send', seller],
    ]);
    expect(fake.requests.every((request) => request.headers.authorization === 'Bearer [redacted]')).toBe(true);
    expect(fake.violations).toEqual([]);
  });

  it('delivers a draft once when its send is repeated, answering with the first send’s time', async () => {
    const draft = await graph.mail.createDraft(firstTouch);
    await graph.mail.sendDraft(tenantId, seller, draft.draftId);
    const again = await graph.mail.sendDraft(tenantId, seller, draft.draftId);

    expect(folder('sentitems')).toHaveLength(1);
    expect(again.sentAt).toBe(folder('sentitems')[0]!.sentDateTime);
    expect(fake.violations).toEqual([]);
  });

  it('puts the touch key on the message and, after a crash, adopts what it finds under that key instead of sending again', async () => {
    const draft = await graph.mail.createDraft(firstTouch);
    const created = folder('drafts')[0]!;
    expect(created.singleValueExtendedProperties).toEqual([{ id: touchKeyProperty, value: firstTouch.touchKey }]);
    // The activity dies before recording the draft, runs again: the same draft is found, not a second one made.
    expect(await graph.mail.createDraft(firstTouch)).toEqual(draft);
    expect(folder('drafts')).toHaveLength(1);

    // It dies again, between Graph's send and our record of it: the sent copy is found by its key and adopted.
    await graph.mail.sendDraft(tenantId, seller, draft.draftId);
    const sentCount = fake.requests.filter((request) => request.operation === 'graph:user.message_send').length;
    const outcome = await sendDraftOnce(graph.mail, { tenantId, mailbox: seller, touchKey: firstTouch.touchKey, draftId: draft.draftId });
    expect(outcome).toEqual({ sentAt: folder('sentitems')[0]!.sentDateTime, adopted: true });
    expect(fake.requests.filter((request) => request.operation === 'graph:user.message_send')).toHaveLength(sentCount);
    expect(folder('sentitems')).toHaveLength(1);
    expect(await graph.mail.findByKey(tenantId, seller, 'out-never-sent')).toBeUndefined();
    expect(fake.violations).toEqual([]);
  });

  it('threads a follow-up as a reply to the previous touch in Sent Items, addressed to the prospect', async () => {
    const first = await graph.mail.createDraft(firstTouch);
    await graph.mail.sendDraft(tenantId, seller, first.draftId);
    const previous = folder('sentitems')[0]!;

    const followUp = await graph.mail.createDraft({
      ...firstTouch,
      touchKey: 'out-follow-up',
      body: 'A short nudge on my note below.',
      inReplyTo: first.internetMessageId,
      references: [first.internetMessageId],
    });
    await graph.mail.sendDraft(tenantId, seller, followUp.draftId);

    const sent = folder('sentitems').find((message) => message.internetMessageId === followUp.internetMessageId)!;
    expect(fake.requestsTo('POST /users/{user-id}/messages/{message-id}/createReply').map((request) => request.pathParams['message-id'])).toEqual([
      previous.id,
    ]);
    expect(headerOf(sent, 'In-Reply-To')).toBe(first.internetMessageId);
    expect(sent).toMatchObject({
      conversationId: previous.conversationId,
      subject: firstTouch.subject,
      toRecipients: [{ emailAddress: { address: prospect } }],
      body: { contentType: 'text', content: 'A short nudge on my note below.' },
    });
    expect(fake.violations).toEqual([]);
  });

  it('finds the previous touch by an internet message id with characters a URL or OData would misread', async () => {
    const awkwardId = "<o'brien+1&2#3@contoso.example>";
    fake.mailbox(seller).messages.push({
      ...inboxMessage({ from: seller, to: prospect, subject: 'Earlier', body: 'Earlier' }),
      id: 'sent-1',
      internetMessageId: awkwardId,
      parentFolderId: 'sentitems',
    });

    await graph.mail.createDraft({ ...firstTouch, inReplyTo: awkwardId });
    expect(fake.requestsTo('POST /users/{user-id}/messages/{message-id}/createReply').map((request) => request.pathParams['message-id'])).toEqual([
      'sent-1',
    ]);
    expect(fake.violations).toEqual([]);
  });

  it('sends a follow-up as a new message when the previous touch is no longer in Sent Items', async () => {
    const draft = await graph.mail.createDraft({ ...firstTouch, inReplyTo: '<deleted-by-the-rep@contoso.example>' });
    expect(fake.requestsTo('POST /users/{user-id}/messages/{message-id}/createReply')).toEqual([]);
    expect(folder('drafts')).toEqual([
      expect.objectContaining({ internetMessageId: draft.internetMessageId, toRecipients: [{ emailAddress: { address: prospect } }] }),
    ]);
    expect(fake.violations).toEqual([]);
  });
});

describe('Graph calendar adapter', () => {
  const event = (start: string, end: string, showAs = 'busy'): JsonObject => ({
    id: `event-${start}`,
    subject: 'Busy',
    showAs,
    start: { dateTime: start, timeZone: 'UTC' },
    end: { dateTime: end, timeZone: 'UTC' },
  });

  it('reads busy time from getSchedule as UTC instants, leaving free time out', async () => {
    fake
      .mailbox(seller)
      .events.push(
        event('2031-03-04T09:00:00', '2031-03-04T10:00:00'),
        event('2031-03-04T12:00:00', '2031-03-04T12:30:00', 'free'),
        event('2031-03-04T15:00:00', '2031-03-04T15:30:00', 'oof'),
      );

    const busy = await graph.calendar.busy(tenantId, seller, '2031-03-04T08:00:00.000Z', '2031-03-04T18:00:00.000Z');

    expect(busy).toEqual([
      { start: '2031-03-04T09:00:00.000Z', end: '2031-03-04T10:00:00.000Z' },
      { start: '2031-03-04T15:00:00.000Z', end: '2031-03-04T15:30:00.000Z' },
    ]);
    const [request] = fake.requestsTo('POST /users/{user-id}/calendar/getSchedule');
    expect(request!.headers.prefer).toBe('outlook.timezone="UTC"');
    expect(request!.body).toMatchObject({ schedules: [seller], startTime: { dateTime: '2031-03-04T08:00:00.000', timeZone: 'UTC' } });
    expect(fake.violations).toEqual([]);
  });

  it("reads a rep's working hours and zone from their mailbox settings, Windows zone names included", async () => {
    fake.mailbox(seller).workingHours = {
      daysOfWeek: ['monday', 'tuesday', 'wednesday', 'thursday'],
      startTime: '08:30:00.0000000',
      endTime: '16:30:00.0000000',
      timeZone: { name: 'Central Standard Time' },
    };
    fake.mailbox(prospect).workingHours = { daysOfWeek: ['monday'], startTime: '09:00:00', endTime: '17:00:00', timeZone: { name: 'Europe/Berlin' } };

    expect(await graph.calendar.workingHours(tenantId, seller)).toEqual({
      timeZone: 'America/Chicago',
      workingHours: { start: '08:30', end: '16:30', days: [1, 2, 3, 4] },
    });
    expect((await graph.calendar.workingHours(tenantId, prospect))?.timeZone).toBe('Europe/Berlin');
    expect(await graph.calendar.workingHours(tenantId, 'new.hire@contoso.example')).toBeUndefined();
    expect(fake.requestsTo('POST /users/{user-id}/calendar/getSchedule')).toHaveLength(3);
    expect(fake.violations).toEqual([]);
  });

  const meeting = {
    organizer: seller,
    attendee: prospect,
    subject: 'Fabrikam and Contoso',
    body: 'As agreed.',
    start: '2031-03-05T14:00:00.000Z',
    end: '2031-03-05T14:30:00.000Z',
    idempotencyKey: `${tenantId}|p-1|2031-03-05T14:00:00.000Z`,
  };

  it('books the meeting as a calendar event with a Teams link and the prospect invited', async () => {
    const booked = await graph.calendar.createMeeting(tenantId, meeting);

    const [stored] = fake.mailbox(seller).events;
    expect(booked).toEqual({ meetingId: stored!.id, joinUrl: expect.stringMatching(/^https:\/\/teams\.microsoft\.com\/l\/meetup-join\//) });
    expect(stored).toMatchObject({
      isOnlineMeeting: true,
      onlineMeetingProvider: 'teamsForBusiness',
      attendees: [{ emailAddress: { address: prospect }, type: 'required' }],
      start: { dateTime: '2031-03-05T14:00:00.000', timeZone: 'UTC' },
    });
    expect(fake.violations).toEqual([]);
  });

  it('moves a booked meeting, then cancels it with a note to the attendee, freeing the time', async () => {
    const booked = await graph.calendar.createMeeting(tenantId, meeting);
    await graph.calendar.rescheduleMeeting(tenantId, {
      organizer: seller,
      meetingId: booked.meetingId,
      start: '2031-03-06T16:00:00.000Z',
      end: '2031-03-06T16:30:00.000Z',
    });
    expect(fake.mailbox(seller).events[0]).toMatchObject({ start: { dateTime: '2031-03-06T16:00:00.000', timeZone: 'UTC' } });
    expect(await graph.calendar.busy(tenantId, seller, '2031-03-06T08:00:00Z', '2031-03-06T20:00:00Z')).toEqual([
      { start: '2031-03-06T16:00:00.000Z', end: '2031-03-06T16:30:00.000Z' },
    ]);

    await graph.calendar.cancelMeeting(tenantId, { organizer: seller, meetingId: booked.meetingId, comment: 'Dana asked to move to next month' });
    const [cancel] = fake.requestsTo('POST /users/{user-id}/events/{event-id}/cancel');
    expect(cancel!.body).toEqual({ comment: 'Dana asked to move to next month' });
    expect(await graph.calendar.busy(tenantId, seller, '2031-03-06T08:00:00Z', '2031-03-06T20:00:00Z')).toEqual([]);
    expect(fake.violations).toEqual([]);
  });

  it('books the same meeting once however often it is asked, and another slot separately', async () => {
    const first = await graph.calendar.createMeeting(tenantId, meeting);
    const repeated = await graph.calendar.createMeeting(tenantId, meeting);
    const other = await graph.calendar.createMeeting(tenantId, {
      ...meeting,
      start: '2031-03-05T15:00:00.000Z',
      end: '2031-03-05T15:30:00.000Z',
      idempotencyKey: `${tenantId}|p-1|2031-03-05T15:00:00.000Z`,
    });

    expect(repeated).toEqual(first);
    expect(other.meetingId).not.toBe(first.meetingId);
    expect(fake.mailbox(seller).events).toHaveLength(2);
    expect(fake.violations).toEqual([]);
  });
});

describe('Graph failures', () => {
  it('reports a 401 as a failure that retrying will not fix', async () => {
    fake.failNext('POST /users/{user-id}/messages', { status: 401 });
    const failure = await failureOf(graph.mail.createDraft(firstTouch));
    expect(failure).toMatchObject({ status: 401, retryable: false });
    expect(fake.requestsTo('POST /users/{user-id}/messages')).toHaveLength(1);
  });

  it('reports sending a draft that does not exist as not found', async () => {
    const failure = await failureOf(graph.mail.sendDraft(tenantId, seller, JSON.stringify(['no-such-draft', '<never-sent@contoso.example>'])));
    expect(failure).toMatchObject({ status: 404, notFound: true, retryable: false });
    expect(fake.violations).toEqual([]);
  });

  it('waits the Retry-After Graph asks for after a 429, then succeeds', async () => {
    fake.failNext('POST /users/{user-id}/messages', { status: 429, retryAfterSeconds: 1 });
    const started = Date.now();
    const draft = await graph.mail.createDraft(firstTouch);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(draft.internetMessageId).toMatch(/^<.+>$/);
    expect(fake.requestsTo('POST /users/{user-id}/messages')).toHaveLength(2);
  });

  it('gives up on throttling after the configured retries, saying when to come back', async () => {
    for (let attempt = 0; attempt < 3; attempt += 1)
      fake.failNext('POST /users/{user-id}/calendar/getSchedule', { status: 429, retryAfterSeconds: 0 });
    const failure = await failureOf(graph.calendar.busy(tenantId, seller, '2031-03-04T08:00:00Z', '2031-03-04T18:00:00Z'));
    expect(failure).toMatchObject({ status: 429, retryable: true, retryAfterSeconds: 0 });
    expect(fake.requestsTo('POST /users/{user-id}/calendar/getSchedule')).toHaveLength(3);
  });

  it('backs off and repeats a read after a 5xx, but not a create that could happen twice', async () => {
    fake.failNext('POST /users/{user-id}/calendar/getSchedule', { status: 500 });
    fake.failNext('POST /users/{user-id}/calendar/getSchedule', { status: 502 });
    expect(await graph.calendar.busy(tenantId, seller, '2031-03-04T08:00:00Z', '2031-03-04T18:00:00Z')).toEqual([]);
    expect(fake.requestsTo('POST /users/{user-id}/calendar/getSchedule')).toHaveLength(3);

    fake.failNext('POST /users/{user-id}/messages', { status: 500 });
    const failure = await failureOf(graph.mail.createDraft(firstTouch));
    expect(failure).toMatchObject({ status: 500, retryable: true });
    expect(fake.requestsTo('POST /users/{user-id}/messages')).toHaveLength(1);
  });

  it('stops waiting for a stalled call at the deadline, and repeats it when that is harmless', async () => {
    graph = connect({ ...quickPolicy, timeoutMs: 300 });
    fake.failNext('POST /users/{user-id}/messages', { hangMs: 1_000 });
    const failure = await failureOf(graph.mail.createDraft(firstTouch));
    expect(failure).toMatchObject({ status: undefined, code: 'timeout', retryable: true });

    fake.failNext('POST /users/{user-id}/calendar/getSchedule', { hangMs: 1_000 });
    expect(await graph.calendar.busy(tenantId, seller, '2031-03-04T08:00:00Z', '2031-03-04T18:00:00Z')).toEqual([]);
    expect(fake.requestsTo('POST /users/{user-id}/calendar/getSchedule')).toHaveLength(2);
  });

  it('runs at most four requests at once against one mailbox, while another mailbox is not held up', async () => {
    let running = 0;
    let mostAtOnce = 0;
    fake.handle('POST /users/{user-id}/calendar/getSchedule', async (request) => {
      const forSeller = request.pathParams['user-id'] === seller;
      if (forSeller) running += 1;
      mostAtOnce = Math.max(mostAtOnce, running);
      await sleep(forSeller ? 150 : 0);
      if (forSeller) running -= 1;
      return { status: 200, body: { value: [{ scheduleId: request.pathParams['user-id'], availabilityView: '', scheduleItems: [] }] } };
    });
    const window = ['2031-03-04T08:00:00Z', '2031-03-04T18:00:00Z'] as const;
    const busySeller = Promise.all(Array.from({ length: 10 }, () => graph.calendar.busy(tenantId, seller, ...window)));
    await sleep(50);
    const otherStarted = Date.now();
    await graph.calendar.busy(tenantId, 'other@contoso.example', ...window);
    expect(Date.now() - otherStarted).toBeLessThan(150);
    await busySeller;
    expect(mostAtOnce).toBe(4);
    expect(fake.violations).toEqual([]);
  });
});

describe('Graph inbox reads', () => {
  it('fetches notified messages in JSON batches of four, with text bodies and threading headers, skipping deleted ones', async () => {
    const messages = Array.from({ length: 5 }, (_, index) =>
      inboxMessage({
        from: `p${index}@fabrikam.example`,
        to: seller,
        subject: `Re: hello ${index}`,
        body: `Reply ${index}`,
        inReplyTo: '<touch@contoso.example>',
      }),
    );
    fake.mailbox(seller).messages.push(...messages);

    const fetched = await graph.inbox.fetch(seller, [...messages.map((message) => String(message.id)), 'deleted-meanwhile']);

    expect(front.batches).toEqual([4, 2]);
    expect(fetched.map((message) => message.received.internetMessageId).sort()).toEqual(messages.map((message) => message.internetMessageId).sort());
    expect(fetched[0]).toMatchObject({
      ownMessage: false,
      received: {
        mailbox: seller,
        from: 'p0@fabrikam.example',
        to: seller,
        subject: 'Re: hello 0',
        body: 'Reply 0',
        headers: { 'In-Reply-To': '<touch@contoso.example>' },
      },
    });
    const reads = fake.requestsTo('GET /users/{user-id}/messages/{message-id}');
    expect(reads).toHaveLength(6);
    expect(reads.every((request) => request.headers.prefer === 'outlook.body-content-type="text"')).toBe(true);
    expect(fake.violations).toEqual([]);
  });

  it('reads a message again on its own when its batch slot was throttled', async () => {
    const messages = [
      inboxMessage({ from: 'a@fabrikam.example', to: seller, subject: 'A', body: 'A' }),
      inboxMessage({ from: 'b@fabrikam.example', to: seller, subject: 'B', body: 'B' }),
    ];
    fake.mailbox(seller).messages.push(...messages);
    fake.failNext('GET /users/{user-id}/messages/{message-id}', { status: 429, retryAfterSeconds: 0 });

    const fetched = await graph.inbox.fetch(
      seller,
      messages.map((message) => String(message.id)),
    );
    expect(fetched).toHaveLength(2);
    expect(fake.requestsTo('GET /users/{user-id}/messages/{message-id}')).toHaveLength(3);
  });

  it('marks the mailbox’s own messages and drafts so they are never taken for replies', async () => {
    const own = inboxMessage({ from: seller.toUpperCase(), to: prospect, subject: 'Mine', body: 'Mine' });
    const draft: JsonObject = { ...inboxMessage({ from: 'x@fabrikam.example', to: seller, subject: 'Draft', body: '' }), isDraft: true };
    fake.mailbox(seller).messages.push(own, draft);
    const fetched = await graph.inbox.fetch(seller, [String(own.id), String(draft.id)]);
    expect(fetched.map((message) => message.ownMessage)).toEqual([true, true]);
  });

  it('lists the messages that arrived since watching began, in one delta round', async () => {
    const older = {
      ...inboxMessage({ from: 'old@fabrikam.example', to: seller, subject: 'Old', body: 'Old' }),
      receivedDateTime: '2020-01-01T00:00:00.000Z',
    };
    const newer = inboxMessage({ from: 'new@fabrikam.example', to: seller, subject: 'New', body: 'New' });
    fake.mailbox(seller).messages.push(older, newer);

    const round = await graph.inbox.arrivals(seller, { since: '2024-01-01T00:00:00.000Z' });
    expect(round.messageIds).toEqual([newer.id]);
    expect(round.deltaLink).toMatch(/\$deltatoken=/);
    const [request] = fake.requestsTo('GET /users/{user-id}/mailFolders/{mailFolder-id}/messages/delta()');
    expect(request!.query).toMatchObject({ changeType: 'created', $filter: 'receivedDateTime ge 2024-01-01T00:00:00.000Z' });
    expect(fake.violations).toEqual([]);
  });
});

describe('Graph reads for research', () => {
  it('finds the past threads with a prospect by participant search: subjects, dates and direction only, newest first, drafts left out', async () => {
    const at = (day: number) => `2030-01-${String(day).padStart(2, '0')}T09:00:00Z`;
    const theirReply: JsonObject = {
      ...inboxMessage({ from: prospect, to: seller, subject: 'Re: Fleet data', body: 'Call me on 555-0101' }),
      receivedDateTime: at(12),
    };
    const ourNote: JsonObject = {
      ...inboxMessage({ from: seller, to: prospect, subject: 'Fleet data', body: 'Private pricing inside' }),
      parentFolderId: 'sentitems',
      sentDateTime: at(10),
      receivedDateTime: at(10),
    };
    const unsent = {
      ...inboxMessage({ from: seller, to: prospect, subject: 'Never sent', body: 'Draft' }),
      parentFolderId: 'drafts',
      isDraft: true,
      createdDateTime: at(20),
    };
    const otherProspect = { ...inboxMessage({ from: 'lee@tailspin.example', to: seller, subject: 'Unrelated', body: '' }), receivedDateTime: at(15) };
    fake.mailbox(seller).messages.push(ourNote, theirReply, unsent, otherProspect);

    const exchanges = await graph.mail.recentExchanges(tenantId, seller, prospect, 3);

    expect(exchanges).toEqual([
      { internetMessageId: String(theirReply.internetMessageId), subject: 'Re: Fleet data', at: at(12), direction: 'received' },
      { internetMessageId: String(ourNote.internetMessageId), subject: 'Fleet data', at: at(10), direction: 'sent' },
    ]);
    const [search] = fake.requestsTo('GET /users/{user-id}/messages');
    expect(search!.pathParams['user-id']).toBe(seller);
    expect(search!.query).toMatchObject({ $search: `"participants:${prospect}"`, $top: '6' });
    // Non-invasive: what the prospect wrote is never read, only that a thread exists, its subject and date.
    expect(String(search!.query.$select).split(',')).not.toEqual(expect.arrayContaining([expect.stringMatching(/body|bodyPreview|uniqueBody/)]));
    expect(JSON.stringify(exchanges)).not.toContain('555-0101');
    expect(fake.violations).toEqual([]);
  });
});

describe('Graph subscriptions', () => {
  it('subscribes to new Inbox messages with a random clientState, and renews before expiry', async () => {
    const created = await graph.subscriptions.create(seller);
    const [request] = fake.requestsTo('POST /subscriptions');
    expect(request!.body).toEqual({
      changeType: 'created',
      notificationUrl: `${webhookUrl}/notifications`,
      lifecycleNotificationUrl: `${webhookUrl}/lifecycle`,
      resource: `users/${seller}/mailFolders('inbox')/messages`,
      expirationDateTime: expect.any(String),
      clientState: created.clientState,
      latestSupportedTlsVersion: 'v1_2',
    });
    expect(Math.abs(Date.parse(created.expiresAt) - (clock.now().getTime() + 4230 * 60_000))).toBeLessThan(5_000);
    expect(created.clientState).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect((await graph.subscriptions.create(seller)).clientState).not.toBe(created.clientState);

    expect(graph.subscriptions.renewalDue(created.expiresAt)).toBe(false);
    clock.advance(2200 * 60_000);
    expect(graph.subscriptions.renewalDue(created.expiresAt)).toBe(true);
    const renewed = await graph.subscriptions.renew(seller, created.subscriptionId);
    expect(Date.parse(renewed.expiresAt)).toBeGreaterThan(Date.parse(created.expiresAt));
    expect(fake.violations).toEqual([]);
  });
});
