import { setTimeout as sleep } from 'node:timers/promises';
import { DefaultAzureCredential, ManagedIdentityCredential, type TokenCredential } from '@azure/identity';
import { SecretClient } from '@azure/keyvault-secrets';
import { z } from 'zod';
import { classifyReply } from '@asep/shared/classification/classify';
import { AuditLog } from '../audit/audit-log';
import { readBotCredentials } from '../bot/channel';
import { TeamsNotifier } from '../bot/notifier';
import { systemClock } from '../clock/clock';
import { InternalCrm } from '../crm/internal-crm';
import { HubSpotIntegration } from '../hubspot/integration';
import { provideIntegrations } from '../integrations/integrations';
import { ModelRouter } from '../openai/model-router';
import { createRoutedClassifier } from '../openai/routed-classifier';
import { deploymentResolver } from '../openai/tenant-deployments';
import { WebsiteFetcher } from '../research/website-fetcher';
import { connectGraph, graphClientFor, useGraph } from '../graph/connection';
import { defaultSubscriptionMinutes } from '../graph/subscriptions';
import { entraTokenValidator } from '../identity/tokens';
import { CachedSecrets } from '../secrets/cached-secrets';
import { KeyVaultSecrets } from '../secrets/key-vault-secrets';
import type { SecretsProvider } from '../secrets/secrets-provider';
import { createCosmosClient } from '../store/cosmos';
import { createStore } from '../store/store';
import { unsubscribeKeyFrom } from '../unsubscribe/signing-key';
import { markReady } from './readiness';
import type { Services } from './services';

const commaSeparated = z
  .string()
  .default('')
  .transform((value) =>
    value
      .split(',')
      .map((item) => item.trim())
      .filter(Boolean),
  );

/** The Function App settings the composition reads (bicep sets them; docs/deploy.md lists them). */
export const azureSettingsSchema = z
  .object({
    COSMOS_ENDPOINT: z.url(),
    COSMOS_DATABASE: z.string().min(1).default('asep'),
    KEY_VAULT_URI: z.url(),
    /** `https://<function app host>`: Graph posts notifications under it. */
    ASEP_API_ENDPOINT: z.url().transform((url) => url.replace(/\/+$/, '')),
    ASEP_ENTRA_AUDIENCE: z.string().min(1).optional(),
    ASEP_ENTRA_CLIENT_ID: z.string().min(1).optional(),
    ASEP_ENTRA_TENANT_ID: z.string().min(1).optional(),
    ASEP_ONBOARDED_TENANTS: commaSeparated,
    /** The user-assigned managed identity; without it, DefaultAzureCredential (e.g. `az login` on a dev machine). */
    AZURE_CLIENT_ID: z.string().min(1).optional(),
    ASEP_GRAPH_SUBSCRIPTION_MINUTES: z.coerce.number().int().min(45).max(10_080).default(defaultSubscriptionMinutes),
    /** ASEP's HubSpot app; without it HubSpot cannot be connected and the internal CRM is the only one. */
    HUBSPOT_CLIENT_ID: z.string().min(1).optional(),
    /** The console's address (the tab's static site), for links in cards and the CRM. */
    ASEP_CONSOLE_URL: z.url().optional(),
    /** The platform's Azure OpenAI deployment for gray-zone replies and drafting; without it ASEP stays offline. */
    AZURE_OPENAI_ENDPOINT: z.url().optional(),
    AZURE_OPENAI_DEPLOYMENT: z.string().min(1).optional(),
    AZURE_OPENAI_DAILY_BUDGET_USD: z.coerce.number().nonnegative().default(5),
    AZURE_OPENAI_PRICE_INPUT_PER_MILLION: z.coerce.number().nonnegative().default(0.4),
    AZURE_OPENAI_PRICE_OUTPUT_PER_MILLION: z.coerce.number().nonnegative().default(1.6),
  })
  .refine((settings) => settings.ASEP_ENTRA_AUDIENCE || settings.ASEP_ENTRA_CLIENT_ID, {
    message: 'Set ASEP_ENTRA_AUDIENCE and/or ASEP_ENTRA_CLIENT_ID: tokens for the API are checked against them.',
    // Reported together with any other missing setting, not only once the rest is right.
    when: () => true,
  });

export type AzureSettings = z.infer<typeof azureSettingsSchema>;

/** Azure's services, plus the secret store the composition hands to adapters that need per-tenant secrets. */
export interface AzureServices extends Services {
  environment: 'azure';
  secrets: SecretsProvider;
}

