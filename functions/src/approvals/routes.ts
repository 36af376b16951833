import { z } from 'zod';
import { approvalDecisionInputSchema, approvalStatusSchema } from '@asep/shared/approvals/approval';
import { approvalIdSchema, campaignIdSchema } from '@asep/shared/ids/ids';
import { registerApi } from '../http/api';
import { equalityFilter, pageQuerySchema, pageResponse, queryPage } from '../http/paging';
import { decideApproval, findApproval, toApproval } from './approvals';
import { regenerateDraft } from './edits';

registerApi(
  'approvalsList',
  {
    route: 'v1/approvals',
    methods: ['GET'],
    permission: 'approvals.read',
    query: pageQuerySchema.extend({ status: approvalStatusSchema.optional(), campaignId: campaignIdSchema.optional() }),
  },
  async ({ services, principal, query }) => {
    const page = await queryPage(services.store.approvals, principal.tenantId, query, {
      ...equalityFilter({ status: query.status, campaignId: query.campaignId }),
      orderBy: 'c.createdAt DESC',
    });
    return pageResponse(page, toApproval);
  },
);

for (const [verb, approved] of [
  ['approve', true],
  ['reject', false],
] as const) {
  registerApi(
    `approvals${verb === 'approve' ? 'Approve' : 'Reject'}`,
    {
      route: `v1/approvals/{id}/${verb}`,
      methods: ['POST'],
      permission: 'approvals.decide',
      params: z.object({ id: approvalIdSchema }),
      body: approvalDecisionInputSchema,
    },
    async ({ services, principal, params, body, durable, correlationId }) => {
      const { approval } = await decideApproval(
        services,
        (instanceId, eventName, data) => durable.raiseEvent(instanceId, eventName, data),
        principal,
        params.id!,
        approved,
        body,
        correlationId,
      );
      await services.notify.approvalDecided(approval);
      return { body: approval };
    },
  );
}

/** Asks the waiting sequence for a new draft of this email instead of deciding this one. */
registerApi(
  'approvalsRegenerate',
  { route: 'v1/approvals/{id}/regenerate', methods: ['POST'], permission: 'approvals.decide', params: z.object({ id: approvalIdSchema }) },
  async ({ services, principal, params, durable, correlationId }) => {
    const record = await findApproval(services, principal.tenantId, params.id!);
    const cancelled = toApproval(
      await regenerateDraft(
        services,
        (instanceId, eventName, data) => durable.raiseEvent(instanceId, eventName, data),
        principal,
        record,
        correlationId,
      ),
    );
    await services.notify.approvalDecided(cancelled);
    return { status: 202, body: cancelled };
  },
);
