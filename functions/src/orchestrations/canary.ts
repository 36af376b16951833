import * as df from 'durable-functions';
import type { OrchestrationContext, OrchestrationHandler } from 'durable-functions';
import type { CampaignStartPage } from '../campaigns/campaigns';
import type { CanaryPromotion } from '../deliverability/canary';
import { canaryActivities, canaryPromotedEvent, canaryRunOrchestration, type CanaryPromoted, type CanaryRunInput } from './contracts/canary';
import { campaignStartActivities, campaignStartPageSize, type CampaignStartPageInput } from './contracts/campaign-start';

/** Waits for the promotion, then starts everyone enrolled after the cohort, a page at a time. */
const canaryOrchestrator: OrchestrationHandler = function* (context: OrchestrationContext) {
  const input = context.df.getInput<CanaryRunInput>();
  const promotion = (yield context.df.waitForExternalEvent(canaryPromotedEvent)) as CanaryPromotion;
  const promoted = (yield context.df.callActivity(canaryActivities.recordPromotion, { ...input, promotion })) as CanaryPromoted;
  const outcome = { started: 0, alreadyRunning: promoted.cohort };
  for (let offset = promoted.cohort, total = promoted.enrolled; offset < total; offset += campaignStartPageSize) {
    const pageInput: CampaignStartPageInput = { ...input, cohortOnly: false, correlationId: promotion.correlationId, from: promoted.cohort, offset };
    const page = (yield context.df.callActivity(campaignStartActivities.startPage, pageInput)) as CampaignStartPage;
    total = page.total;
    outcome.started += page.started;
    outcome.alreadyRunning += page.alreadyRunning;
  }
  return outcome;
};
df.app.orchestration(canaryRunOrchestration.name, canaryOrchestrator);
