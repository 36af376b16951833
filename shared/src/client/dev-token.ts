import { z } from 'zod';
import type { Role } from '../access/roles';
import { parseAnswer, send } from './call';
import { readTokenClaims } from './token-claims';

export interface DevIdentity {
  tenantId: string;
  userId: string;
  name: string;
  roles: Role[];
}

/** Returns a current access token for the ASEP API. */
export type AccessTokenSource = () => Promise<string>;

/** Renew a little before expiry so a call never leaves with a token that lapses in flight. */
const renewBeforeExpiryMs = 60_000;

/**
 * Keeps the token `fetchToken` gets until a minute before it expires (five minutes when it does not say).
 * Callers that ask while a token is being fetched share that one request (a pane starts several calls at once).
 */
export function cachedTokenSource(fetchToken: () => Promise<string>): AccessTokenSource {
  let cached: { token: string; renewAt: number } | undefined;
  let fetching: Promise<string> | undefined;
  const renew = async () => {
    try {
      const token = await fetchToken();
      const expiresAt = readTokenClaims(token).expiresAt ?? Date.now() + 5 * renewBeforeExpiryMs;
      cached = { token, renewAt: expiresAt - renewBeforeExpiryMs };
      return token;
    } finally {
      fetching = undefined;
    }
  };
  return async () => {
    if (cached && Date.now() < cached.renewAt) return cached.token;
    fetching ??= renew();
    return fetching;
  };
}

const devTokenSchema = z.object({ access_token: z.string().min(1) });

/** Local suite only: a token from its stand-in for Entra ID (`POST /api/dev/token`). */
export async function requestDevToken(
  baseUrl: string,
  identity: DevIdentity,
  reader: string,
  fetchImpl: typeof fetch = globalThis.fetch.bind(globalThis),
): Promise<string> {
  const response = await send(fetchImpl, `${baseUrl}/dev/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify(identity),
  });
  return (await parseAnswer(response, devTokenSchema, reader)).access_token;
}
