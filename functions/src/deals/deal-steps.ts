import * as df from 'durable-functions';
import { dealStageFor } from '@asep/shared/policy/deal-rules';
import { expireApproval } from '../approvals/approvals';
import { getServices } from '../composition/services';
import { triageActivities, type CreateApprovedDealInput, type ExpireApprovalInput } from '../orchestrations/contracts/triage';
import { currentPolicy } from '../policies/policies';
import { findProspect } from '../prospects/prospects';
import { createDealFromReply } from './deals';
import { dealFromReply } from './gating';

/** A Manager answered "Create deal?" with yes: the deal is created at the stage they chose, once. */
df.app.activity(triageActivities.createApprovedDeal, {
  handler: async (input: CreateApprovedDealInput) => {
    const services = await getServices();
    const message = await services.store.forTenant(input.tenantId).messages.read(input.messageId);
    const prospect = message?.prospectId ? await findProspect(services, input.tenantId, message.prospectId) : undefined;
    const classification = message?.triage?.classification;
    if (!message || !prospect || !classification) return;
    const { rules } = await currentPolicy(services, input.tenantId);
    const deal = await createDealFromReply(
      services,
      dealFromReply(
        { ...input, message, prospect, classification },
        {
          stage: input.decision.stage ?? dealStageFor(rules, 'positive_reply'),
          amount: input.decision.amount,
          actor: { type: 'user', ...input.decision.by },
        },
      ),
    );
    await services.store.messages.updateFrom(message, (current) => ({
      ...current,
      triage: {
        ...current.triage!,
        dealId: deal.id,
        pendingDealApprovalId: undefined,
        nextAction: { kind: 'book_meeting', label: 'Propose meeting times' },
      },
    }));
  },
});

/** Nobody answered "Create deal?" in time: the prompt expires and no deal is made. */
df.app.activity(triageActivities.expireDealPrompt, {
  handler: async (input: ExpireApprovalInput) => {
    await expireApproval(await getServices(), input.tenantId, input.approvalId, input.correlationId);
  },
});
