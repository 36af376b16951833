import type { TokenCredential } from '@azure/identity';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { connectedGraph } from '../graph/connection';
import { GraphCalendar } from '../graph/graph-calendar';
import { GraphMail } from '../graph/graph-mail';
import { CachedSecrets } from '../secrets/cached-secrets';
import { createAzureServices, readAzureSettings } from './azure-services';

/** Loopback addresses only: composing must not call any of them. */
const settings = {
  COSMOS_ENDPOINT: 'https://127.0.0.1:1/',
  KEY_VAULT_URI: 'https://127.0.0.1:2/',
  ASEP_API_ENDPOINT: 'https://127.0.0.1:3/',
  ASEP_ENTRA_AUDIENCE: 'api://tab.example/11111111-1111-4111-8111-111111111111',
  ASEP_ENTRA_CLIENT_ID: '11111111-1111-4111-8111-111111111111',
  ASEP_ENTRA_TENANT_ID: '22222222-2222-4222-8222-222222222222',
  ASEP_ONBOARDED_TENANTS: '33333333-3333-4333-8333-333333333333, 44444444-4444-4444-8444-444444444444',
};

const unusedCredential: TokenCredential = { getToken: () => new Promise(() => undefined) };

describe('Azure composition', () => {
  beforeEach(() => {
    vi.stubEnv('MicrosoftAppId', '55555555-5555-4555-8555-555555555555');
    vi.stubEnv('MicrosoftAppType', 'UserAssignedMSI');
    vi.stubEnv('MicrosoftAppTenantId', settings.ASEP_ENTRA_TENANT_ID);
  });
  afterEach(() => vi.unstubAllEnvs());

  it('names every missing setting instead of starting half-configured', () => {
    expect(() => readAzureSettings({ COSMOS_ENDPOINT: 'not a url' })).toThrow(
      /COSMOS_ENDPOINT: .*KEY_VAULT_URI: .*ASEP_API_ENDPOINT: .*Set ASEP_ENTRA_AUDIENCE and\/or ASEP_ENTRA_CLIENT_ID/,
    );
  });

  it('reads the subscription lifetime, defaulting to the longest Graph grants for messages', () => {
    expect(readAzureSettings(settings).ASEP_GRAPH_SUBSCRIPTION_MINUTES).toBe(4230);
    expect(readAzureSettings({ ...settings, ASEP_GRAPH_SUBSCRIPTION_MINUTES: '60' }).ASEP_GRAPH_SUBSCRIPTION_MINUTES).toBe(60);
    expect(() => readAzureSettings({ ...settings, ASEP_GRAPH_SUBSCRIPTION_MINUTES: '20000' })).toThrow(/ASEP_GRAPH_SUBSCRIPTION_MINUTES/);
  });

  it('sends and books through Graph, keeps secrets in Key Vault, and provisions only onboarded tenants on first use', async () => {
    const services = await createAzureServices(settings, unusedCredential);

    expect(services.environment).toBe('azure');
    expect(services.mail).toBeInstanceOf(GraphMail);
    expect(services.calendar).toBeInstanceOf(GraphCalendar);
    expect(connectedGraph(services)?.mail).toBe(services.mail);
    expect(connectedGraph(services)?.subscriptions.settings).toEqual({
      notificationUrl: 'https://127.0.0.1:3/api/graph/notifications',
      lifecycleNotificationUrl: 'https://127.0.0.1:3/api/graph/lifecycle',
      lifetimeMinutes: 4230,
    });
    expect(services.secrets).toBeInstanceOf(CachedSecrets);
    expect(await services.mayProvision('44444444-4444-4444-8444-444444444444')).toBe(true);
    expect(await services.mayProvision(settings.ASEP_ENTRA_TENANT_ID)).toBe(true);
    expect(await services.mayProvision('66666666-6666-4666-8666-666666666666')).toBe(false);
  });
});
