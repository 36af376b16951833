import { randomUUID, timingSafeEqual } from 'node:crypto';
import type { DurableClient } from 'durable-functions';
import { z } from 'zod';
import type { Services } from '../composition/services';
import {
  mailIntakeOrchestration,
  watchUpkeepOrchestration,
  lifecycleEvents,
  type MailIntakeInput,
  type WatchUpkeepInput,
} from '../orchestrations/contracts/graph-intake';
import { startOrchestration, startUnlessRunning } from '../orchestrations/contracts/contract';
import { graphIntakeInstanceId } from '../orchestrations/instance-ids';
import { clientStateHash, watchOf, type MailboxWatchRecord } from './records';

/**
 * What Graph posts to a notification URL (`changeNotificationCollection`). Only the fields ASEP reads are
 * checked; Graph adds annotations (`@odata.type`, …) that are dropped.
 */
const changeNotificationSchema = z.object({
  subscriptionId: z.string().min(1).max(200),
  tenantId: z.string().max(100).nullish(),
  clientState: z.string().max(1_000).nullish(),
  changeType: z.string().max(100).nullish(),
  resource: z.string().max(2_000).nullish(),
  resourceData: z.object({ id: z.string().min(1).max(1_000).optional() }).nullish(),
  lifecycleEvent: z.string().max(100).nullish(),
});

export const changeNotificationCollectionSchema = z.object({ value: z.array(changeNotificationSchema).max(1_000) });

export type ChangeNotification = z.infer<typeof changeNotificationSchema>;

/** What the webhook needs of a subscription to check a notification; none of it changes while the subscription lives. */
type KnownWatch = Pick<MailboxWatchRecord, 'tenantId' | 'mailbox' | 'subscriptionId' | 'clientStateHash'>;

type Verdict = { accepted: true; watch: KnownWatch } | { accepted: false; reason: string; watch?: KnownWatch };

