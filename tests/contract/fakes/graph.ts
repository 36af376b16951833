// Microsoft Graph v1.0 (mail + calendar subset) served by the OpenAPI fake, with a mailbox per user kept in memory.
import { randomUUID } from 'node:crypto';
import { MiddlewareFactory, type AuthenticationProvider, type ClientOptions, type Context, type Middleware } from '@microsoft/microsoft-graph-client';
import { z } from 'zod/v4';
import {
  compileOpenApiContract,
  startOpenApiFake,
  type FakeHandler,
  type FakeRequest,
  type FakeResponse,
  type OpenApiContract,
  type OpenApiFake,
} from './openapi-fake';
import { resolveComponent } from './openapi-operations';
import { isJsonObject, type JsonObject } from './openapi-schema';
import { readSharedSpec } from './shared-specs';

export interface Mailbox {
  /** Drafts, sent items and anything else created, in creation order; `parentFolderId` is a well-known folder name. */
  messages: JsonObject[];
  events: JsonObject[];
  /** The mailbox settings' working hours (Graph's workingHours resource), which getSchedule reports. */
  workingHours?: JsonObject;
}

export interface GraphFake extends OpenApiFake {
  /** The mailbox of a user-id as it appears in the path (UPN or id, case-insensitive); `/me` paths use `me`. */
  mailbox(user: string): Mailbox;
}

const meetingJoinUrlBase = 'https://teams.microsoft.com/l/meetup-join/';

// Compiled once per test process: validators are pure, and compiling Graph's schemas is the slow part of a start.
let graphContract: OpenApiContract | undefined;
const graphApi = () =>
  (graphContract ??= compileOpenApiContract([{ name: 'graph', document: withGraphServiceSemantics(readSharedSpec('graph-v1.0-subset.yaml')) }]));

export async function startGraphFake(): Promise<GraphFake> {
  const mailboxes = new Map<string, Mailbox>();
  const mailbox = (user: string) => {
    const key = user.toLowerCase();
    const existing = mailboxes.get(key);
    if (existing) return existing;
    const created: Mailbox = { messages: [], events: [] };
    mailboxes.set(key, created);
    return created;
  };
  const fake = await startOpenApiFake({ contract: graphApi(), errorBody: graphError });
  for (const [operation, handler] of Object.entries(mailboxHandlers(mailbox))) {
    const [method, path] = operation.split(' ');
    // Every /users/{user-id} path has a /me twin with the same shapes.
    fake.handle(`${method} /users/{user-id}${path}`, handler);
    fake.handle(`${method} /me${path}`, handler);
  }
  return Object.assign(fake, { mailbox });
}

/**
 * Graph client options that send every request to the fake through the SDK's own default middleware chain.
 * The SDK attaches the token only to https Graph hosts or `customHosts`, so the client addresses the fake as
 * https://127.0.0.1 and the last hop before the transport swaps the scheme back, like a TLS-terminating proxy.
 */
export function graphClientOptions(fake: OpenApiFake, authProvider: AuthenticationProvider): ClientOptions {
  const { host, hostname } = new URL(fake.url);
  const chain = MiddlewareFactory.getDefaultMiddlewareChain(authProvider);
  chain.splice(chain.length - 1, 0, new PlainHttpToLoopback(`https://${host}`, fake.url));
  return { baseUrl: `https://${host}`, customHosts: new Set([hostname]), middleware: chain };
}

class PlainHttpToLoopback implements Middleware {
  private next: Middleware | undefined;

  constructor(
    private readonly addressedAs: string,
    private readonly servedAt: string,
  ) {}

  async execute(context: Context): Promise<void> {
    if (typeof context.request === 'string' && context.request.startsWith(this.addressedAs)) {
      context.request = `${this.servedAt}${context.request.slice(this.addressedAs.length)}`;
    }
    if (!this.next) throw new Error('PlainHttpToLoopback must not be the last middleware');
    await this.next.execute(context);
  }

  setNext(next: Middleware): void {
    this.next = next;
  }
}

