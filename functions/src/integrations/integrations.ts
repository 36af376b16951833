import type { Services } from '../composition/services';
import type { HubSpotIntegration } from '../hubspot/integration';
import type { MirroredCrm } from '../hubspot/mirrored-crm';

/** Third-party systems a deployment is configured for; each is absent where it is not configured. */
export interface Integrations {
  hubspot?: HubSpotIntegration;
  /** The CRM the composition installed as `services.crm` when HubSpot is configured, for backlog replays. */
  mirroredCrm?: MirroredCrm;
}

let factory: ((services: Services) => Integrations | Promise<Integrations>) | undefined;
let built = new WeakMap<Services, Promise<Integrations>>();

/**
 * The composition (Azure's, or a test's) says which integrations exist; like `provideServices`, it is called once at
 * start-up. Without it every integration is absent and its routes answer 404.
 */
export function provideIntegrations(build: (services: Services) => Integrations | Promise<Integrations>): void {
  factory = build;
  built = new WeakMap();
}

export function integrationsOf(services: Services): Promise<Integrations> {
  if (!factory) return Promise.resolve({});
  let integrations = built.get(services);
  if (!integrations) {
    integrations = Promise.resolve(factory(services));
    built.set(services, integrations);
  }
  return integrations;
}
