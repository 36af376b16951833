import type { Deal } from '@asep/shared/deals/deal';
import type { StoredFields } from '../store/documents';

export interface DealRecord extends StoredFields, Omit<Deal, 'id' | 'tenantId'> {
  docType: 'deal';
}

/** Contacts, companies, notes, tasks and meetings of the internal CRM (the revenue system of record). */
export interface CrmObjectRecord extends StoredFields {
  docType: 'crmObject';
  objectType: 'contact' | 'company' | 'note' | 'task' | 'meeting' | 'email';
  properties: Record<string, unknown>;
  associations: { type: string; id: string }[];
  createdAt: string;
}
