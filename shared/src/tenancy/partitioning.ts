import { sha256 } from '../audit/chain';

/**
 * Partition keys. Every key starts with the Entra tenant id, so one tenant's records never share a
 * logical partition with another's. Low-volume records live in the tenant's own partition; records
 * that grow with sending volume spread over bounded buckets so no logical partition nears 20 GB.
 */
export function tenantPartition(tenantId: string): string {
  return tenantId;
}

const hashBuckets = 256;

/** For high-volume records looked up by a natural key (message ids, approval ids): one of 256 buckets. */
export function hashedPartition(tenantId: string, naturalKey: string): string {
  const bucket = parseInt(sha256(naturalKey).slice(0, 4), 16) % hashBuckets;
  return `${tenantId}#${bucket.toString(16).padStart(2, '0')}`;
}

export const auditEventsPerPartition = 100_000;

/** Audit events: consecutive blocks of sequence numbers, so the chain can be walked and appended by key. */
export function auditPartition(tenantId: string, seq: number): string {
  return `${tenantId}#audit#${Math.floor(seq / auditEventsPerPartition)}`;
}
