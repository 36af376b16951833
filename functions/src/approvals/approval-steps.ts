import * as df from 'durable-functions';
import { sendApprovalKind } from '@asep/shared/policy/decision';
import { displayName } from '@asep/shared/prospects/prospect';
import { withdrawApprovals } from '../campaigns/campaigns';
import { getServices } from '../composition/services';
import { sequenceActivities, type RequestApprovalInput } from '../orchestrations/contracts/sequence-steps';
import { loadCampaignAndProspect } from '../sending/prepare-step';
import { withUnsubscribeFooter } from '../unsubscribe/links';
import { createApproval, expireApproval, findApproval } from './approvals';

/** A sequence's email steps put to an approver: asking, and the approval's end when nobody answered or the step moved on. */
df.app.activity(sequenceActivities.requestApproval, {
  handler: async (input: RequestApprovalInput) => {
    const services = await getServices();
    const { campaign, prospect } = await loadCampaignAndProspect(services, input);
    const approval = await createApproval(services, {
      key: `${input.instanceId}:${input.iteration}`,
      tenantId: input.tenantId,
      kind: sendApprovalKind(input.decision, input.email.isFirstTouch),
      campaignId: input.campaignId,
      campaignName: campaign?.name,
      prospectId: input.prospectId,
      prospectName: prospect ? displayName(prospect) : undefined,
      company: prospect?.company,
      from: input.email.mailbox,
      to: input.email.to,
      subject: input.email.subject,
      body: withUnsubscribeFooter(input.email.body),
      evidence: {
        facts: input.email.evidence ?? [],
        ...(input.email.draft ? { sentences: input.email.draft.sentences, author: input.email.draft.author } : {}),
      },
      ...(input.email.draft
        ? { draftBasis: { mailbox: input.email.mailbox, isFirstTouch: input.email.isFirstTouch, authoredText: input.email.draft.authoredText } }
        : {}),
      decision: input.decision,
      instanceId: input.instanceId,
      stepIndex: input.stepIndex,
      stepApproval: input.email.stepApproval,
      correlationId: input.correlationId,
    });
    return { approvalId: approval.id, expiresAt: approval.expiresAt };
  },
});

df.app.activity(sequenceActivities.expireApproval, {
  handler: async (input: { tenantId: string; approvalId: string; correlationId: string }) => {
    await expireApproval(await getServices(), input.tenantId, input.approvalId, input.correlationId);
  },
});

df.app.activity(sequenceActivities.withdrawApproval, {
  handler: async (input: { tenantId: string; approvalId: string; reason: string }) => {
    const services = await getServices();
    await withdrawApprovals(services, [await findApproval(services, input.tenantId, input.approvalId)], input.reason);
  },
});