export function readAzureSettings(environment: Record<string, string | undefined> = process.env): AzureSettings {
  const parsed = azureSettingsSchema.safeParse(environment);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || 'settings'}: ${issue.message}`);
    throw new Error(`The Function App settings are incomplete: ${problems.join('; ')}`);
  }
  return parsed.data;
}

/** The app's own identity, app-only: never a secret in code or settings. */
export function appCredential(settings: Pick<AzureSettings, 'AZURE_CLIENT_ID'>): TokenCredential {
  return settings.AZURE_CLIENT_ID ? new ManagedIdentityCredential({ clientId: settings.AZURE_CLIENT_ID }) : new DefaultAzureCredential();
}

/**
 * Composes the real adapters for Azure: Cosmos DB and Key Vault with the managed identity, Microsoft Graph for
 * mail, calendar and reply notifications, Entra ID tokens, the internal CRM, the offline classifier, the Teams
 * bot as notifier. Building them calls no service: requests do, and a background probe that marks the store
 * ready for `/api/healthz` once Cosmos DB answers. `credential` replaces the app identity in tests.
 */
export async function createAzureServices(
  environment: Record<string, string | undefined> = process.env,
  credential?: TokenCredential,
): Promise<AzureServices> {
  const settings = readAzureSettings(environment);
  const identity = credential ?? appCredential(settings);
  const clock = systemClock;
  const database = createCosmosClient({ endpoint: settings.COSMOS_ENDPOINT, credential: identity, databaseId: settings.COSMOS_DATABASE }).database(
    settings.COSMOS_DATABASE,
  );
  const store = createStore(database);
  const onboarded = new Set([...settings.ASEP_ONBOARDED_TENANTS, ...(settings.ASEP_ENTRA_TENANT_ID ? [settings.ASEP_ENTRA_TENANT_ID] : [])]);
  const isOnboarded = async (tenantId: string) => onboarded.has(tenantId) || (await store.forTenant(tenantId).tenants.read('tenant')) !== undefined;
  const audiences = [settings.ASEP_ENTRA_AUDIENCE, settings.ASEP_ENTRA_CLIENT_ID].filter((audience): audience is string => Boolean(audience));
  const graph = connectGraph(graphClientFor(identity), clock, {
    subscriptions: {
      notificationUrl: `${settings.ASEP_API_ENDPOINT}/api/graph/notifications`,
      lifecycleNotificationUrl: `${settings.ASEP_API_ENDPOINT}/api/graph/lifecycle`,
      lifetimeMinutes: settings.ASEP_GRAPH_SUBSCRIPTION_MINUTES,
    },
  });
  // Fails now, with the missing setting named, rather than on the first approval card.
  const botCredentials = readBotCredentials(process.env);

  const audit = new AuditLog(store.auditContainer, clock);
  const secrets = new CachedSecrets(new KeyVaultSecrets(new SecretClient(settings.KEY_VAULT_URI, identity)), clock);
  const consoleUrl = settings.ASEP_CONSOLE_URL ?? `${settings.ASEP_API_ENDPOINT}/console/`;
  const internalCrm = new InternalCrm(store, clock, () => consoleUrl);
  const hubspot = settings.HUBSPOT_CLIENT_ID
    ? new HubSpotIntegration({
        settings: {
          clientId: settings.HUBSPOT_CLIENT_ID,
          redirectUri: `${settings.ASEP_API_ENDPOINT}/api/integrations/hubspot/callback`,
          returnUrl: `${consoleUrl}#/settings/integrations`,
          webhookUrl: `${settings.ASEP_API_ENDPOINT}/api/integrations/hubspot/webhook`,
        },
        secrets,
        store,
        audit,
        clock,
      })
    : undefined;
  const mirroredCrm = hubspot?.mirror(internalCrm);
  provideIntegrations(() => ({ hubspot, mirroredCrm }));
  const models = new ModelRouter({
    // The tenant's own deployment when an Admin configured one, else the platform's (if the deployment has one).
    deploymentFor: deploymentResolver(
      store,
      settings.AZURE_OPENAI_ENDPOINT && settings.AZURE_OPENAI_DEPLOYMENT
        ? {
            endpoint: settings.AZURE_OPENAI_ENDPOINT,
            deployment: settings.AZURE_OPENAI_DEPLOYMENT,
            pricing: {
              inputPerMillion: settings.AZURE_OPENAI_PRICE_INPUT_PER_MILLION,
              outputPerMillion: settings.AZURE_OPENAI_PRICE_OUTPUT_PER_MILLION,
            },
            dailyBudgetUsd: settings.AZURE_OPENAI_DAILY_BUDGET_USD,
          }
        : undefined,
    ),
    secrets,
    credential: identity,
    store,
    audit,
    clock,
  });

  const services: AzureServices = {
    environment: 'azure',
    clock,
    store,
    audit,
    mail: graph.mail,
    crm: mirroredCrm ?? internalCrm,
    calendar: graph.calendar,
    models,
    website: new WebsiteFetcher({ fetch: (url, init) => fetch(url, init) }),
    classify: (message, tenantId) => createRoutedClassifier({ offline: classifyReply, router: models.forTenant(tenantId) })(message),
    tokens: entraTokenValidator(audiences, isOnboarded),
    notify: new TeamsNotifier({ log: (line) => console.warn(line) }),
    // A tenant with a record was provisioned already; a new one must be on the onboarded list.
    mayProvision: async (tenantId) => onboarded.has(tenantId),
    publicUrl: settings.ASEP_API_ENDPOINT,
    unsubscribeKey: () => unsubscribeKeyFrom(secrets),
    botCredentials,
    resolveSender: (sender) => sender,
    secrets,
  };
  useGraph(services, graph);
  markReady('durable');
  markReady('bot');
  void reportStoreWhenReachable(() => database.read());
  return services;
}

/** `/api/healthz` answers ready once Cosmos DB has answered; role assignments can take minutes after provision. */
async function reportStoreWhenReachable(probe: () => Promise<unknown>): Promise<void> {
  for (let delayMs = 1_000; ; delayMs = Math.min(delayMs * 2, 60_000)) {
    try {
      await probe();
      markReady('store');
      return;
    } catch (error) {
      console.warn(`Cosmos DB is not reachable yet (${(error as Error).message}); retrying in ${delayMs / 1000} s.`);
      await sleep(delayMs, undefined, { ref: false });
    }
  }
}
