import { z } from 'zod';
import { policyRulesSchema } from '@asep/shared/policy/document';
import { evaluatePolicy, sendEmailActionSchema } from '@asep/shared/policy/evaluate';
import { registerApi } from '../http/api';
import { loadSendContext } from '../sending/send-context';
import { currentPolicy, updatePolicy } from './policies';

registerApi('policiesGet', { route: 'v1/policies', methods: ['GET'], permission: 'policies.read' }, async ({ services, principal }) => ({
  body: await currentPolicy(services, principal.tenantId),
}));

registerApi(
  'policiesPut',
  {
    route: 'v1/policies',
    methods: ['PUT'],
    permission: 'policies.write',
    body: z.strictObject({ rules: policyRulesSchema, version: z.int().positive().optional() }),
  },
  async ({ services, principal, body, correlationId }) => ({
    body: await updatePolicy(services, principal, body.rules, body.version, correlationId),
  }),
);

registerApi(
  'policiesTest',
  { route: 'v1/policies/test', methods: ['POST'], permission: 'policies.test', body: z.strictObject({ action: sendEmailActionSchema }) },
  async ({ services, principal, body }) => {
    const context = await loadSendContext(services, principal.tenantId, body.action.mailbox, body.action.to);
    return { body: evaluatePolicy(body.action, context) };
  },
);
