import { cachedTokenSource, requestDevToken, type AccessTokenSource } from '@asep/shared/client/dev-token';
import { ApiProblem } from '@asep/shared/client/problem';
import { demoTenantId, type DemoUser } from './demoUsers';

/** Local suite only: tokens from its stand-in for Entra ID (`POST /api/dev/token`), for one demo user. */
export function devTokenSource(apiBaseUrl: string, user: DemoUser): AccessTokenSource {
  return cachedTokenSource(() => devToken(apiBaseUrl, user));
}

async function devToken(apiBaseUrl: string, user: DemoUser): Promise<string> {
  try {
    return await requestDevToken(apiBaseUrl, { tenantId: demoTenantId, userId: user.userId, name: user.name, roles: user.roles }, 'the console');
  } catch (error) {
    if (!(error instanceof ApiProblem && error.status === 404)) throw error;
    throw new ApiProblem(
      404,
      'Open the console in Microsoft Teams',
      'This console signs you in through Teams. Outside Teams it works only with the local suite (npm start).',
    );
  }
}
