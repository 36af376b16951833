import type { Prospect } from '@asep/shared/prospects/prospect';
import type { StoredFields } from '../store/documents';

export interface ProspectRecord extends StoredFields, Omit<Prospect, 'id' | 'tenantId'> {
  docType: 'prospect';
}

/** An address or a whole domain that must never be emailed again. */
export interface SuppressionRecord extends StoredFields {
  docType: 'suppression';
  value: string;
  scope: 'address' | 'domain';
  reason: 'unsubscribe' | 'bounce' | 'manual' | 'left_company' | 'complaint';
  source: string;
  createdAt: string;
}
