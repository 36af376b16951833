import type { Role } from '@asep/shared/access/roles';
import type { ConsoleConfig } from '../config';
import type { AccessTokenSource } from '@asep/shared/client/dev-token';
import { devTokenSource } from './devToken';
import { connectToTeams, type TeamsHost } from './teamsHost';
import { readTokenClaims } from '@asep/shared/client/token-claims';

/** Who is using the console, from where, and how its calls to the API are authorised. */
export interface Session {
  user: { name: string; roles: Role[] };
  accessToken: AccessTokenSource;
  apiBaseUrl: string;
  /** Present when the console runs as a Teams tab; absent in a plain browser against the local suite. */
  teams?: TeamsHost;
}

/** Long enough for a Teams client to answer, short enough that a plain browser barely waits. */
const teamsConnectTimeoutMs = 3_000;

/** Signs in with Teams SSO inside Teams, otherwise with the local suite's dev token for the configured demo user. */
export async function signIn(config: ConsoleConfig): Promise<Session> {
  const teams = await connectToTeams(teamsConnectTimeoutMs);
  const accessToken = teams ? teams.getAuthToken : devTokenSource(config.apiBaseUrl, config.demoUser);
  const claims = readTokenClaims(await accessToken());
  const fallbackName = teams ? 'Signed-in user' : config.demoUser.name;
  return { user: { name: claims.name ?? fallbackName, roles: claims.roles }, accessToken, apiBaseUrl: config.apiBaseUrl, teams };
}
