import { sha256 } from './chain';

/**
 * The idempotency key of an audited change, derived on the server from what the change is: the operation, its
 * target, the state it produced, and an id only the server issues (a request id, or the record's new version).
 * Appending under the same key twice (a retried activity, a repeated append) records the change once; two
 * changes never share a key, whatever headers the client sent. A client's correlation id is recorded beside
 * the event, never part of its key.
 */
export function changeKey(operation: string, target: string, newState: unknown, serverIssuedId: string): string {
  return `${operation}:${target}:${sha256(JSON.stringify(newState ?? null)).slice(0, 16)}:${serverIssuedId}`;
}

/** A client's correlation id is kept only when it is a plain token; anything else is replaced by the server's own id. */
export function acceptedCorrelationId(header: string | null | undefined): string | undefined {
  return header && /^[A-Za-z0-9._:-]{1,128}$/.test(header) ? header : undefined;
}
