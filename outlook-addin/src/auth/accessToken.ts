import type { Role } from '@asep/shared/access/roles';
import { cachedTokenSource, requestDevToken, type AccessTokenSource } from '@asep/shared/client/dev-token';

/** The local suite's demo tenant and rep (see the README); the local API provisions the tenant on first use. */
const demoTenantId = '00000000-0000-4000-8000-000000000001';
/** Oscar Operator, the demo tenant's rep (rep@demo.asep.local): an Entra object id, as every user id is. */
const demoRep = { userId: '00000000-0000-4000-8000-00000000a005', name: 'Oscar Operator' };

/** Local suite only: tokens from the local issuer, for the demo rep with the given role. */
export function devTokenSource(apiBaseUrl: string, role: Role): AccessTokenSource {
  return cachedTokenSource(() => requestDevToken(apiBaseUrl, { tenantId: demoTenantId, ...demoRep, roles: [role] }, 'the pane'));
}
