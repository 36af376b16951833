/**
 * The Cosmos DB containers ASEP uses. Every container is partitioned on `/pk`, a synthetic key that
 * always starts with the Entra tenant id (see `shared/src/tenancy/partitioning.ts` for how each kind of
 * record derives it), so a tenant's data never shares a logical partition with another tenant's and
 * no logical partition grows without bound. `bicep/` declares the same list; a test keeps them equal.
 */
export const containers = {
  /** Tenant record, users, policy versions, kill switches, mailboxes, bot conversation references, send counters. */
  tenants: { id: 'tenants', partitionKeyPath: '/pk' },
  /** Prospects, their sent touches (in the prospect's partition) and suppression entries. */
  prospects: { id: 'prospects', partitionKeyPath: '/pk' },
  /** Campaigns and enrolments. */
  campaigns: { id: 'campaigns', partitionKeyPath: '/pk' },
  /** Approval requests (first touch, risky content, "Create deal?"). */
  approvals: { id: 'approvals', partitionKeyPath: '/pk' },
  /** Received messages with their classification; the index from a sent touch's internet message id to the touch. */
  messages: { id: 'messages', partitionKeyPath: '/pk' },
  /** The internal CRM: contacts, companies, deals, intents, tasks, meetings, notes. */
  crm: { id: 'crm', partitionKeyPath: '/pk' },
  /** The append-only, hash-chained audit log. */
  audit: { id: 'audit', partitionKeyPath: '/pk', uniqueKeyPaths: ['/idempotencyKey'] },
  /** Durable orchestration instances and history (local durable host only; Azure uses the durable task hub). */
  orchestrations: { id: 'orchestrations', partitionKeyPath: '/pk', localOnly: true },
} as const;

export type ContainerName = keyof typeof containers;
