import { z } from 'zod';

/** The Azure OpenAI deployment a tenant's drafting and reply review run on, and what the tenant may spend on it. */
export const modelDeploymentSchema = z.object({
  /** The resource endpoint, e.g. https://contoso-openai.openai.azure.com */
  endpoint: z.url(),
  deployment: z.string().min(1),
  apiVersion: z.string().min(1).default('2024-10-21'),
  /** Entra ID (the app's managed identity) by default; or the tenant's own key, named in the secrets provider. */
  auth: z
    .discriminatedUnion('kind', [z.object({ kind: z.literal('entra') }), z.object({ kind: z.literal('key'), secretName: z.string().min(1) })])
    .default({ kind: 'entra' }),
  /** US dollars per million tokens, from the deployment's price sheet. */
  pricing: z.object({ inputPerMillion: z.number().nonnegative(), outputPerMillion: z.number().nonnegative() }),
  /** The most the tenant spends per UTC day; at the ceiling, ASEP falls back to its offline paths. */
  dailyBudgetUsd: z.number().nonnegative(),
  /** How long one completion may take; a reply waiting for triage should not wait long. */
  timeoutMs: z.int().positive().default(20_000),
  /** Retries after a 429 or 5xx, the first attempt not counted. */
  maxRetries: z.int().min(0).max(5).default(2),
});
export type ModelDeployment = z.infer<typeof modelDeploymentSchema>;
export type ModelDeploymentSettings = z.input<typeof modelDeploymentSchema>;
