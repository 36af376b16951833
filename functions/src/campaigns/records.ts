import type { Campaign } from '@asep/shared/campaigns/campaign';
import type { StoredFields } from '../store/documents';

export interface CampaignRecord extends StoredFields, Omit<Campaign, 'id' | 'tenantId'> {
  docType: 'campaign';
  /** Present once the campaign was started with a canary: who is in it and what became of it. */
  canaryRun?: CanaryRun;
}

/**
 * A canary run: the campaign sends to `cohort` only until a Manager promotes it; it halts (kill switch on) by hand
 * or when the cohort's bounce, unsubscribe or negative-reply rate crosses the policy's threshold.
 */
export interface CanaryRun {
  cohort: string[];
  status: 'running' | 'promoted' | 'halted';
  startedAt: string;
  decidedBy?: string;
  decidedAt?: string;
  haltReason?: string;
}
