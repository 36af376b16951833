import type { Campaign } from '@asep/shared/campaigns/campaign';

export type BadgeColor = 'informative' | 'success' | 'warning' | 'danger';

/** How a campaign's status reads in the console: a canary run is running, but only for its first prospects. */
export function campaignStatus(campaign: Pick<Campaign, 'status' | 'canary'>): { text: string; color: BadgeColor } {
  switch (campaign.status) {
    case 'draft':
      return { text: 'Draft', color: 'informative' };
    case 'stopped':
      return { text: 'Stopped', color: 'danger' };
    case 'running':
      return campaign.canary ? { text: `Canary (${campaign.canary.size})`, color: 'warning' } : { text: 'Running', color: 'success' };
  }
}