function sameHash(expected: string, actual: string): boolean {
  const a = Buffer.from(expected, 'hex');
  const b = Buffer.from(actual, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Recorded subscriptions as the webhook last read them, by tenant and subscription id: a busy mailbox's
 * notifications cost one point read per `watchCacheMs`, not one each. Bounded (the oldest entry goes first);
 * an unknown subscription is never cached, so one recorded a moment ago is found on its first notification.
 */
const watchCacheMs = 5 * 60_000;
const watchCacheEntries = 10_000;
const knownWatches = new Map<string, { watch: KnownWatch; until: number }>();
const watchLookups = new Map<string, Promise<KnownWatch | undefined>>();

async function lookUpWatch(services: Services, tenantId: string, subscriptionId: string): Promise<KnownWatch | undefined> {
  const key = `${tenantId}|${subscriptionId}`;
  const cached = knownWatches.get(key);
  if (cached && cached.until > Date.now()) return cached.watch;
  knownWatches.delete(key);
  const pending =
    watchLookups.get(key) ??
    (async () => {
      const { watches, id } = watchOf(services.store, tenantId, subscriptionId);
      const record = await watches.read(id);
      if (!record) return undefined;
      const watch = {
        tenantId: record.tenantId,
        mailbox: record.mailbox,
        subscriptionId: record.subscriptionId,
        clientStateHash: record.clientStateHash,
      };
      if (knownWatches.size >= watchCacheEntries) knownWatches.delete(knownWatches.keys().next().value!);
      knownWatches.set(key, { watch, until: Date.now() + watchCacheMs });
      return watch;
    })().finally(() => watchLookups.delete(key));
  watchLookups.set(key, pending);
  return pending;
}

/** A subscription replaced or removed: this process stops accepting its notifications at once. */
export function forgetWatch(tenantId: string, subscriptionId: string): void {
  knownWatches.delete(`${tenantId}|${subscriptionId}`);
}

/**
 * A notification is ours when its subscription is one we recorded and its clientState hashes to what we
 * kept. The tenant is the subscription record's: the notification's own tenantId only says where to look.
 */
async function verify(services: Services, notification: ChangeNotification): Promise<Verdict> {
  if (!notification.tenantId) return { accepted: false, reason: 'the notification names no tenant' };
  const watch = await lookUpWatch(services, notification.tenantId, notification.subscriptionId);
  if (!watch) return { accepted: false, reason: 'no watched mailbox has this subscription' };
  if (!notification.clientState || !sameHash(watch.clientStateHash, clientStateHash(notification.clientState))) {
    return { accepted: false, reason: 'the clientState does not match the subscription', watch };
  }
  return { accepted: true, watch };
}

/** Rejections audited in the current hour, so the set never outgrows one hour's subscriptions. */
const auditedRejections = { hour: '', keys: new Set<string>() };

/**
 * A rejected notification is dropped, and audited in the subscription's tenant at most once an hour per
 * subscription (so forged traffic cannot flood the audit log). Without a known subscription there is no tenant
 * to audit in, so it is only logged. Neither ever records the clientState.
 */
async function reject(
  services: Services,
  notification: ChangeNotification,
  verdict: Extract<Verdict, { accepted: false }>,
  warn: (line: string) => void,
): Promise<void> {
  if (!verdict.watch) {
    warn(`graph: ignored a notification for unknown subscription ${notification.subscriptionId}: ${verdict.reason}`);
    return;
  }
  const hour = services.clock.now().toISOString().slice(0, 13);
  if (auditedRejections.hour !== hour) Object.assign(auditedRejections, { hour, keys: new Set<string>() });
  const idempotencyKey = `graph.notification_rejected:${verdict.watch.subscriptionId}:${hour}`;
  if (auditedRejections.keys.has(idempotencyKey)) return;
  auditedRejections.keys.add(idempotencyKey);
  await services.audit.append(verdict.watch.tenantId, {
    actor: { type: 'system', id: 'graph-webhook' },
    type: 'graph.notification_rejected',
    correlationId: verdict.watch.subscriptionId,
    idempotencyKey,
    payload: { subscriptionId: verdict.watch.subscriptionId, mailbox: verdict.watch.mailbox, reason: verdict.reason },
  });
}

async function sortOut(services: Services, notifications: ChangeNotification[], warn: (line: string) => void) {
  const verdicts = await Promise.all(notifications.map((notification) => verify(services, notification)));
  const accepted: { notification: ChangeNotification; watch: KnownWatch }[] = [];
  await Promise.all(
    verdicts.map(async (verdict, index) => {
      const notification = notifications[index]!;
      if (verdict.accepted) accepted.push({ notification, watch: verdict.watch });
      else await reject(services, notification, verdict, warn);
    }),
  );
  return { accepted, rejected: notifications.length - accepted.length };
}

/** What the webhook does with a batch of notifications before it answers: how many were genuine, how many not. */
export type AcceptNotifications = (
  services: Services,
  durable: DurableClient,
  notifications: ChangeNotification[],
  correlationId: string,
  warn: (line: string) => void,
) => Promise<{ accepted: number; rejected: number }>;

/**
 * The webhook's work before it answers 202: check each notification against its (cached) subscription, then
 * start one intake per subscription carrying the notified message ids, under an id derived from them, so a
 * delivery Graph repeats finds its intake already there. Storing the notifications, fetching the messages
 * and classifying them all happen after the answer, in the intake.
 */
export const acceptChangeNotifications: AcceptNotifications = async (services, durable, notifications, correlationId, warn) => {
  const { accepted, rejected } = await sortOut(services, notifications, warn);
  const bySubscription = new Map<string, MailIntakeInput>();
  const receivedAt = services.clock.now().toISOString();
  for (const { notification, watch } of accepted) {
    const graphMessageId = notification.resourceData?.id;
    if (notification.changeType !== 'created' || !graphMessageId) continue;
    const group = `${watch.tenantId}|${watch.subscriptionId}`;
    const intake = bySubscription.get(group) ?? {
      tenantId: watch.tenantId,
      mailbox: watch.mailbox,
      subscriptionId: watch.subscriptionId,
      graphMessageIds: [],
      receivedAt,
      correlationId,
    };
    if (!intake.graphMessageIds.includes(graphMessageId)) intake.graphMessageIds.push(graphMessageId);
    bySubscription.set(group, intake);
  }
  await Promise.all(
    [...bySubscription.values()].map((input) =>
      startUnlessRunning(durable, mailIntakeOrchestration, graphIntakeInstanceId(input.tenantId, input.subscriptionId, input.graphMessageIds), input),
    ),
  );
  return { accepted: accepted.length, rejected };
};

/** Lifecycle notifications: each genuine one starts the subscription's upkeep for that event. */
export const acceptLifecycleNotifications: AcceptNotifications = async (services, durable, notifications, correlationId, warn) => {
  const { accepted, rejected } = await sortOut(services, notifications, warn);
  for (const { notification, watch } of accepted) {
    const event = lifecycleEvents.find((candidate) => candidate === notification.lifecycleEvent);
    if (!event) {
      warn(`graph: ignored lifecycle event "${notification.lifecycleEvent ?? ''}" for subscription ${watch.subscriptionId}`);
      continue;
    }
    const input: WatchUpkeepInput = {
      tenantId: watch.tenantId,
      mailbox: watch.mailbox,
      subscriptionId: watch.subscriptionId,
      reason: event,
      correlationId,
    };
    await startOrchestration(durable, watchUpkeepOrchestration, `graph-upkeep-${randomUUID()}`, input);
  }
  return { accepted: accepted.length, rejected };
};
