import { randomBytes } from 'node:crypto';
import type { Clock } from '../../../functions/src/clock/clock';
import { defaultDealStageMapping } from '../../../functions/src/hubspot/deal-stages';
import { HubSpotIntegration, type HubSpotIntegrationOptions } from '../../../functions/src/hubspot/integration';
import { sealTokens } from '../../../functions/src/hubspot/token-cipher';
import { tenantScoped } from '../../../functions/src/store/tenant-store';

/** The secrets ASEP's HubSpot app reads: its client secret and two fresh random keys (OAuth state, token sealing). */
export interface HubSpotAppSecrets {
  clientSecret: string;
  stateKey: Buffer;
  tokenKey: Buffer;
  /** By the names the integration asks for. */
  byName: Map<string, string>;
}

export function hubSpotAppSecrets(clientSecret = 'test-client-secret'): HubSpotAppSecrets {
  const stateKey = randomBytes(32);
  const tokenKey = randomBytes(32);
  return {
    clientSecret,
    stateKey,
    tokenKey,
    byName: new Map([
      ['hubspot-client-secret', clientSecret],
      ['hubspot-oauth-state-key', stateKey.toString('base64')],
      ['hubspot-token-key', tokenKey.toString('base64')],
    ]),
  };
}

export interface HubSpotIntegrationSetup extends Pick<HubSpotIntegrationOptions, 'store' | 'audit' | 'clock' | 'maxAttempts'> {
  /** Where HubSpot's API answers: the HubSpot fake, or a test's own token endpoint. */
  apiBaseUrl: string;
  secrets?: HubSpotAppSecrets;
  clientId?: string;
  returnUrl?: string;
}

/** ASEP's HubSpot app as the composition builds it, its API at `apiBaseUrl`; answers it with the secrets it reads. */
export function hubSpotIntegration(setup: HubSpotIntegrationSetup): { hubspot: HubSpotIntegration; secrets: HubSpotAppSecrets } {
  const secrets = setup.secrets ?? hubSpotAppSecrets();
  const hubspot = new HubSpotIntegration({
    settings: {
      clientId: setup.clientId ?? 'client',
      redirectUri: 'https://asep.example/api/integrations/hubspot/callback',
      returnUrl: setup.returnUrl ?? 'https://asep.example/console/',
      apiBaseUrl: setup.apiBaseUrl,
    },
    secrets: { get: async (name) => secrets.byName.get(name) },
    store: setup.store,
    audit: setup.audit,
    clock: setup.clock,
    ...(setup.maxAttempts !== undefined && { maxAttempts: setup.maxAttempts }),
  });
  return { hubspot, secrets };
}

/** The state a completed OAuth connection leaves behind: the tenant's portal connected, its tokens sealed, valid for 30 minutes. */
export async function connectPortal(
  hubspot: HubSpotIntegration,
  secrets: HubSpotAppSecrets,
  clock: Clock,
  tenantId: string,
  connectedBy = 'test',
): Promise<void> {
  await tenantScoped(hubspot.collections.connections, tenantId).upsert({
    id: 'hubspot-connection',
    hubId: 62515,
    scopes: [],
    tokens: sealTokens(secrets.tokenKey, tenantId, { accessToken: 'access', refreshToken: 'refresh' }),
    accessTokenExpiresAt: new Date(clock.now().getTime() + 30 * 60_000).toISOString(),
    connectedAt: clock.now().toISOString(),
    connectedBy,
    deals: defaultDealStageMapping,
  });
}

/** A HubSpot integration against the HubSpot fake (at `fakeUrl`) with `tenantId`'s portal connected. */
export async function connectedHubSpot(
  setup: Omit<HubSpotIntegrationSetup, 'apiBaseUrl'> & { fakeUrl: string; tenantId: string; connectedBy?: string },
): Promise<{ hubspot: HubSpotIntegration; secrets: HubSpotAppSecrets }> {
  const { fakeUrl, tenantId, connectedBy, ...rest } = setup;
  const built = hubSpotIntegration({ ...rest, apiBaseUrl: fakeUrl });
  await connectPortal(built.hubspot, built.secrets, setup.clock, tenantId, connectedBy);
  return built;
}
