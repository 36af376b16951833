import * as df from 'durable-functions';
import { getServices } from '../composition/services';
import { canaryActivities, type CanaryPromoted, type CanaryRunInput } from '../orchestrations/contracts/canary';
import { recordPromotion, type CanaryPromotion } from './canary';

/** Records the promotion (once, whoever asked first); the canary run then starts everyone after the cohort. */
df.app.activity(canaryActivities.recordPromotion, {
  handler: async (input: CanaryRunInput & { promotion: CanaryPromotion }): Promise<CanaryPromoted> => {
    const campaign = await recordPromotion(await getServices(), input.tenantId, input.campaignId, input.promotion);
    return { cohort: campaign.canaryRun?.cohortSize ?? 0, enrolled: campaign.enrolled };
  },
});
