import * as df from 'durable-functions';
import type { OrchestrationContext, OrchestrationHandler } from 'durable-functions';
import type { KillSwitchReleaseProgress } from '@asep/shared/killswitch/killswitch';
import {
  killSwitchReleaseActivities,
  killSwitchReleaseOrchestration,
  killSwitchReleasePageSize,
  type KillSwitchReleaseCampaignInput,
  type KillSwitchReleaseFinishInput,
  type KillSwitchReleaseInput,
  type KillSwitchReleasePage,
  type KillSwitchReleasePageInput,
  type KillSwitchReleaseScope,
} from './contracts/killswitch-release';

const retry = new df.RetryOptions(2_000, 4);
retry.backoffCoefficient = 2;

/**
 * Wakes the sequences a kill switch held (`resume`), or stops the campaigns in its scope and ends their sequences
 * (`end`), a page at a time, reporting progress as its custom status after every page; once every page is done it
 * records the count (on the switch and in the audit log) and answers it.
 */
const killSwitchReleaseOrchestrator: OrchestrationHandler = function* (context: OrchestrationContext) {
  const input = context.df.getInput<KillSwitchReleaseInput>();
  const scope = (yield context.df.callActivityWithRetry(killSwitchReleaseActivities.scope, retry, input)) as KillSwitchReleaseScope;
  const progress: KillSwitchReleaseProgress = {
    sequences: scope.campaigns.reduce((sum, campaign) => sum + campaign.sequences, 0),
    checked: 0,
    held: 0,
    resumed: 0,
    ended: 0,
    done: false,
  };
  context.df.setCustomStatus(progress);
  const releaseId = context.df.instanceId;
  const ending = input.release === 'end';
  const reason = `ended when the kill switch was turned off: ${input.reason}`;
  for (const { campaignId, sequences } of scope.campaigns) {
    const campaign: KillSwitchReleaseCampaignInput = { ...input, releaseId, campaignId, sequencesEnded: 0 };
    if (ending) yield context.df.callActivityWithRetry(killSwitchReleaseActivities.stopCampaign, retry, campaign);
    let endedHere = 0;
    for (let offset = 0; offset < sequences; offset += killSwitchReleasePageSize) {
      const pageInput: KillSwitchReleasePageInput = { tenantId: input.tenantId, campaignId, release: input.release, offset, reason };
      const page = (yield context.df.callActivityWithRetry(killSwitchReleaseActivities.page, retry, pageInput)) as KillSwitchReleasePage;
      progress.checked += page.checked;
      progress.held += page.held;
      progress.resumed += page.resumed;
      progress.ended += page.ended;
      endedHere += page.ended;
      context.df.setCustomStatus(progress);
    }
    if (ending) yield context.df.callActivityWithRetry(killSwitchReleaseActivities.closeCampaign, retry, { ...campaign, sequencesEnded: endedHere });
  }
  const finish: KillSwitchReleaseFinishInput = { ...input, releaseId, sequencesResumed: progress.resumed, sequencesEnded: progress.ended };
  yield context.df.callActivityWithRetry(killSwitchReleaseActivities.finish, retry, finish);
  const done = { ...progress, done: true };
  context.df.setCustomStatus(done);
  return done;
};
df.app.orchestration(killSwitchReleaseOrchestration.name, killSwitchReleaseOrchestrator);
