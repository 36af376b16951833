import * as df from 'durable-functions';
import type { OrchestrationContext, OrchestrationHandler } from 'durable-functions';
import type { KillSwitchReleaseProgress } from '@asep/shared/killswitch/killswitch';
import {
  killSwitchReleaseActivities,
  killSwitchReleaseOrchestration,
  killSwitchReleasePageSize,
  type KillSwitchReleaseFinishInput,
  type KillSwitchReleaseInput,
  type KillSwitchReleasePage,
  type KillSwitchReleasePageInput,
  type KillSwitchReleaseScope,
} from './contracts/killswitch-release';

const retry = new df.RetryOptions(2_000, 4);
retry.backoffCoefficient = 2;

/**
 * Wakes the sequences a kill switch held, a page at a time, reporting progress as its custom status after every
 * page; once every page is done it records the count (on the switch and in the audit log) and answers it.
 */
const killSwitchReleaseOrchestrator: OrchestrationHandler = function* (context: OrchestrationContext) {
  const input = context.df.getInput<KillSwitchReleaseInput>();
  const scope = (yield context.df.callActivityWithRetry(killSwitchReleaseActivities.scope, retry, input)) as KillSwitchReleaseScope;
  const progress: KillSwitchReleaseProgress = {
    sequences: scope.campaigns.reduce((sum, campaign) => sum + campaign.sequences, 0),
    checked: 0,
    held: 0,
    resumed: 0,
    done: false,
  };
  context.df.setCustomStatus(progress);
  for (const { campaignId, sequences } of scope.campaigns) {
    for (let offset = 0; offset < sequences; offset += killSwitchReleasePageSize) {
      const pageInput: KillSwitchReleasePageInput = { tenantId: input.tenantId, campaignId, offset };
      const page = (yield context.df.callActivityWithRetry(killSwitchReleaseActivities.page, retry, pageInput)) as KillSwitchReleasePage;
      progress.checked += page.checked;
      progress.held += page.held;
      progress.resumed += page.resumed;
      context.df.setCustomStatus(progress);
    }
  }
  const finish: KillSwitchReleaseFinishInput = { ...input, releaseId: context.df.instanceId, sequencesResumed: progress.resumed };
  yield context.df.callActivityWithRetry(killSwitchReleaseActivities.finish, retry, finish);
  const done = { ...progress, done: true };
  context.df.setCustomStatus(done);
  return done;
};
df.app.orchestration(killSwitchReleaseOrchestration.name, killSwitchReleaseOrchestrator);
