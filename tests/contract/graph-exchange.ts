/**
 * What the Graph adapters need from the Graph fake beyond its default mailboxes, modelled on how Exchange Online
 * behaves, plus a JSON batching front (`POST /v1.0/$batch` is not in the spec subset, so its requests are
 * unpacked here and each one is checked by the fake like any other call).
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client } from '@microsoft/microsoft-graph-client';
import { graphClientOptions, graphError, type GraphFake } from './fakes/graph';
import type { FakeRequest, FakeResponse, OpenApiFake } from './fakes/openapi-fake';
import { isJsonObject, type JsonObject } from './fakes/openapi-schema';

export const testToken = 'graph-test-token';

/** A JSON batch front on loopback: batches are unpacked into individual calls to the fake; anything else passes through. */
export interface BatchFront {
  url: string;
  /** How many requests each batch carried, in order. */
  batches: number[];
  close(): Promise<void>;
}

async function readBody(incoming: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of incoming) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return Buffer.concat(chunks);
}

const hopByHop = ['host', 'connection', 'keep-alive', 'transfer-encoding', 'content-length'];

function withoutHopByHop(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !hopByHop.includes(name.toLowerCase())));
}

interface BatchRequest {
  id: string;
  method: string;
  url: string;
  headers?: Record<string, string>;
  body?: unknown;
}

function batchProblems(body: unknown): string[] {
  if (!isJsonObject(body) || !Array.isArray(body.requests)) return ['a batch needs a "requests" array'];
  const requests = body.requests as BatchRequest[];
  const problems: string[] = [];
  if (requests.length === 0 || requests.length > 20) problems.push(`a batch holds 1 to 20 requests, not ${requests.length}`);
  if (new Set(requests.map((request) => request.id)).size !== requests.length) problems.push('request ids must be unique');
  for (const request of requests) {
    if (typeof request.id !== 'string' || typeof request.method !== 'string' || typeof request.url !== 'string')
      problems.push('each request needs string id, method and url');
    else if (!request.url.startsWith('/')) problems.push(`url "${request.url}" must be relative to the version root`);
  }
  return problems;
}

export async function startBatchFront(fake: OpenApiFake): Promise<BatchFront> {
  const batches: number[] = [];
  const server: Server = createServer((incoming, outgoing) => {
    void (async () => {
      const body = await readBody(incoming);
      const path = incoming.url ?? '/';
      const forwardedHeaders = withoutHopByHop(incoming.headers as Record<string, string>);
      if (incoming.method === 'POST' && path.split('?')[0] === '/v1.0/$batch') {
        const batch = JSON.parse(body.toString('utf8')) as unknown;
        const problems = batchProblems(batch);
        if (problems.length > 0) {
          outgoing.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify(graphError(400, problems.join('; '))));
          return;
        }
        const requests = (batch as { requests: BatchRequest[] }).requests;
        batches.push(requests.length);
        const responses = await Promise.all(
          requests.map(async (request) => {
            const answer = await fetch(`${fake.url}/v1.0${request.url}`, {
              method: request.method,
              headers: { ...request.headers, authorization: String(incoming.headers.authorization ?? '') },
              ...(request.body === undefined ? {} : { body: JSON.stringify(request.body) }),
            });
            const text = await answer.text();
            return {
              id: request.id,
              status: answer.status,
              headers: Object.fromEntries(answer.headers),
              body: text ? (JSON.parse(text) as unknown) : undefined,
            };
          }),
        );
        outgoing.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ responses }));
        return;
      }
      const answer = await fetch(`${fake.url}${path}`, {
        method: incoming.method,
        headers: forwardedHeaders,
        ...(body.length > 0 ? { body: new Uint8Array(body) } : {}),
      });
      outgoing.writeHead(answer.status, withoutHopByHop(Object.fromEntries(answer.headers))).end(Buffer.from(await answer.arrayBuffer()));
    })().catch((error: unknown) => outgoing.destroy(error as Error));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    batches,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A real Graph SDK client, through the batch front, to the fake. */
export function graphClient(front: BatchFront): Client {
  return Client.initWithMiddleware(graphClientOptions({ url: front.url } as OpenApiFake, { getAccessToken: async () => testToken }));
}

const now = () => new Date().toISOString();

function singleFilterValue(request: FakeRequest, property: string): string | undefined {
  const filter = request.query.$filter;
  if (filter === undefined) return undefined;
  const match = new RegExp(`^${property} eq '((?:[^']|'')*)'$`).exec(String(filter));
  if (!match) throw new Error(`the Exchange model only evaluates "${property} eq '…'", got ${String(filter)}`);
  return match[1]!.replace(/''/g, "'");
}

