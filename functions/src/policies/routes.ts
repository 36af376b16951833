import { z } from 'zod';
import { policyActionSchema } from '@asep/shared/policy/action';
import { policyRulesSchema } from '@asep/shared/policy/document';
import { evaluateDealPolicy, evaluatePolicy } from '@asep/shared/policy/evaluate';
import { findCampaign } from '../campaigns/campaigns';
import { registerApi } from '../http/api';
import { badRequest } from '../http/problem';
import { loadSendContext } from '../sending/send-context';
import { currentPolicy, listPolicyVersions, policyVersion, updatePolicy } from './policies';

registerApi('policiesGet', { route: 'v1/policies', methods: ['GET'], permission: 'policies.read' }, async ({ services, principal }) => ({
  body: await currentPolicy(services, principal.tenantId),
}));

registerApi(
  'policiesPut',
  {
    route: 'v1/policies',
    methods: ['PUT'],
    permission: 'policies.write',
    // The document as GET returns it may come back whole: the read-only fields are accepted and ignored.
    body: z.strictObject({
      rules: policyRulesSchema,
      version: z.int().positive().optional(),
      tenantId: z.string().optional(),
      updatedBy: z.string().optional(),
      updatedByName: z.string().optional(),
      updatedAt: z.string().optional(),
    }),
  },
  async ({ services, principal, body, correlationId }) => {
    if (body.tenantId !== undefined && body.tenantId !== principal.tenantId) {
      throw badRequest('tenantId is read-only and must be your own tenant.', [{ field: 'tenantId', message: 'not your tenant' }]);
    }
    return { body: await updatePolicy(services, principal, body.rules, body.version, correlationId) };
  },
);

/**
 * The decision the engine would take on an action, now, with nothing sent, claimed or audited. With `rules`,
 * against that draft instead of the policy in force (its `policyVersion` is then the version the draft edits).
 */
registerApi(
  'policiesTest',
  {
    route: 'v1/policies/test',
    methods: ['POST'],
    permission: 'policies.test',
    body: z.strictObject({ action: policyActionSchema, rules: policyRulesSchema.optional() }),
  },
  async ({ services, principal, body }) => {
    const inForce = await currentPolicy(services, principal.tenantId);
    const policy = body.rules ? { ...inForce, rules: body.rules } : inForce;
    const { action } = body;
    if (action.type === 'create_deal') return { body: evaluateDealPolicy(action, { policy, now: services.clock.now() }) };
    const campaign = action.campaignId ? await findCampaign(services, principal.tenantId, action.campaignId) : undefined;
    const context = await loadSendContext(services, principal.tenantId, { mailbox: action.mailbox, to: action.to, campaign }, { policy });
    return { body: evaluatePolicy(action, context) };
  },
);

registerApi(
  'policiesVersions',
  { route: 'v1/policies/versions', methods: ['GET'], permission: 'policies.read' },
  async ({ services, principal }) => ({
    body: await listPolicyVersions(services, principal.tenantId),
  }),
);

registerApi(
  'policiesVersion',
  {
    route: 'v1/policies/versions/{version}',
    methods: ['GET'],
    permission: 'policies.read',
    params: z.object({ version: z.string().max(12, 'a policy version is a whole number from 1') }),
  },
  async ({ services, principal, params }) => {
    const version = Number(params.version);
    if (!Number.isInteger(version) || version < 1)
      throw badRequest(`"${params.version}" is not a policy version: versions are whole numbers from 1.`);
    return { body: await policyVersion(services, principal.tenantId, version) };
  },
);
