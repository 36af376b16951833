import type { Campaign } from '@asep/shared/campaigns/campaign';
import type { StoredFields } from '../store/documents';

export interface CampaignRecord extends StoredFields, Omit<Campaign, 'id' | 'tenantId'> {
  docType: 'campaign';
}
