import { sha256 } from '@asep/shared/audit/chain';
import { hashedPartition } from '@asep/shared/tenancy/partitioning';
import { Documents, type StoredFields } from '../store/documents';
import type { Store } from '../store/store';
import { tenantScoped } from '../store/tenant-store';

/**
 * A connected mailbox's inbox as ASEP watches it: the Graph subscription that sends its change notifications,
 * and the delta link that lets the backstop catch anything the notifications missed. The subscription's
 * clientState is kept only as a hash: it is compared, never sent back, so nothing here is a usable secret.
 */
export interface MailboxWatchRecord extends StoredFields {
  docType: 'graphMailboxWatch';
  mailbox: string;
  subscriptionId: string;
  clientStateHash: string;
  expiresAt: string;
  /** Messages received from this moment on are triaged; the first delta round starts here. */
  watchedSince: string;
  deltaLink?: string;
  syncedAt?: string;
}

/** A change notification Graph delivered, kept before it is answered so triage can run after the 202. */
export interface GraphNotificationRecord extends StoredFields {
  docType: 'graphNotification';
  subscriptionId: string;
  mailbox: string;
  /** Graph's id of the message the notification is about. */
  graphMessageId: string;
  changeType: string;
  receivedAt: string;
  status: 'pending' | 'received' | 'ignored';
  /** What became of it: the message's internet message id once received, or why it was ignored. */
  internetMessageId?: string;
  outcome?: string;
}

export function graphRecords(store: Store) {
  return {
    watches: new Documents<MailboxWatchRecord>(store.tenants.container, 'graphMailboxWatch'),
    notifications: new Documents<GraphNotificationRecord>(store.messages.container, 'graphNotification'),
  };
}

/** A mailbox watch is kept in its tenant's partition under its subscription's id. */
export function watchOf(store: Store, tenantId: string, subscriptionId: string) {
  return { watches: tenantScoped(graphRecords(store).watches, tenantId), id: `graph-watch-${subscriptionId}` };
}

/** The same message notified twice (Graph delivers at least once) is one record. */
export function notificationKey(tenantId: string, subscriptionId: string, graphMessageId: string): { pk: string; id: string } {
  const id = `graph-notification-${sha256(`${subscriptionId}|${graphMessageId}`).slice(0, 40)}`;
  return { pk: hashedPartition(tenantId, id), id };
}

export function clientStateHash(clientState: string): string {
  return sha256(`graph-client-state|${clientState}`);
}