export function graphError(status: number, message: string): JsonObject {
  const codes: Record<number, string> = {
    400: 'BadRequest',
    401: 'InvalidAuthenticationToken',
    403: 'ErrorAccessDenied',
    404: 'ErrorItemNotFound',
    405: 'MethodNotAllowed',
    409: 'ErrorConflict',
    429: 'TooManyRequests',
    501: 'NotImplemented',
    503: 'ServiceNotAvailable',
    504: 'GatewayTimeout',
  };
  return {
    error: {
      code: codes[status] ?? (status >= 500 ? 'InternalServerError' : 'BadRequest'),
      message,
      innerError: { date: new Date().toISOString(), 'request-id': randomUUID(), 'client-request-id': randomUUID() },
    },
  };
}

/**
 * The subset follows Microsoft's PowerShell module documents, which differ from what the service accepts in three ways:
 * - action parameters are PascalCase there (`Message`, `SaveToSentItems`); the service documents and SDKs send camelCase;
 * - every type declares `additionalProperties: {type: object}` although OData types are closed (unknown properties are
 *   a 400), while `@odata.*` annotations may appear anywhere; only the property-less open types stay open;
 * - derived types (fileAttachment) are chosen by `@odata.type`, which the document does not express.
 */
function withGraphServiceSemantics(original: JsonObject): JsonObject {
  const document = structuredClone(original);
  camelCaseActionParameters(document);
  closeODataTypes(document);
  const components = isJsonObject(document.components) ? document.components : {};
  if (isJsonObject(components.schemas)) dispatchOnODataType(components.schemas);
  return document;
}

function camelCaseActionParameters(document: JsonObject): void {
  const paths = isJsonObject(document.paths) ? Object.values(document.paths) : [];
  const operations = paths.filter(isJsonObject).flatMap((item) => Object.values(item).filter(isJsonObject));
  for (const operation of operations) {
    if (operation['x-ms-docs-operation-type'] !== 'action' || operation.requestBody === undefined) continue;
    const content = resolveComponent(document, operation.requestBody).content;
    for (const media of isJsonObject(content) ? Object.values(content) : []) {
      const schema = isJsonObject(media) ? media.schema : undefined;
      if (!isJsonObject(schema) || !isJsonObject(schema.properties)) continue;
      schema.properties = Object.fromEntries(Object.entries(schema.properties).map(([name, property]) => [camelCase(name), property]));
      if (Array.isArray(schema.required)) schema.required = schema.required.map((name) => camelCase(String(name)));
    }
  }
}

function camelCase(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1);
}

function closeODataTypes(node: unknown): void {
  if (Array.isArray(node)) return node.forEach(closeODataTypes);
  if (!isJsonObject(node)) return;
  const additional = node.additionalProperties;
  if (isJsonObject(additional) && additional.type === 'object' && Object.keys(additional).length === 1) {
    if (isJsonObject(node.properties)) {
      node.additionalProperties = false;
      node.patternProperties = { '@': {} };
    } else {
      node.additionalProperties = true;
    }
  }
  Object.values(node).forEach(closeODataTypes);
}

function dispatchOnODataType(schemas: JsonObject): void {
  const parentsOf = (name: string): string[] => {
    const schema = schemas[name];
    const allOf = isJsonObject(schema) && Array.isArray(schema.allOf) ? schema.allOf : [];
    return allOf.flatMap((branch) => (isJsonObject(branch) && typeof branch.$ref === 'string' ? [branch.$ref.split('/').pop() ?? ''] : []));
  };
  const ancestorsOf = (name: string): string[] => parentsOf(name).flatMap((parent) => [parent, ...ancestorsOf(parent)]);
  const descendants = new Map<string, string[]>();
  for (const name of Object.keys(schemas)) {
    for (const ancestor of ancestorsOf(name)) descendants.set(ancestor, [...(descendants.get(ancestor) ?? []), name]);
  }
  for (const [base, names] of descendants) {
    const schema = schemas[base];
    if (!isJsonObject(schema)) continue;
    schema.discriminator = {
      propertyName: '@odata.type',
      mapping: Object.fromEntries(names.map((name) => [`#${name}`, `#/components/schemas/${name}`])),
    };
  }
}

// ---- Default handlers: a mailbox per user -------------------------------------------------------------------------

