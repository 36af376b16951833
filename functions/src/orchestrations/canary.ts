import * as df from 'durable-functions';
import type { OrchestrationContext, OrchestrationHandler } from 'durable-functions';
import { startSequences } from '../campaigns/campaigns';
import { getServices } from '../composition/services';
import { canaryRunOrchestration, type CanaryRunInput } from './contracts/canary';
import { canaryPromotedEvent, recordPromotion, type CanaryPromotion } from '../deliverability/canary';


const canaryOrchestrator: OrchestrationHandler = function* (context: OrchestrationContext) {
  const input = context.df.getInput<CanaryRunInput>();
  const promotion = (yield context.df.waitForExternalEvent(canaryPromotedEvent)) as CanaryPromotion;
  return yield startEveryone({ ...input, promotion });
};
df.app.orchestration(canaryRunOrchestration.name, canaryOrchestrator);

/** Starts the sequences of everyone enrolled; the cohort's are running already and are left as they are. */
const startEveryone = df.app.activity('canaryStartEveryone', {
  extraInputs: [df.input.durableClient()],
  handler: async (input: CanaryRunInput & { promotion: CanaryPromotion }, invocation) => {
    const services = await getServices();
    const campaign = await recordPromotion(services, input.tenantId, input.campaignId, input.promotion);
    return startSequences(df.getClient(invocation), campaign, campaign.enrolledProspectIds, input.promotion.correlationId);
  },
});
