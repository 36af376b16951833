import { hash } from 'node:crypto';
import { canonicalize } from 'json-canonicalize';
import { type AuditEntry, type AuditEvent, type ChainVerification } from './event';

/** The hash a chain starts from, before its first event. */
export const genesisHash = '0'.repeat(64);

export function sha256(text: string): string {
  // One-shot: a third of the CPU of a Hash object for the short texts hashed per prospect, message and event.
  return hash('sha256', text, 'hex');
}

/** RFC 8785 canonical JSON, so the same content always hashes the same whatever its key order. */
export function canonicalJson(value: unknown): string {
  return canonicalize(value);
}

export function hashOf(value: unknown): string {
  return sha256(canonicalJson(value));
}

function eventHash(event: Omit<AuditEvent, 'hash' | 'payload'>): string {
  const { tenantId, seq, actor, type, correlationId, idempotencyKey, payloadHash, prevHash, at } = event;
  return hashOf({ tenantId, seq, actor, type, correlationId, idempotencyKey, payloadHash, prevHash, at });
}

/** Builds the event that follows `previous` (or starts the chain). */
export function chainEvent(tenantId: string, previous: Pick<AuditEvent, 'seq' | 'hash'> | undefined, entry: AuditEntry, at: string): AuditEvent {
  const link = {
    tenantId,
    seq: (previous?.seq ?? 0) + 1,
    actor: entry.actor,
    type: entry.type,
    correlationId: entry.correlationId,
    idempotencyKey: entry.idempotencyKey,
    payloadHash: hashOf(entry.payload),
    prevHash: previous?.hash ?? genesisHash,
    at,
  };
  return { ...link, payload: entry.payload, hash: eventHash(link) };
}


/**
 * Recomputes a chain from its events in sequence order. Stops at the first event whose sequence
 * number, link to its predecessor, payload or own hash does not hold.
 */
export function verifyChain(events: Iterable<AuditEvent>): ChainVerification {
  let previous: Pick<AuditEvent, 'seq' | 'hash'> = { seq: 0, hash: genesisHash };
  let count = 0;
  for (const event of events) {
    const problem =
      event.seq !== previous.seq + 1
        ? `expected sequence number ${previous.seq + 1}`
        : event.prevHash !== previous.hash
          ? 'does not link to the previous event'
          : event.payloadHash !== hashOf(event.payload)
            ? 'payload does not match its hash'
            : event.hash !== eventHash(event)
              ? 'event hash does not match its content'
              : undefined;
    if (problem) return { valid: false, count, head: previous.hash, firstBrokenSeq: previous.seq + 1, problem };
    previous = event;
    count += 1;
  }
  return { valid: true, count, head: previous.hash };
}