const dateTimeTimeZone = z.looseObject({ dateTime: z.string(), timeZone: z.string().nullish() });
const eventInput = z.looseObject({
  isOnlineMeeting: z.boolean().nullish(),
  onlineMeetingProvider: z.string().nullish(),
  start: dateTimeTimeZone.optional(),
  end: dateTimeTimeZone.optional(),
});
const sendMailInput = z.object({ message: z.looseObject({}), saveToSentItems: z.boolean().nullish() });
const getScheduleInput = z.object({
  schedules: z.array(z.string()),
  startTime: dateTimeTimeZone,
  endTime: dateTimeTimeZone,
  availabilityViewInterval: z.number().int().positive().nullish(),
});

/** getSchedule's availabilityView digits, by the `showAs` of the event occupying the slot. */
const availabilityDigit: Record<string, string> = { free: '0', tentative: '1', busy: '2', oof: '3', workingElsewhere: '4', unknown: '2' };

type MailboxOf = (user: string) => Mailbox;

function mailboxHandlers(mailboxOf: MailboxOf): Record<string, FakeHandler> {
  const owner = (request: FakeRequest) => mailboxOf(request.pathParams['user-id'] ?? 'me');
  const findMessage = (request: FakeRequest) => owner(request).messages.find((message) => message.id === request.pathParams['message-id']);
  const findEvent = (request: FakeRequest) => owner(request).events.find((event) => event.id === request.pathParams['event-id']);
  const now = () => new Date().toISOString();

  const storeMessage = (box: Mailbox, message: JsonObject, folder: string): JsonObject => {
    const stored: JsonObject = {
      internetMessageId: `<${randomUUID()}@fake.graph.local>`,
      conversationId: randomUUID(),
      ...message,
      id: randomUUID(),
      createdDateTime: now(),
      lastModifiedDateTime: now(),
      isDraft: folder === 'drafts',
      parentFolderId: folder,
      ...(folder === 'sentitems' ? { sentDateTime: now() } : {}),
    };
    box.messages.push(stored);
    return stored;
  };

  const createEvent = (request: FakeRequest): FakeResponse => {
    const input = eventInput.parse(request.body);
    const online = input.isOnlineMeeting === true;
    const event: JsonObject = {
      ...input,
      id: randomUUID(),
      iCalUId: randomUUID(),
      createdDateTime: now(),
      lastModifiedDateTime: now(),
      isCancelled: false,
      ...(online
        ? {
            onlineMeetingProvider: input.onlineMeetingProvider ?? 'teamsForBusiness',
            onlineMeeting: { joinUrl: `${meetingJoinUrlBase}${randomUUID()}` },
          }
        : {}),
    };
    owner(request).events.push(event);
    return { status: 201, body: event };
  };

  const listOrRefuse = (request: FakeRequest, items: JsonObject[]): FakeResponse => {
    const unsupported = Object.keys(request.query).filter((name) => ['$filter', '$search', '$orderby', '$skip', '$top'].includes(name));
    if (unsupported.length > 0) throw new Error(`the Graph fake does not evaluate ${unsupported.join(', ')}; register a handler for this call`);
    return { status: 200, body: { value: items } };
  };

  const getOr404 = (found: JsonObject | undefined, what: string): FakeResponse =>
    found ? { status: 200, body: found } : { status: 404, body: graphError(404, `The ${what} was not found.`) };

  return {
    'POST /messages': (request) => ({ status: 201, body: storeMessage(owner(request), messageInput(request.body), 'drafts') }),
    'GET /messages': (request) => listOrRefuse(request, owner(request).messages),
    'GET /messages/{message-id}': (request) => getOr404(findMessage(request), 'message'),
    'PATCH /messages/{message-id}': (request) => {
      const message = findMessage(request);
      if (message) Object.assign(message, messageInput(request.body), { lastModifiedDateTime: now() });
      return getOr404(message, 'message');
    },
    'DELETE /messages/{message-id}': (request) => {
      const message = findMessage(request);
      if (!message) return getOr404(undefined, 'message');
      remove(owner(request).messages, message);
      return { status: 204 };
    },
    // Sending moves the draft to Sent Items under a new id: the draft id stops resolving, so a second send is a 404.
    'POST /messages/{message-id}/send': (request) => {
      const draft = findMessage(request);
      if (!draft || draft.isDraft !== true) return getOr404(undefined, 'draft');
      remove(owner(request).messages, draft);
      const { id: _draftId, ...content } = draft;
      storeMessage(owner(request), content, 'sentitems');
      return { status: 202 };
    },
    'POST /sendMail': (request) => {
      const input = sendMailInput.parse(request.body);
      if (input.saveToSentItems !== false) storeMessage(owner(request), input.message, 'sentitems');
      return { status: 202 };
    },
    'GET /mailFolders/{mailFolder-id}/messages': (request) =>
      listOrRefuse(
        request,
        owner(request).messages.filter((message) => message.parentFolderId === request.pathParams['mailFolder-id']?.toLowerCase()),
      ),
    'POST /events': createEvent,
    'POST /calendar/events': createEvent,
    'GET /events': (request) => listOrRefuse(request, owner(request).events),
    'GET /events/{event-id}': (request) => getOr404(findEvent(request), 'event'),
    'PATCH /events/{event-id}': (request) => {
      const event = findEvent(request);
      if (event) Object.assign(event, eventInput.parse(request.body), { lastModifiedDateTime: now() });
      return getOr404(event, 'event');
    },
    'POST /events/{event-id}/cancel': (request) => {
      const event = findEvent(request);
      if (event) event.isCancelled = true;
      return event ? { status: 202 } : getOr404(undefined, 'event');
    },
    'POST /calendar/getSchedule': (request) => {
      const input = getScheduleInput.parse(request.body);
      const window = { start: instantOf(input.startTime), end: instantOf(input.endTime) };
      const intervalMinutes = input.availabilityViewInterval ?? 30;
      const value = input.schedules.map((scheduleId) => {
        const { events, workingHours } = mailboxOf(scheduleId);
        return { ...scheduleOf(scheduleId, events, window, intervalMinutes), ...(workingHours ? { workingHours } : {}) };
      });
      return { status: 200, body: { value } };
    },
  };
}

