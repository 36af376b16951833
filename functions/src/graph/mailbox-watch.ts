import { sendingMailboxes } from '@asep/shared/campaigns/campaign';
import type { DurableClient } from 'durable-functions';
import type { Services } from '../composition/services';
import { receiveMessage } from '../mail/inbound';
import type { GraphConnection } from './connection';
import { isNotFound } from './graph-requests';
import { forgetWatch } from './notifications';
import type { WatchUpkeepInput } from '../orchestrations/contracts/graph-intake';
import type { CreatedSubscription } from './subscriptions';
import { clientStateHash, graphRecords, watchOf, type GraphNotificationRecord, type MailboxWatchRecord } from './records';

/** What became of one notified or delta-found message. */
export type Ingested = Pick<GraphNotificationRecord, 'status' | 'internetMessageId' | 'outcome'>;

/**
 * Starts watching a mailbox's inbox: a new Graph subscription, recorded with the hash of its clientState.
 * `carried` keeps the delta position of a subscription this one replaces, so nothing between them is lost.
 */
export async function watchMailbox(
  services: Services,
  graph: GraphConnection,
  tenantId: string,
  mailbox: string,
  reason: string,
  carried?: Pick<MailboxWatchRecord, 'watchedSince' | 'deltaLink' | 'syncedAt'>,
): Promise<MailboxWatchRecord> {
  const created = await graph.subscriptions.create(mailbox.toLowerCase());
  return recordWatch(services, tenantId, mailbox, created, reason, carried);
}

/** Keeps a subscription Graph has granted, and audits it. */
export async function recordWatch(
  services: Services,
  tenantId: string,
  mailbox: string,
  created: CreatedSubscription,
  reason: string,
  carried?: Pick<MailboxWatchRecord, 'watchedSince' | 'deltaLink' | 'syncedAt'>,
): Promise<MailboxWatchRecord> {
  const mailboxAddress = mailbox.toLowerCase();
  const { watches, id } = watchOf(services.store, tenantId, created.subscriptionId);
  const watch = await watches.create({
    id,
    mailbox: mailboxAddress,
    subscriptionId: created.subscriptionId,
    clientStateHash: clientStateHash(created.clientState),
    expiresAt: created.expiresAt,
    watchedSince: carried?.watchedSince ?? services.clock.now().toISOString(),
    ...(carried?.deltaLink ? { deltaLink: carried.deltaLink, syncedAt: carried.syncedAt } : {}),
  });
  await services.audit.append(tenantId, {
    actor: { type: 'system', id: 'graph-subscriptions' },
    type: 'graph.mailbox_watched',
    correlationId: created.subscriptionId,
    idempotencyKey: `graph.mailbox_watched:${created.subscriptionId}`,
    payload: { mailbox: mailboxAddress, subscriptionId: created.subscriptionId, expiresAt: created.expiresAt, reason },
  });
  return watch;
}

/** Replaces a subscription Graph removed or lost with a new one for the same mailbox. */
export async function rewatch(services: Services, graph: GraphConnection, watch: MailboxWatchRecord, reason: string): Promise<MailboxWatchRecord> {
  const replacement = await watchMailbox(services, graph, watch.tenantId, watch.mailbox, reason, watch);
  await graph.subscriptions.remove(watch.mailbox, watch.subscriptionId);
  await graphRecords(services.store)
    .watches.container.item(watch.id, watch.pk)
    .delete()
    .catch((error: unknown) => {
      if ((error as { code?: number }).code !== 404) throw error;
    });
  forgetWatch(watch.tenantId, watch.subscriptionId);
  return replacement;
}

/** Extends the subscription, or replaces it when Graph no longer has it. */
export async function renewWatch(services: Services, graph: GraphConnection, watch: MailboxWatchRecord): Promise<MailboxWatchRecord> {
  try {
    const { expiresAt } = await graph.subscriptions.renew(watch.mailbox, watch.subscriptionId);
    return (await graphRecords(services.store).watches.update(watch.pk, watch.id, (current) => ({ ...current, expiresAt }))) ?? watch;
  } catch (error) {
    if (!isNotFound(error)) throw error;
    return rewatch(services, graph, watch, 'the subscription had expired or been removed');
  }
}

export async function watchesOf(services: Services, tenantId: string, mailbox?: string): Promise<MailboxWatchRecord[]> {
  const watches = graphRecords(services.store).watches;
  return mailbox ? watches.query(tenantId, 'c.mailbox = @mailbox', [{ name: '@mailbox', value: mailbox.toLowerCase() }]) : watches.query(tenantId);
}

/**
 * Reads the named messages and hands each real reply to `receiveMessage`, which stores it and starts triage
 * (once per internet message id, however often it is notified). The mailbox's own messages, drafts and our
 * sent touches are left alone.
 */
