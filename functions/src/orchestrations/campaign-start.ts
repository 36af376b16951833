import * as df from 'durable-functions';
import type { OrchestrationContext, OrchestrationHandler } from 'durable-functions';
import { findCampaign, startCampaignPage, type CampaignStartPage } from '../campaigns/campaigns';
import { getServices } from '../composition/services';
import { campaignStartOrchestration, campaignStartPageSize, type CampaignStartInput, type CampaignStartProgress } from './contracts/campaign-start';

interface PageInput extends Omit<CampaignStartInput, 'progress'> {
  offset: number;
}

/** Starts the sequences a page at a time, reporting progress as its custom status after every page. */
const campaignStartOrchestrator: OrchestrationHandler = function* (context: OrchestrationContext) {
  const input = context.df.getInput<CampaignStartInput>();
  const progress: CampaignStartProgress = { ...input.progress };
  for (let offset = input.from; offset < progress.total; offset += campaignStartPageSize) {
    const { progress: _sofar, ...campaign } = input;
    const page = (yield startPage({ ...campaign, offset })) as CampaignStartPage;
    progress.total = page.total;
    progress.started += page.started;
    progress.alreadyRunning += page.alreadyRunning;
    context.df.setCustomStatus(progress);
  }
  return progress;
};
df.app.orchestration(campaignStartOrchestration.name, campaignStartOrchestrator);

/**
 * One page of the campaign's enrolled prospects (or canary cohort), read from the campaign as it is now; a
 * sequence that exists already is left as it is, so a retried page or a second start starts nobody twice.
 */
const startPage = df.app.activity('campaignsStartSequences', {
  extraInputs: [df.input.durableClient()],
  handler: async (input: PageInput, invocation): Promise<CampaignStartPage> => {
    const services = await getServices();
    return startCampaignPage(
      df.getClient(invocation),
      await findCampaign(services, input.tenantId, input.campaignId),
      input.cohortOnly,
      input.offset,
      input.correlationId,
    );
  },
});
