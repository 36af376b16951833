import { randomUUID } from 'node:crypto';
import { app, type HttpRequest } from '@azure/functions';
import { getServices, type Services } from '../composition/services';
import { registerOpen } from '../http/api';
import { badRequest, HttpProblem, notFound, unauthorized } from '../http/problem';
import { integrationsOf } from '../integrations/integrations';
import { PortalTakenError } from './connections';
import type { HubSpotIntegration } from './integration';
import { HubSpotOAuthError } from './oauth-client';
import { InvalidStateError } from './oauth-state';
import { applyWebhookEvents, webhookBatchSchema } from './webhook-events';
import { verifyHubSpotSignature } from './webhook-signature';

/** 100 events of a few hundred bytes each, with room to spare. */
const maxWebhookBytes = 1_000_000;

async function configuredHubSpot(services: Services): Promise<HubSpotIntegration> {
  const { hubspot } = await integrationsOf(services);
  if (!hubspot) throw notFound('A HubSpot app for this deployment');
  return hubspot;
}

/** Where HubSpot sends the person back after they approved (or refused) the connection. */
registerOpen('hubspotOAuthCallback', { route: 'integrations/hubspot/callback', methods: ['GET'] }, async (request, services) => {
  const hubspot = await configuredHubSpot(services);
  const back = (outcome: 'connected' | 'failed', reason?: string) => {
    const target = new URL(hubspot.config.returnUrl);
    target.searchParams.set('hubspot', outcome);
    if (reason) target.searchParams.set('reason', reason);
    return { status: 302, headers: { location: target.toString(), 'cache-control': 'no-store' } };
  };
  const refused = request.query.get('error');
  if (refused) return back('failed', refused.slice(0, 100));
  const code = request.query.get('code');
  const state = request.query.get('state');
  if (!code || !state) throw badRequest('The callback needs the code and state HubSpot sends.');
  try {
    await hubspot.connections.complete(state, code, request.headers.get('x-correlation-id') ?? randomUUID());
    return back('connected');
  } catch (error) {
    if (error instanceof InvalidStateError) throw badRequest(error.message);
    if (error instanceof HubSpotOAuthError) return back('failed', error.code);
    if (error instanceof PortalTakenError) return back('failed', 'PORTAL_ALREADY_CONNECTED');
    throw error;
  }
});

/** HubSpot's webhook deliveries: signature v3 checked before the body is believed. */
registerOpen('hubspotWebhook', { route: 'integrations/hubspot/webhook', methods: ['POST'] }, async (request, services) => {
  const hubspot = await configuredHubSpot(services);
  const body = await request.text();
  if (Buffer.byteLength(body) > maxWebhookBytes)
    throw new HttpProblem(413, 'Payload too large', `A webhook batch may be at most ${maxWebhookBytes} bytes.`);
  const signature = request.headers.get('x-hubspot-signature-v3') ?? undefined;
  const check = verifyHubSpotSignature(
    await hubspot.clientSecret(),
    { method: request.method, url: signedUrl(request, hubspot), body, timestamp: request.headers.get('x-hubspot-request-timestamp') ?? undefined },
    signature,
    services.clock.now(),
  );
  if (!check.valid) throw unauthorized(`The HubSpot signature is not valid: ${check.reason}.`);
  if (!hubspot.seenSignatures.firstSighting(signature!, services.clock.now())) throw unauthorized('This signed request was already received.');
  let events: unknown;
  try {
    events = JSON.parse(body);
  } catch {
    throw badRequest('The body is not JSON.');
  }
  const parsed = webhookBatchSchema.safeParse(events);
  if (!parsed.success) throw new HttpProblem(400, 'Bad request', 'The body is not a batch of HubSpot webhook events.');
  const outcome = await applyWebhookEvents(services, hubspot, parsed.data, request.headers.get('x-correlation-id') ?? randomUUID());
  return { status: 200, body: outcome };
});

/** Replays mirror writes HubSpot did not take, for every connected tenant. Timers run in Azure only. */
app.timer('hubspotMirrorReplay', {
  schedule: '0 */5 * * * *',
  handler: async (_timer, invocation) => {
    const services = await getServices();
    const { hubspot, mirroredCrm } = await integrationsOf(services);
    if (!hubspot || !mirroredCrm) return;
    for (const tenantId of await hubspot.connections.connectedTenants()) {
      const outstanding = await mirroredCrm.replayBacklog(tenantId).catch((error: unknown) => {
        invocation.warn(`HubSpot mirror replay failed for tenant ${tenantId}: ${error instanceof Error ? error.message : String(error)}`);
        return undefined;
      });
      if (outstanding) invocation.log(`HubSpot mirror: ${outstanding} write(s) still outstanding for tenant ${tenantId}`);
    }
  },
});

/** The URL HubSpot signed: the registered webhook URL when configured (proxies rewrite hosts), with the request's query. */
function signedUrl(request: HttpRequest, hubspot: HubSpotIntegration): string {
  if (!hubspot.config.webhookUrl) return request.url;
  const registered = new URL(hubspot.config.webhookUrl);
  registered.search = new URL(request.url).search;
  return registered.toString();
}
