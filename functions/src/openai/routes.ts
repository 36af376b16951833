import { registerApi } from '../http/api';
import { HttpProblem } from '../http/problem';
import { modelDeploymentSchema, type ModelDeploymentSettings } from './model-settings';
import { tenantDeployments, type TenantDeploymentRecord } from './tenant-deployments';

/** What the console shows of the tenant's deployment: never the key, nor where in Key Vault it is kept. */
function describe(record: TenantDeploymentRecord | undefined) {
  if (!record) return { configured: false };
  const { endpoint, deployment, apiVersion, auth, dailyBudgetUsd } = modelDeploymentSchema.parse(record.settings);
  return { configured: true, endpoint, deployment, apiVersion, auth: { kind: auth.kind }, dailyBudgetUsd, validatedAt: record.validatedAt };
}

/** Which field a failed test call points at, so the Admin knows what to fix. */
function failedField(detail: string): string {
  if (/^40[13]\b/.test(detail) || /secret/i.test(detail)) return 'auth';
  if (/^404\b/.test(detail)) return 'deployment';
  return 'endpoint';
}

registerApi(
  'integrationsOpenAiRead',
  { route: 'v1/integrations/openai', methods: ['GET'], permission: 'integrations.manage' },
  async ({ services, principal }) => ({ body: describe(await tenantDeployments(services.store).read(principal.tenantId)) }),
);

/**
 * Configures the tenant's own Azure OpenAI deployment for drafting and reply review: endpoint, deployment, Entra auth
 * (the app's managed identity) or the name of a Key Vault secret holding the key. A test call must succeed first.
 */
registerApi(
  'integrationsOpenAiConfigure',
  { route: 'v1/integrations/openai', methods: ['PUT'], permission: 'integrations.manage', body: modelDeploymentSchema },
  async ({ services, principal, body, correlationId }) => {
    const settings: ModelDeploymentSettings = body;
    let answer;
    try {
      answer = await services.models.validate(principal.tenantId, settings);
    } catch (error) {
      answer = { status: 'unavailable' as const, reason: 'failed' as const, detail: (error as Error).message };
    }
    if (answer.status !== 'answered') {
      const field = failedField(answer.detail);
      throw new HttpProblem(
        422,
        'Deployment check failed',
        `A test call to ${settings.deployment} did not succeed (${answer.reason}: ${answer.detail}); nothing was saved.`,
        [{ field, message: `the test call failed: ${answer.detail}` }],
      );
    }
    const record = await tenantDeployments(services.store).save(principal.tenantId, settings, principal.userId, services.clock.now().toISOString());
    await services.audit.append(principal.tenantId, {
      actor: { type: 'user', id: principal.userId, name: principal.name },
      type: 'integration.openai.configured',
      correlationId,
      idempotencyKey: `integration.openai.configured:${record.validatedAt}`,
      payload: { endpointHost: new URL(settings.endpoint).host, deployment: settings.deployment, auth: settings.auth?.kind ?? 'entra' },
    });
    return { body: describe(record) };
  },
);
