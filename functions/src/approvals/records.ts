import type { Approval, DraftSentence } from '@asep/shared/approvals/approval';
import type { StoredFields } from '../store/documents';

export interface ApprovalRecord extends StoredFields, Omit<Approval, 'id' | 'tenantId'> {
  docType: 'approval';
  stepIndex?: number;
  stepApproval?: 'every' | 'once' | 'none';
  correlationId: string;
  /** A drafted send: what the policy needs to check an approver's edit again. */
  draftBasis?: DraftBasis;
}

export interface DraftBasis {
  mailbox: string;
  isFirstTouch: boolean;
  /** The tenant's own wording the draft started from (template, offer, signature). */
  authoredText: string;
  /** The approver's edit, as it is to be sent. */
  edited?: { subject: string; body: string; sentences: DraftSentence[] };
}