function remove(items: JsonObject[], item: JsonObject): void {
  items.splice(items.indexOf(item), 1);
}

function messageInput(body: unknown): JsonObject {
  if (!isJsonObject(body)) throw new Error('a message body must be a JSON object');
  return body;
}

interface Interval {
  start: number;
  end: number;
}

function scheduleOf(scheduleId: string, events: JsonObject[], window: Interval, intervalMinutes: number): JsonObject {
  const occupied = events
    .filter((event) => event.isCancelled !== true && event.showAs !== 'free')
    .map((event) => {
      const { start, end } = eventInput.parse(event);
      if (!start || !end) throw new Error(`event ${String(event.id)} has no start or end`);
      return { event, start: instantOf(start), end: instantOf(end) };
    })
    .filter(({ start, end }) => start < window.end && end > window.start);
  const slotMs = intervalMinutes * 60_000;
  let availabilityView = '';
  for (let slot = window.start; slot < window.end; slot += slotMs) {
    const busy = occupied.find(({ start, end }) => start < slot + slotMs && end > slot);
    availabilityView += busy ? (availabilityDigit[String(busy.event.showAs ?? 'busy')] ?? '2') : '0';
  }
  return {
    scheduleId,
    availabilityView,
    scheduleItems: occupied.map(({ event, start, end }) => ({
      status: typeof event.showAs === 'string' ? event.showAs : 'busy',
      subject: typeof event.subject === 'string' ? event.subject : null,
      start: utcDateTime(start),
      end: utcDateTime(end),
    })),
  };
}

/** The fake reads times in UTC only; a Windows or IANA zone would need the service's zone tables. */
function instantOf(value: z.infer<typeof dateTimeTimeZone>): number {
  const zone = value.timeZone ?? 'UTC';
  if (!['UTC', 'Etc/UTC', 'Coordinated Universal Time'].includes(zone)) {
    throw new Error(`the Graph fake only evaluates times in UTC, got timeZone "${zone}"; register a handler for this call`);
  }
  const instant = Date.parse(/[zZ]|[+-]\d\d:\d\d$/.test(value.dateTime) ? value.dateTime : `${value.dateTime}Z`);
  if (Number.isNaN(instant)) throw new Error(`"${value.dateTime}" is not a date-time`);
  return instant;
}

function utcDateTime(instant: number): JsonObject {
  return { dateTime: new Date(instant).toISOString().replace('Z', ''), timeZone: 'UTC' };
}
