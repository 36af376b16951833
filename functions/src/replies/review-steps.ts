import * as df from 'durable-functions';
import { expireApproval } from '../approvals/approvals';
import { getServices } from '../composition/services';
import { triageActivities, type ApplyReviewInput, type DealGated, type ExpireApprovalInput } from '../orchestrations/contracts/triage';
import { applyReply } from './apply-reply';
import { confirmReviewedLabel } from './review';
import { regateReply } from './triage-reply';

/**
 * A person confirmed (or picked) a reviewed reply's label: apply it exactly as the confident path would have,
 * once, and gate the deal on it.
 */
df.app.activity(triageActivities.applyReview, {
  extraInputs: [df.input.durableClient()],
  handler: async (input: ApplyReviewInput, invocation): Promise<DealGated> => {
    const services = await getServices();
    const confirmed = await confirmReviewedLabel(services, input);
    if (confirmed) {
      const { message, classification, prospect, touch } = confirmed;
      await applyReply(services, df.getClient(invocation), message, classification, prospect, touch, input.correlationId);
    }
    return regateReply(services, input, confirmed?.message);
  },
});

df.app.activity(triageActivities.expireReview, {
  handler: async (input: ExpireApprovalInput) => {
    await expireApproval(await getServices(), input.tenantId, input.approvalId, input.correlationId);
  },
});
