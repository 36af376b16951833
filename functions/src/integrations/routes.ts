import { registerApi } from '../http/api';
import { conflict, HttpProblem } from '../http/problem';
import { HubSpotNotConnectedError } from '../hubspot/connections';
import { dealStageMappingSchema } from '../hubspot/deal-stages';
import { stateLifetimeMs } from '../hubspot/oauth-state';
import { integrationsOf } from './integrations';
import { MissingSecretError } from './secrets';

const notConfigured = () => new HttpProblem(404, 'Not found', 'This deployment has no HubSpot app configured.');

/** Starts connecting the tenant's HubSpot portal: the console opens the returned URL. */
registerApi(
  'integrationsHubSpotConnect',
  { route: 'v1/integrations/hubspot/connect', methods: ['POST'], permission: 'integrations.manage' },
  async ({ services, principal }) => {
    const { hubspot } = await integrationsOf(services);
    if (!hubspot) throw notConfigured();
    try {
      const authorizeUrl = await hubspot.connections.authorizeUrl(principal);
      return { body: { authorizeUrl, expiresAt: new Date(services.clock.now().getTime() + stateLifetimeMs).toISOString() } };
    } catch (error) {
      if (error instanceof MissingSecretError)
        throw new HttpProblem(503, 'Service unavailable', 'The HubSpot app is not fully configured yet; ask the platform operator.');
      throw error;
    }
  },
);

/** Which integrations the tenant has connected, with the scopes granted. */
registerApi(
  'integrationsStatus',
  { route: 'v1/integrations/status', methods: ['GET'], permission: 'integrations.manage' },
  async ({ services, principal }) => {
    const { hubspot } = await integrationsOf(services);
    return { body: { hubspot: hubspot ? await hubspot.connections.status(principal.tenantId) : { provider: 'hubspot', status: 'unavailable' } } };
  },
);

/** The pipeline and stages ASEP's deals use in the tenant's portal. */
registerApi(
  'integrationsHubSpotDealStages',
  { route: 'v1/integrations/hubspot/deal-stages', methods: ['PUT'], permission: 'integrations.manage', body: dealStageMappingSchema },
  async ({ services, principal, body, correlationId }) => {
    const { hubspot } = await integrationsOf(services);
    if (!hubspot) throw notConfigured();
    try {
      return { body: { deals: await hubspot.connections.setDealStages(principal, body, correlationId) } };
    } catch (error) {
      if (error instanceof HubSpotNotConnectedError) throw conflict('Connect HubSpot before mapping its deal stages.');
      throw error;
    }
  },
);
