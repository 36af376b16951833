import * as df from 'durable-functions';
import { startSequences } from '../campaigns/campaigns';
import { getServices } from '../composition/services';
import { canaryActivities, type CanaryRunInput } from '../orchestrations/contracts/canary';
import { recordPromotion, type CanaryPromotion } from './canary';

/** Starts the sequences of everyone enrolled; the cohort's are running already and are left as they are. */
df.app.activity(canaryActivities.startEveryone, {
  extraInputs: [df.input.durableClient()],
  handler: async (input: CanaryRunInput & { promotion: CanaryPromotion }, invocation) => {
    const services = await getServices();
    const campaign = await recordPromotion(services, input.tenantId, input.campaignId, input.promotion);
    return startSequences(df.getClient(invocation), campaign, campaign.enrolledProspectIds, input.promotion.correlationId);
  },
});
