import { randomUUID } from 'node:crypto';
import { getBearerTokenProvider, type TokenCredential } from '@azure/identity';
import { APIConnectionTimeoutError, APIError, AzureOpenAI } from 'openai';
import { z } from 'zod';
import { sha256 } from '@asep/shared/audit/chain';
import type { AuditLog } from '../audit/audit-log';
import type { Clock } from '../clock/clock';
import { requireSecret, type SecretReader } from '../integrations/secrets';
import type { Store } from '../store/store';
import { modelDeploymentSchema, type ModelDeployment, type ModelDeploymentSettings } from './model-settings';
import { redactSecrets } from './redact-secrets';
import { structuredOutputSchema } from './structured-output';
import { ModelUsageLedger, type ModelUsage } from './usage-ledger';

const deploymentCheckSchema = z.object({ ok: z.boolean() });

const cognitiveServicesScope = 'https://cognitiveservices.azure.com/.default';

export interface ModelRequest<T> {
  /** What the answer is for; audited with it. */
  purpose: 'draft' | 'classify' | 'validate';
  /** Names the structured output (`response_format.json_schema.name`). */
  schemaName: string;
  /** The answer's shape: sent as the strict JSON schema and checked again on the way back. */
  schema: z.ZodType<T>;
  instructions: string;
  input: string;
  maxOutputTokens: number;
  correlationId?: string;
}

/** Why the model gave no usable answer; every caller has an offline path for each. */
export type ModelUnavailableReason = 'not-configured' | 'over-budget' | 'throttled' | 'timeout' | 'failed' | 'refused' | 'invalid-output';

export type ModelAnswer<T> =
  { status: 'answered'; value: T; deployment: string; usage: ModelUsage } | { status: 'unavailable'; reason: ModelUnavailableReason; detail: string };

/** The model as one tenant sees it: its deployment, its key or identity, its budget. */
export interface TenantModel {
  complete<T>(request: ModelRequest<T>): Promise<ModelAnswer<T>>;
}

export interface ModelRouterOptions {
  /** The tenant's deployment, or undefined when the tenant has none (ASEP then stays offline for it). */
  deploymentFor: (tenantId: string) => Promise<ModelDeploymentSettings | undefined>;
  secrets: SecretReader;
  /** The app's identity for deployments with Entra auth (managed identity in Azure). */
  credential?: TokenCredential;
  store: Store;
  audit: AuditLog;
  clock: Clock;
  /** The longest Retry-After waited out; a longer one is answered from the offline path instead. */
  maxRetryWaitMs?: number;
}

/**
 * Routes structured completions to each tenant's Azure OpenAI deployment under its daily budget. Prompts are stripped of
 * anything that looks like a credential before they leave; prompts and answers are audited by hash with the model and
 * token counts, never in clear; a 429 or 5xx is retried with jittered backoff (Retry-After honoured); and every failure
 * comes back as `unavailable` with a reason instead of an exception, so callers fall back to their offline path.
 */
export class ModelRouter {
  private readonly clients = new Map<string, AzureOpenAI>();
  private readonly usage: ModelUsageLedger;

  constructor(private readonly options: ModelRouterOptions) {
    this.usage = new ModelUsageLedger(options.store.database, options.clock);
  }

  forTenant(tenantId: string): TenantModel {
    return { complete: (request) => this.complete(tenantId, request) };
  }

  async complete<T>(tenantId: string, request: ModelRequest<T>): Promise<ModelAnswer<T>> {
    const settings = await this.options.deploymentFor(tenantId);
    if (!settings) return unavailable('not-configured', 'the tenant has no model deployment');
    return this.completeWith(tenantId, settings, request);
  }

  /** One small structured completion on a deployment an Admin is about to configure: whether it answers, and if not why. */
  async validate(tenantId: string, settings: ModelDeploymentSettings): Promise<ModelAnswer<{ ok: boolean }>> {
    return this.completeWith(tenantId, settings, {
      purpose: 'validate',
      schemaName: 'deployment_check',
      schema: deploymentCheckSchema,
      instructions: 'Answer with ok set to true.',
      input: 'Is this deployment reachable?',
      maxOutputTokens: 20,
    });
  }

