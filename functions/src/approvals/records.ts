import type { Approval } from '@asep/shared/approvals/approval';
import type { StoredFields } from '../store/documents';

export interface ApprovalRecord extends StoredFields, Omit<Approval, 'id' | 'tenantId'> {
  docType: 'approval';
  stepIndex?: number;
  stepApproval?: 'every' | 'once' | 'none';
  correlationId: string;
}