/** Graph's filter on a single-value extended property: `singleValueExtendedProperties/Any(ep: ep/id eq '…' and ep/value eq '…')`. */
function extendedPropertyFilter(request: FakeRequest): { id: string; value: string } | undefined {
  const match = /^singleValueExtendedProperties\/Any\(ep: ep\/id eq '((?:[^']|'')*)' and ep\/value eq '((?:[^']|'')*)'\)$/.exec(
    String(request.query.$filter ?? ''),
  );
  return match ? { id: match[1]!.replace(/''/g, "'"), value: match[2]!.replace(/''/g, "'") } : undefined;
}

function extendedProperties(message: JsonObject): { id: string; value: string }[] {
  return Array.isArray(message.singleValueExtendedProperties) ? (message.singleValueExtendedProperties as { id: string; value: string }[]) : [];
}

function headerList(message: JsonObject): { name: string; value: string }[] {
  return Array.isArray(message.internetMessageHeaders) ? (message.internetMessageHeaders as { name: string; value: string }[]) : [];
}

/** Graph's own validation of a notification URL: it must echo the token as text/plain within 10 s. */
async function validateNotificationUrl(url: string): Promise<boolean> {
  const token = `Validation: Testing client application reachability for subscription Request-Id: ${randomUUID()}`;
  const answer = await fetch(`${url}?validationToken=${encodeURIComponent(token)}`, { method: 'POST', signal: AbortSignal.timeout(10_000) });
  return answer.status === 200 && (answer.headers.get('content-type') ?? '').startsWith('text/plain') && (await answer.text()) === token;
}

export interface ExchangeModel {
  subscriptions: Map<string, JsonObject>;
}

/**
 * Registers handlers for what the adapters use and the fake's defaults do not model: `$filter` on a folder by
 * internet message id, `$search` by participant, `createReply` (Exchange threads the reply under the original), events deduplicated by
 * `transactionId`, subscriptions (with Graph's URL validation), and a first delta round over the Inbox.
 */
export function modelExchange(fake: GraphFake, front: BatchFront): ExchangeModel {
  const subscriptions = new Map<string, JsonObject>();
  const mailboxOf = (request: FakeRequest) => fake.mailbox(request.pathParams['user-id'] ?? 'me');

  fake.handle('GET /users/{user-id}/mailFolders/{mailFolder-id}/messages', (request) => {
    const folder = request.pathParams['mailFolder-id']!.toLowerCase();
    const byProperty = extendedPropertyFilter(request);
    const internetMessageId = byProperty ? undefined : singleFilterValue(request, 'internetMessageId');
    const found = mailboxOf(request).messages.filter(
      (message) =>
        message.parentFolderId === folder &&
        (internetMessageId === undefined || message.internetMessageId === internetMessageId) &&
        (byProperty === undefined ||
          extendedProperties(message).some((property) => property.id === byProperty.id && property.value === byProperty.value)),
    );
    const top = Number(request.query.$top ?? found.length);
    return { status: 200, body: { value: found.slice(0, top) } };
  });

  // Exchange's KQL `participants:` matches sender and recipients anywhere in the mailbox; results come newest first.
  fake.handle('GET /users/{user-id}/messages', (request) => {
    const address = /^"participants:([^"\s]+)"$/.exec(String(request.query.$search ?? ''))?.[1]?.toLowerCase();
    if (!address || request.query.$filter !== undefined || request.query.$orderby !== undefined)
      throw new Error('the Exchange model only evaluates $search="participants:<address>" on its own (Graph refuses $orderby with $search)');
    const addresses = (message: JsonObject) =>
      ['from', 'toRecipients', 'ccRecipients', 'bccRecipients'].flatMap((field) => {
        const value = message[field];
        const recipients = (Array.isArray(value) ? value : value ? [value] : []) as { emailAddress?: { address?: string } }[];
        return recipients.map((recipient) => recipient.emailAddress?.address?.toLowerCase());
      });
    const dated = (message: JsonObject) => String(message.sentDateTime ?? message.receivedDateTime ?? message.createdDateTime ?? '');
    const found = mailboxOf(request)
      .messages.filter((message) => addresses(message).includes(address))
      .sort((a, b) => dated(b).localeCompare(dated(a)));
    const selected = String(request.query.$select ?? '')
      .split(',')
      .filter(Boolean);
    const shaped = found
      .slice(0, Number(request.query.$top ?? 10))
      .map((message) => (selected.length > 0 ? Object.fromEntries(['id', ...selected].map((name) => [name, message[name] ?? null])) : message));
    return { status: 200, body: { value: shaped } };
  });

  fake.handle('POST /users/{user-id}/messages/{message-id}/createReply', (request) => {
    const box = mailboxOf(request);
    const original = box.messages.find((message) => message.id === request.pathParams['message-id']);
    if (!original) return { status: 404, body: graphError(404, 'The specified object was not found in the store.') };
    const references = headerList(original).find((header) => header.name === 'References')?.value;
    const reply: JsonObject = {
      id: randomUUID(),
      internetMessageId: `<${randomUUID()}@fake.graph.local>`,
      conversationId: original.conversationId,
      subject: `RE: ${String(original.subject ?? '')}`,
      toRecipients: [original.from ?? { emailAddress: { address: request.pathParams['user-id'] } }],
      internetMessageHeaders: [
        { name: 'In-Reply-To', value: String(original.internetMessageId) },
        { name: 'References', value: [references, original.internetMessageId].filter(Boolean).join(' ') },
      ],
      isDraft: true,
      parentFolderId: 'drafts',
      createdDateTime: now(),
      lastModifiedDateTime: now(),
    };
    box.messages.push(reply);
    return { status: 201, body: reply };
  });

  fake.handle('POST /users/{user-id}/events', (request) => {
    const box = mailboxOf(request);
    const input = request.body as JsonObject;
    const existing = input.transactionId ? box.events.find((event) => event.transactionId === input.transactionId) : undefined;
    if (existing) return { status: 201, body: existing };
    const event: JsonObject = {
      ...input,
      id: randomUUID(),
      iCalUId: randomUUID(),
      createdDateTime: now(),
      lastModifiedDateTime: now(),
      isCancelled: false,
      ...(input.isOnlineMeeting === true ? { onlineMeeting: { joinUrl: `https://teams.microsoft.com/l/meetup-join/${randomUUID()}` } } : {}),
    };
    box.events.push(event);
    return { status: 201, body: event };
  });

  fake.handle('POST /subscriptions', async (request) => {
    const input = request.body as JsonObject;
    for (const url of [input.notificationUrl, input.lifecycleNotificationUrl]) {
      if (typeof url === 'string' && !(await validateNotificationUrl(url))) {
        return {
          status: 400,
          body: graphError(400, 'Subscription validation request failed. Notification endpoint must respond with 200 OK to validation request.'),
        };
      }
    }
    const subscription: JsonObject = { ...input, id: randomUUID(), applicationId: randomUUID(), creatorId: randomUUID() };
    subscriptions.set(String(subscription.id), subscription);
    return { status: 201, body: subscription };
  });

  const subscriptionOr404 = (request: FakeRequest, act: (subscription: JsonObject) => FakeResponse): FakeResponse => {
    const subscription = subscriptions.get(request.pathParams['subscription-id']!);
    return subscription ? act(subscription) : { status: 404, body: graphError(404, 'The object was not found.') };
  };
  fake.handle('PATCH /subscriptions/{subscription-id}', (request) =>
    subscriptionOr404(request, (subscription) => {
      Object.assign(subscription, { expirationDateTime: (request.body as JsonObject).expirationDateTime });
      return { status: 200, body: subscription };
    }),
  );
  fake.handle('DELETE /subscriptions/{subscription-id}', (request) =>
    subscriptionOr404(request, (subscription) => {
      subscriptions.delete(String(subscription.id));
      return { status: 204 };
    }),
  );

  fake.handle('GET /users/{user-id}/mailFolders/{mailFolder-id}/messages/delta()', (request) => {
    const since = /^receivedDateTime ge (\S+)$/.exec(String(request.query.$filter ?? ''))?.[1];
    if (!since) throw new Error('the Exchange model only serves a first delta round filtered by receivedDateTime');
    const arrived = mailboxOf(request).messages.filter((message) => message.parentFolderId === 'inbox' && String(message.receivedDateTime) >= since);
    return {
      status: 200,
      body: {
        value: arrived.map((message) => ({ id: message.id, receivedDateTime: message.receivedDateTime })),
        // As the client addressed Graph (the test client reaches the fake as https://…, like Graph itself).
        '@odata.deltaLink': `${front.url.replace('http://', 'https://')}${request.path}?$deltatoken=${randomUUID()}`,
      },
    };
  });

  return { subscriptions };
}

/** A message as it arrives in an Inbox: Exchange has set its headers, including In-Reply-To for a reply. */
export function inboxMessage(message: { from: string; to: string; subject: string; body: string; inReplyTo?: string }): JsonObject {
  const internetMessageId = `<${randomUUID()}@${message.from.split('@')[1]}>`;
  return {
    id: randomUUID(),
    internetMessageId,
    conversationId: randomUUID(),
    subject: message.subject,
    body: { contentType: 'text', content: message.body },
    from: { emailAddress: { address: message.from } },
    sender: { emailAddress: { address: message.from } },
    toRecipients: [{ emailAddress: { address: message.to } }],
    receivedDateTime: now(),
    isDraft: false,
    parentFolderId: 'inbox',
    internetMessageHeaders: [
      { name: 'Message-ID', value: internetMessageId },
      ...(message.inReplyTo ? [{ name: 'In-Reply-To', value: message.inReplyTo }] : []),
    ],
  };
}
