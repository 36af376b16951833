import { useEffect, useState } from 'react';
import type { ListedCampaign } from '../api/responses';
import { useApi } from '../api/useApi';
import { usePermission } from '../shell/session';

/**
 * The tenant's campaigns, for a list's campaign filter and names. Empty for someone who may not read campaigns
 * or when they do not load: the filter then offers "All campaigns" only, and the list still loads.
 */
export function useCampaigns(): { campaigns: ListedCampaign[]; campaignName: (id: string | undefined) => string } {
  const api = useApi();
  const canReadCampaigns = usePermission('campaigns.read');
  const [campaigns, setCampaigns] = useState<ListedCampaign[]>([]);
  useEffect(() => {
    if (!canReadCampaigns) return;
    const controller = new AbortController();
    api.campaigns(controller.signal).then(setCampaigns, () => {});
    return () => controller.abort();
  }, [api, canReadCampaigns]);
  const campaignName = (id: string | undefined) => (id ? (campaigns.find((campaign) => campaign.id === id)?.name ?? id) : '—');
  return { campaigns, campaignName };
}
