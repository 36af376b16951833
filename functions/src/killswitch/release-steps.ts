import * as df from 'durable-functions';
import { getServices } from '../composition/services';
import type {
  KillSwitchReleaseCampaignInput,
  KillSwitchReleaseFinishInput,
  KillSwitchReleaseInput,
  KillSwitchReleasePageInput,
} from '../orchestrations/contracts/killswitch-release';
import { killSwitchReleaseActivities } from '../orchestrations/contracts/killswitch-release';
import { closeCampaignForRelease, finishRelease, releasePage, releaseScope, stopCampaignForRelease } from './killswitch';

/** The activities of `killSwitchRelease` (orchestrations/killswitch-release.ts): each is safe to run again. */
df.app.activity(killSwitchReleaseActivities.scope, {
  handler: async (input: KillSwitchReleaseInput) => releaseScope(await getServices(), input),
});

df.app.activity(killSwitchReleaseActivities.page, {
  extraInputs: [df.input.durableClient()],
  handler: async (input: KillSwitchReleasePageInput, invocation) => releasePage(await getServices(), df.getClient(invocation), input),
});

df.app.activity(killSwitchReleaseActivities.stopCampaign, {
  handler: async (input: KillSwitchReleaseCampaignInput) => stopCampaignForRelease(await getServices(), input),
});

df.app.activity(killSwitchReleaseActivities.closeCampaign, {
  handler: async (input: KillSwitchReleaseCampaignInput) => closeCampaignForRelease(await getServices(), input),
});

df.app.activity(killSwitchReleaseActivities.finish, {
  handler: async (input: KillSwitchReleaseFinishInput) => finishRelease(await getServices(), input),
});
