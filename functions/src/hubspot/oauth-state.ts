import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';

/** How long a person has between clicking "Connect HubSpot" and HubSpot sending them back. */
export const stateLifetimeMs = 10 * 60 * 1000;

const statePayloadSchema = z.object({
  tenantId: z.string().min(1),
  userId: z.string().min(1),
  nonce: z.string().min(1),
  expiresAt: z.number(),
});
export type OAuthState = z.infer<typeof statePayloadSchema>;

export class InvalidStateError extends Error {}

// A purpose prefix, so a MAC made with this key for anything else can never pass as a state.
const mac = (key: Buffer, payload: string) => createHmac('sha256', key).update(`asep.hubspot.oauth-state.v1.${payload}`).digest();

/** The `state` for HubSpot's authorize URL: which tenant and user started the connection, signed and short-lived. */
export function signState(key: Buffer, who: { tenantId: string; userId: string }, now: Date): string {
  const state: OAuthState = { ...who, nonce: randomUUID(), expiresAt: now.getTime() + stateLifetimeMs };
  const payload = Buffer.from(JSON.stringify(state)).toString('base64url');
  return `${payload}.${mac(key, payload).toString('base64url')}`;
}

/** Checks the signature (in constant time) and the expiry; single use is the caller's to record, by nonce. */
export function readState(key: Buffer, state: string, now: Date): OAuthState {
  const [payload, signature, extra] = state.split('.');
  if (!payload || !signature || extra !== undefined) throw new InvalidStateError('The state is malformed.');
  const expected = mac(key, payload);
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new InvalidStateError('The state is not signed by ASEP.');
  let parsed: OAuthState;
  try {
    parsed = statePayloadSchema.parse(JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')));
  } catch {
    throw new InvalidStateError('The state is malformed.');
  }
  if (parsed.expiresAt <= now.getTime()) throw new InvalidStateError('The connection request expired; start again from ASEP.');
  return parsed;
}
