import { randomBytes, randomUUID } from 'node:crypto';
import { z } from 'zod';
import { roleSchema } from '@asep/shared/access/roles';
import { inboundMessageFields, messageDateSchema } from '@asep/shared/classification/schema';
import type { StoredMessage } from '@asep/shared/mail/message';
import { internetMessageIdSchema, tenantIdSchema, userIdSchema } from '@asep/shared/ids/ids';
import { recordWatch } from '@asep/functions/graph/mailbox-watch';
import { registerOpen, readJson } from '@asep/functions/http/api';
import { notFound } from '@asep/functions/http/problem';
import { receiveMessage } from '@asep/functions/mail/inbound';
import { ensureTenant } from '@asep/functions/tenants/directory';
import { asLocal } from './local-services';
import { demoTenant } from './seed';

/**
 * Routes that exist only in the local suite (only its start-up imports this module; the Azure entry point never
 * reaches it, which `app.test.ts` proves): a token issuer standing in for Entra ID, the sandbox mailbox standing in
 * for Exchange Online, and a stand-in for Graph's subscriptions.
 */
if (process.env.ASEP_ENV !== 'local') throw new Error('The local dev routes were imported outside the local suite.');

const devTokenSchema = z.strictObject({
  tenantId: tenantIdSchema,
  userId: userIdSchema,
  name: z.string().min(1).max(200),
  roles: z.array(roleSchema).default([]),
  expiresInSeconds: z.int().min(-86_400).max(86_400).optional(),
});

registerOpen('devToken', { route: 'dev/token', methods: ['POST'] }, async (request, services) => {
  const body = await readJson(request, devTokenSchema);
  const accessToken = await asLocal(services).issuer.issue(body);
  return { body: { access_token: accessToken, token_type: 'Bearer' } };
});

const inboundSchema = z.strictObject({
  tenantId: tenantIdSchema,
  from: z.string().trim().toLowerCase().pipe(z.email()),
  to: z.string().trim().toLowerCase().pipe(z.email()),
  subject: z.string().max(2_000).default(''),
  body: z.string().max(10_000_000).default(''),
  inReplyTo: internetMessageIdSchema.optional(),
  headers: inboundMessageFields.shape.headers.transform((headers) => headers ?? {}),
  /** The message's own Date: RFC 5322 or ISO 8601, as a mail server hands it over; null when it had none. */
  date: messageDateSchema,
});

registerOpen('devMailboxInbound', { route: 'dev/mailbox/inbound', methods: ['POST'], durable: true }, async (request, services, durable) => {
  const body = await readJson(request, inboundSchema, 12_000_000);
  await ensureTenant(services, body.tenantId);
  const headers = { ...body.headers, ...(body.inReplyTo ? { 'In-Reply-To': body.inReplyTo } : {}), ...(body.date ? { Date: body.date } : {}) };
  const { internetMessageId } = await receiveMessage(services, durable!, body.tenantId, {
    mailbox: body.to,
    from: body.from,
    to: body.to,
    subject: body.subject,
    body: body.body,
    headers,
    receivedAt: services.clock.now().toISOString(),
  });
  return { status: 202, body: { internetMessageId } };
});

registerOpen('devMailboxOutbox', { route: 'dev/mailbox/outbox', methods: ['GET'] }, async (request, services) => {
  const tenantId = request.query.get('tenantId');
  if (!tenantId) return { status: 400, body: { title: 'Bad request', status: 400, detail: 'tenantId is required.' } };
  const sent = await asLocal(services).sandbox.sentItems(tenantId, request.query.get('to') ?? undefined);
  return {
    body: sent.map(({ internetMessageId, mailbox, to, subject, body, headers, sentAt }) => ({
      internetMessageId,
      from: mailbox,
      to,
      subject,
      body,
      headers,
      sentAt,
    })),
  };
});

registerOpen('devMailboxMessage', { route: 'dev/mailbox/message', methods: ['GET'] }, async (request, services) => {
  const tenantId = request.query.get('tenantId') ?? demoTenant.tenantId;
  const internetMessageId = request.query.get('internetMessageId') ?? '';
  const byId = [{ name: '@id', value: internetMessageId }];
  // A received message, or a touch ASEP sent (kept beside its prospect).
  const [message] = [
    ...(await services.store.messages.query(tenantId, 'c.internetMessageId = @id', byId)),
    ...(await services.store.touches.query(tenantId, 'c.internetMessageId = @id', byId)),
  ];
  if (!message) throw notFound(`Message ${internetMessageId}`);
  const { from, to, subject, body, conversationId, at } = message;
  const stored: StoredMessage = { internetMessageId, from, to, subject, body, conversationId, receivedAt: at };
  return { body: stored };
});

registerOpen('devClockAdvance', { route: 'dev/clock/advance', methods: ['POST'] }, async (request, services) => {
  const { hours } = await readJson(
    request,
    z.strictObject({
      hours: z
        .number()
        .positive()
        .max(24 * 400),
    }),
  );
  const local = asLocal(services);
  local.clock.advance(hours * 3_600_000);
  local.durableHost.fireDueTimers();
  await local.timers.tick();
  return { body: { now: local.clock.now().toISOString() } };
});

registerOpen('devMailboxFaults', { route: 'dev/mailbox/faults', methods: ['POST'] }, async (request, services) => {
  const { transientFailures } = await readJson(request, z.strictObject({ transientFailures: z.int().min(0).max(100) }));
  asLocal(services).sandbox.injectTransientFailures(transientFailures);
  return { body: { transientFailures } };
});

/**
 * Records a subscription as if Graph had granted it, and hands back its clientState, so the webhook can be
 * exercised (and benchmarked) without Graph.
 */
const devWatchSchema = z.strictObject({
  tenantId: tenantIdSchema,
  mailbox: z.string().trim().toLowerCase().pipe(z.email()),
  lifetimeMinutes: z.int().min(1).max(10_080).default(4230),
});

registerOpen('devGraphSubscription', { route: 'dev/graph/subscriptions', methods: ['POST'] }, async (request, services) => {
  const body = await readJson(request, devWatchSchema);
  await ensureTenant(services, body.tenantId);
  const created = {
    subscriptionId: randomUUID(),
    clientState: randomBytes(32).toString('base64url'),
    expiresAt: new Date(services.clock.now().getTime() + body.lifetimeMinutes * 60_000).toISOString(),
  };
  await recordWatch(services, body.tenantId, body.mailbox, created, 'local suite stand-in for a Graph subscription');
  return { status: 201, body: created };
});
