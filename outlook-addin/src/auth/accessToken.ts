import type { Role } from '@asep/shared/access/roles';
import { requestDevToken } from '../api/client';
import { readTokenClaims } from './tokenClaims';

/** Returns a current access token for the ASEP API, signing in (silently if it can) when needed. */
export type AccessTokenSource = () => Promise<string>;

/** The local suite's demo tenant and rep (see the README); the local API provisions the tenant on first use. */
const demoTenantId = '00000000-0000-4000-8000-000000000001';
const demoRep = { userId: 'rep@demo.asep.local', name: 'Demo Rep' };

/** Renew a little before expiry so a call never leaves with a token that lapses in flight. */
const renewBeforeExpiryMs = 60_000;

/** Local suite only: tokens from the local issuer, for the demo rep with the given role. */
export function devTokenSource(apiBaseUrl: string, role: Role): AccessTokenSource {
  let cached: { token: string; renewAt: number } | undefined;
  return async () => {
    if (cached && Date.now() < cached.renewAt) return cached.token;
    const token = await requestDevToken(apiBaseUrl, { tenantId: demoTenantId, ...demoRep, roles: [role] });
    const { expiresAt } = readTokenClaims(token);
    cached = { token, renewAt: (expiresAt ?? Date.now() + 5 * renewBeforeExpiryMs) - renewBeforeExpiryMs };
    return token;
  };
}
