import { ApiProblem } from '../api/problem';
import { demoTenantId, type DemoUser } from './demoUsers';
import { readTokenClaims } from './tokenClaims';

/** Returns a current access token for the ASEP API. */
export type AccessTokenSource = () => Promise<string>;

/** Renew a little before expiry so a call never leaves with a token that lapses in flight. */
const renewBeforeExpiryMs = 60_000;

/** Local suite only: tokens from its stand-in for Entra ID (`POST /api/dev/token`), for one demo user. */
export function devTokenSource(apiBaseUrl: string, user: DemoUser): AccessTokenSource {
  let cached: { token: string; renewAt: number } | undefined;
  return async () => {
    if (cached && Date.now() < cached.renewAt) return cached.token;
    const token = await requestDevToken(apiBaseUrl, user);
    const expiresAt = readTokenClaims(token).expiresAt ?? Date.now() + 5 * renewBeforeExpiryMs;
    cached = { token, renewAt: expiresAt - renewBeforeExpiryMs };
    return token;
  };
}

async function requestDevToken(apiBaseUrl: string, user: DemoUser): Promise<string> {
  let response: Response;
  try {
    response = await fetch(`${apiBaseUrl}/dev/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ tenantId: demoTenantId, userId: user.userId, name: user.name, roles: user.roles }),
    });
  } catch (error) {
    throw new ApiProblem(0, 'The ASEP service could not be reached', error instanceof Error ? error.message : String(error));
  }
  if (response.status === 404) {
    throw new ApiProblem(
      404,
      'Open the console in Microsoft Teams',
      'This console signs you in through Teams. Outside Teams it works only with the local suite (npm start).',
    );
  }
  if (!response.ok) throw await ApiProblem.fromResponse(response);
  const body: unknown = await response.json();
  const token = (body as { access_token?: unknown } | null)?.access_token;
  if (typeof token !== 'string' || token === '') throw new ApiProblem(response.status, 'The local sign-in answered without a token');
  return token;
}
