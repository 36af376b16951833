import type { ListedCampaign } from '../api/responses';

export type BadgeColor = 'informative' | 'success' | 'warning' | 'danger';

type CampaignState = Pick<ListedCampaign, 'status' | 'canaryRun'>;

/**
 * How a campaign's status reads in the console. A running campaign in its canary sends to its first prospects
 * only; once promoted it runs for everyone; halted by its canary, its kill switch keeps it from sending.
 */
export function campaignStatus(campaign: CampaignState): { text: string; color: BadgeColor } {
  switch (campaign.status) {
    case 'draft':
      return { text: 'Draft', color: 'informative' };
    case 'stopped':
      return { text: 'Stopped', color: 'danger' };
    case 'running':
      switch (campaign.canaryRun?.status) {
        case 'running':
          return { text: `Canary (${campaign.canaryRun.cohortSize})`, color: 'warning' };
        case 'halted':
          return { text: 'Halted', color: 'danger' };
        default:
          return { text: 'Running', color: 'success' };
      }
  }
}

/** The canary decisions a running campaign still awaits: a halted canary may be promoted once its kill switch is released. */
export function canaryDecisions(campaign: CampaignState): { promote: boolean; halt: boolean } {
  const canary = campaign.status === 'running' ? campaign.canaryRun?.status : undefined;
  return { promote: canary === 'running' || canary === 'halted', halt: canary === 'running' };
}