export async function ingestMessages(
  services: Services,
  durable: DurableClient,
  graph: GraphConnection,
  tenantId: string,
  mailbox: string,
  graphMessageIds: readonly string[],
  correlationId: string,
): Promise<Map<string, Ingested>> {
  const outcomes = new Map<string, Ingested>(graphMessageIds.map((id) => [id, { status: 'ignored', outcome: 'the message no longer exists' }]));
  const fetched = await graph.inbox.fetch(mailbox, graphMessageIds);
  await Promise.all(
    fetched.map(async (message) => {
      if (message.ownMessage) {
        outcomes.set(message.graphId, { status: 'ignored', outcome: 'written by the mailbox itself' });
        return;
      }
      // receiveMessage's parameter type is inferred from its randomUUID() default; any correlation id will do.
      const { internetMessageId, triaged } = await receiveMessage(services, durable, tenantId, message.received, correlationId);
      outcomes.set(
        message.graphId,
        triaged ? { status: 'received', internetMessageId } : { status: 'ignored', internetMessageId, outcome: 'one of our own touches' },
      );
    }),
  );
  return outcomes;
}

/**
 * The backstop: a delta round over the inbox since the last one (or since watching began), ingesting whatever
 * arrived, then keeping the new delta link. Messages notified and ingested already count once.
 */
export async function resyncMailbox(
  services: Services,
  durable: DurableClient,
  graph: GraphConnection,
  watch: MailboxWatchRecord,
  correlationId: string,
): Promise<number> {
  const { messageIds, deltaLink } = await graph.inbox.arrivals(
    watch.mailbox,
    watch.deltaLink ? { deltaLink: watch.deltaLink } : { since: watch.watchedSince },
  );
  const outcomes =
    messageIds.length > 0 ? await ingestMessages(services, durable, graph, watch.tenantId, watch.mailbox, messageIds, correlationId) : new Map();
  const syncedAt = services.clock.now().toISOString();
  await graphRecords(services.store).watches.update(watch.pk, watch.id, (current) => ({ ...current, deltaLink, syncedAt }));
  return [...outcomes.values()].filter((outcome) => outcome.status === 'received').length;
}

/**
 * Takes care of one mailbox's subscription. Lifecycle events: `reauthorizationRequired` renews it (renewing
 * reauthorizes), `subscriptionRemoved` replaces it and catches up with a delta round, `missed` catches up.
 * The periodic upkeep creates a subscription for a connected mailbox without one, renews one nearing expiry,
 * and runs the delta backstop. Answers what it did, for the orchestration's output.
 */
export async function tendWatch(services: Services, durable: DurableClient, graph: GraphConnection, input: WatchUpkeepInput): Promise<string> {
  const watches = await watchesOf(services, input.tenantId, input.mailbox);
  // The named subscription may have been replaced meanwhile; the mailbox's newest one is then the one to tend.
  const current =
    watches.find((watch) => watch.subscriptionId === input.subscriptionId) ?? watches.sort((a, b) => b.expiresAt.localeCompare(a.expiresAt))[0];
  if (!current) {
    if (input.reason !== 'upkeep') return `no subscription is recorded for ${input.mailbox} any more`;
    const watch = await watchMailbox(services, graph, input.tenantId, input.mailbox, 'a connected mailbox had no subscription');
    return `subscribed; ${await resyncMailbox(services, durable, graph, watch, input.correlationId)} message(s) caught up`;
  }
  switch (input.reason) {
    case 'reauthorizationRequired':
      return `renewed until ${(await renewWatch(services, graph, current)).expiresAt}`;
    case 'subscriptionRemoved': {
      const watch = await rewatch(services, graph, current, 'Graph removed the subscription');
      return `resubscribed; ${await resyncMailbox(services, durable, graph, watch, input.correlationId)} message(s) caught up`;
    }
    case 'missed':
      return `${await resyncMailbox(services, durable, graph, current, input.correlationId)} missed message(s) caught up`;
    case 'upkeep': {
      const watch = graph.subscriptions.renewalDue(current.expiresAt) ? await renewWatch(services, graph, current) : current;
      return `subscribed until ${watch.expiresAt}; ${await resyncMailbox(services, durable, graph, watch, input.correlationId)} message(s) caught up`;
    }
  }
}

/** The mailboxes a tenant's campaigns send from, and any already watched: replies can arrive in all of them. */
export async function connectedMailboxes(services: Services, tenantId: string): Promise<string[]> {
  const [campaigns, watches] = await Promise.all([services.store.campaigns.query(tenantId), watchesOf(services, tenantId)]);
  return [
    ...new Set(
      [...campaigns.flatMap((campaign) => sendingMailboxes(campaign)), ...watches.map((watch) => watch.mailbox)].map((mailbox) =>
        mailbox.toLowerCase(),
      ),
    ),
  ];
}