  private async completeWith<T>(tenantId: string, settings: ModelDeploymentSettings, request: ModelRequest<T>): Promise<ModelAnswer<T>> {
    const deployment = modelDeploymentSchema.parse(settings);
    const correlationId = request.correlationId ?? randomUUID();
    const messages = [
      { role: 'system' as const, content: redactSecrets(request.instructions).text },
      { role: 'user' as const, content: redactSecrets(request.input).text },
    ];

    const spent = await this.usage.spentToday(tenantId);
    const estimate = costOf(deployment, { promptTokens: estimatedTokens(messages), completionTokens: request.maxOutputTokens });
    if (spent + estimate > deployment.dailyBudgetUsd) {
      await this.auditBudgetExceeded(tenantId, request, spent, deployment, correlationId);
      return unavailable(
        'over-budget',
        `today's spend ${spent.toFixed(4)} USD plus this call would pass the ${deployment.dailyBudgetUsd} USD ceiling`,
      );
    }

    let reauthenticated = false;
    for (let attempt = 0; ; attempt += 1) {
      try {
        const completion = await (
          await this.clientFor(deployment)
        ).chat.completions.create(
          {
            model: deployment.deployment,
            messages,
            response_format: {
              type: 'json_schema',
              json_schema: { name: request.schemaName, schema: structuredOutputSchema(request.schema), strict: true },
            },
            max_completion_tokens: request.maxOutputTokens,
          },
          { timeout: deployment.timeoutMs, maxRetries: 0 },
        );
        const usage = {
          promptTokens: completion.usage?.prompt_tokens ?? estimatedTokens(messages),
          completionTokens: completion.usage?.completion_tokens ?? 0,
        };
        const cost = { ...usage, costUsd: costOf(deployment, usage) };
        const message = completion.choices[0]?.message;
        await this.usage.record(tenantId, cost);
        await this.options.audit.append(tenantId, {
          actor: { type: 'system', id: 'model-router' },
          type: 'model.completed',
          correlationId,
          idempotencyKey: `model.completed:${completion.id}`,
          payload: {
            purpose: request.purpose,
            deployment: deployment.deployment,
            model: completion.model,
            promptHash: sha256(JSON.stringify(messages)),
            responseHash: sha256(message?.content ?? message?.refusal ?? ''),
            ...cost,
          },
        });
        if (!message?.content) return unavailable('refused', message?.refusal ?? 'the model returned no content');
        const parsed = request.schema.safeParse(parseJson(message.content));
        if (!parsed.success) return unavailable('invalid-output', `the answer does not match ${request.schemaName}`);
        return { status: 'answered', value: parsed.data, deployment: deployment.deployment, usage: cost };
      } catch (error) {
        if (error instanceof APIConnectionTimeoutError) return unavailable('timeout', `no answer within ${deployment.timeoutMs} ms`);
        if (error instanceof APIError && error.status === 401 && !reauthenticated) {
          // The tenant may have rotated its key: read it again once, with a fresh client.
          this.clients.delete(clientKey(deployment));
          reauthenticated = true;
          continue;
        }
        const retry = retryDelay(error, attempt, deployment.maxRetries, this.options.maxRetryWaitMs ?? 10_000);
        if (retry === undefined) return unavailable(isThrottled(error) ? 'throttled' : 'failed', failureDetail(error));
        await new Promise((resolve) => setTimeout(resolve, retry));
      }
    }
  }

  private async clientFor(deployment: ModelDeployment): Promise<AzureOpenAI> {
    const key = clientKey(deployment);
    const known = this.clients.get(key);
    if (known) return known;
    const common = { endpoint: deployment.endpoint, deployment: deployment.deployment, apiVersion: deployment.apiVersion, maxRetries: 0 };
    let client: AzureOpenAI;
    if (deployment.auth.kind === 'key') {
      client = new AzureOpenAI({ ...common, apiKey: await requireSecret(this.options.secrets, deployment.auth.secretName) });
    } else {
      if (!this.options.credential) throw new Error('A deployment with Entra auth needs the router to have a credential.');
      client = new AzureOpenAI({ ...common, azureADTokenProvider: getBearerTokenProvider(this.options.credential, cognitiveServicesScope) });
    }
    this.clients.set(key, client);
    return client;
  }

  private async auditBudgetExceeded(
    tenantId: string,
    request: ModelRequest<unknown>,
    spent: number,
    deployment: ModelDeployment,
    correlationId: string,
  ) {
    const day = this.usage.today();
    await this.options.audit.append(tenantId, {
      actor: { type: 'system', id: 'model-router' },
      type: 'model.budget_exceeded',
      correlationId,
      // Once per tenant and day: the first refusal is the news, the rest would only be noise.
      idempotencyKey: `model.budget_exceeded:${day}`,
      payload: { day, purpose: request.purpose, deployment: deployment.deployment, spentUsd: spent, budgetUsd: deployment.dailyBudgetUsd },
    });
  }
}

function clientKey(deployment: ModelDeployment): string {
  return JSON.stringify([deployment.endpoint, deployment.deployment, deployment.apiVersion, deployment.auth]);
}

function unavailable(reason: ModelUnavailableReason, detail: string): ModelAnswer<never> {
  return { status: 'unavailable', reason, detail };
}

/** About four characters per token for English text: enough to keep one call from breaking the ceiling. */
function estimatedTokens(messages: { content: string }[]): number {
  return Math.ceil(messages.reduce((total, message) => total + message.content.length, 0) / 4);
}

function costOf(deployment: ModelDeployment, usage: Pick<ModelUsage, 'promptTokens' | 'completionTokens'>): number {
  return (usage.promptTokens * deployment.pricing.inputPerMillion + usage.completionTokens * deployment.pricing.outputPerMillion) / 1_000_000;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function isThrottled(error: unknown): boolean {
  return error instanceof APIError && error.status === 429;
}

/** Milliseconds to wait before the next attempt, or undefined when the error is final or the retries are spent. */
function retryDelay(error: unknown, attempt: number, maxRetries: number, maxWaitMs: number): number | undefined {
  if (!(error instanceof APIError) || attempt >= maxRetries) return undefined;
  const transient = error.status === undefined || error.status === 429 || error.status >= 500;
  if (!transient) return undefined;
  const jitter = Math.random() * 250;
  const asked = retryAfterMs(error.headers);
  if (asked !== undefined) return asked > maxWaitMs ? undefined : asked + jitter;
  const ceiling = Math.min(8_000, 500 * 2 ** attempt);
  return ceiling / 2 + Math.random() * (ceiling / 2);
}

function retryAfterMs(headers: Headers | undefined): number | undefined {
  const milliseconds = Number(headers?.get('retry-after-ms'));
  if (headers?.get('retry-after-ms') && Number.isFinite(milliseconds)) return milliseconds;
  const seconds = Number(headers?.get('retry-after'));
  return headers?.get('retry-after') && Number.isFinite(seconds) ? seconds * 1000 : undefined;
}

function failureDetail(error: unknown): string {
  if (error instanceof APIError) return `${error.status ?? 'connection'} ${error.code ?? error.type ?? ''}`.trim();
  return error instanceof Error ? error.message.slice(0, 200) : String(error).slice(0, 200);
}
