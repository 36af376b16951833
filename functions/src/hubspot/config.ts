import { z } from 'zod';

/**
 * The scopes ASEP asks a portal for, and no more. HubSpot governs notes, emails, meetings and tasks by the contacts
 * scopes (its notes guide lists crm.objects.contacts.read/write), so engagements need nothing of their own;
 * `sales-email-read` is not asked for because ASEP only writes email engagements and never reads their content.
 * Webhook subscriptions (contact and deal property changes) need the matching read scopes, which are here.
 */
export const hubSpotScopes = [
  'oauth',
  'crm.objects.contacts.read',
  'crm.objects.contacts.write',
  'crm.objects.companies.read',
  'crm.objects.companies.write',
  'crm.objects.deals.read',
  'crm.objects.deals.write',
] as const;

/** The HubSpot app ASEP runs as: one per deployment, shared by every tenant that connects its portal. */
export const hubSpotAppConfigSchema = z.object({
  clientId: z.string().min(1),
  /** Where HubSpot sends people back with the authorization code: `<api>/api/integrations/hubspot/callback`. */
  redirectUri: z.url(),
  /** Where people land after connecting (the console's integrations page); `?hubspot=connected|failed` is added. */
  returnUrl: z.url(),
  authorizeUrl: z.url().default('https://app.hubspot.com/oauth/authorize'),
  /** The API and OAuth token host; tests point it at a fake. */
  apiBaseUrl: z.url().default('https://api.hubapi.com'),
  /**
   * The webhook target exactly as registered in the app settings. The v3 signature covers the full URL, and behind a
   * proxy the URL the function sees may differ; without it the request's own URL is used.
   */
  webhookUrl: z.url().optional(),
  /** Names of secrets in the secrets provider (never values). Keys are base64-encoded 32 bytes. */
  secretNames: z
    .object({
      clientSecret: z.string().min(1),
      stateKey: z.string().min(1),
      tokenKey: z.string().min(1),
    })
    .default({ clientSecret: 'hubspot-client-secret', stateKey: 'hubspot-oauth-state-key', tokenKey: 'hubspot-token-key' }),
  /** How long one HubSpot call may take before it counts as lost. */
  requestTimeoutMs: z.int().positive().default(10_000),
});
export type HubSpotAppConfig = z.infer<typeof hubSpotAppConfigSchema>;
export type HubSpotAppSettings = z.input<typeof hubSpotAppConfigSchema>;
