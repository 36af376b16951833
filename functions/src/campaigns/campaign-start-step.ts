import * as df from 'durable-functions';
import { getServices } from '../composition/services';
import { campaignStartActivities, type CampaignStartPageInput } from '../orchestrations/contracts/campaign-start';
import { findCampaign, startCampaignPage, type CampaignStartPage } from './campaigns';

/**
 * One page of the campaign's enrolled prospects (or canary cohort), read from the campaign as it is now; a
 * sequence that exists already is left as it is, so a retried page or a second start starts nobody twice.
 */
df.app.activity(campaignStartActivities.startPage, {
  extraInputs: [df.input.durableClient()],
  handler: async (input: CampaignStartPageInput, invocation): Promise<CampaignStartPage> => {
    const services = await getServices();
    return startCampaignPage(
      services,
      df.getClient(invocation),
      await findCampaign(services, input.tenantId, input.campaignId),
      input.cohortOnly,
      input.offset,
      input.correlationId,
    );
  },
});
