import type { Prospect } from '@asep/shared/prospects/prospect';
import type { StoredFields } from '../store/documents';

export interface ProspectRecord extends StoredFields, Omit<Prospect, 'id' | 'tenantId'> {
  docType: 'prospect';
}

/** An address or a whole domain that must never be emailed again. */
export interface SuppressionRecord extends StoredFields {
  docType: 'suppression';
  value: string;
  /** Only addresses: a whole domain is excluded by the policy (`excludedDomains`). */
  scope: 'address';
  reason: 'unsubscribe' | 'bounce' | 'manual' | 'left_company' | 'complaint';
  source: string;
  createdAt: string;
  /** How the person (or a user, for manual entries) withdrew consent: kept as evidence for opt-out compliance. */
  consent?: ConsentWithdrawal;
}

export interface ConsentWithdrawal {
  method: 'reply' | 'link' | 'manual';
  at: string;
  /** The reply that asked to stop, for `reply`. */
  sourceMessageId?: string;
}
