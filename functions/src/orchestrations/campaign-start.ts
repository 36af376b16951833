import * as df from 'durable-functions';
import type { OrchestrationContext, OrchestrationHandler } from 'durable-functions';
import type { CampaignStartPage } from '../campaigns/campaigns';
import {
  campaignStartActivities,
  campaignStartOrchestration,
  campaignStartPageSize,
  type CampaignStartInput,
  type CampaignStartPageInput,
  type CampaignStartProgress,
} from './contracts/campaign-start';

/** Starts the sequences a page at a time, reporting progress as its custom status after every page. */
const campaignStartOrchestrator: OrchestrationHandler = function* (context: OrchestrationContext) {
  const input = context.df.getInput<CampaignStartInput>();
  const progress: CampaignStartProgress = { ...input.progress };
  for (let offset = input.from; offset < progress.total; offset += campaignStartPageSize) {
    const { progress: _sofar, ...campaign } = input;
    const pageInput: CampaignStartPageInput = { ...campaign, offset };
    const page = (yield context.df.callActivity(campaignStartActivities.startPage, pageInput)) as CampaignStartPage;
    progress.total = page.total;
    progress.started += page.started;
    progress.alreadyRunning += page.alreadyRunning;
    context.df.setCustomStatus(progress);
  }
  return progress;
};
df.app.orchestration(campaignStartOrchestration.name, campaignStartOrchestrator);
