import type { Campaign, Enrolment } from '@asep/shared/campaigns/campaign';
import type { StoredFields } from '../store/documents';

export interface CampaignRecord extends StoredFields, Omit<Campaign, 'id' | 'tenantId'> {
  docType: 'campaign';
}

/** Kept beside its campaign, in the tenant's partition of the campaigns container (see campaigns/enrolments.ts). */
export interface EnrolmentRecord extends StoredFields, Enrolment {
  docType: 'enrolment';
}
