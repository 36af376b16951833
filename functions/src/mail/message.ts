import type { DraftAuthor, DraftSentence } from '@asep/shared/approvals/approval';
import type { EvidenceFact } from '@asep/shared/policy/action';
import type { ReplyClassification } from '@asep/shared/classification/schema';
import type { SuggestedContact } from '@asep/shared/insights/insight';
import type { MailMessage } from '@asep/shared/mail/message';
import type { StoredFields } from '../store/documents';

/** A sent touch or a received message, stored once and looked up by its internet message id. */
export interface MessageRecord extends StoredFields, MailMessage {
  docType: 'message';
  direction: 'outbound' | 'inbound';
  inReplyTo?: string;
  references?: string[];
  at: string;
  conversationId: string;
  campaignId?: string;
  prospectId?: string;
  instanceId?: string;
  step?: number;
  /** Outbound only: claimed before the mailbox is asked to send, sent once it has; drafted when saved for the rep to send. */
  status?: 'claimed' | 'drafted' | 'sent';
  /** Outbound, researched drafts: the facts the email rests on and each sentence's citations, for the taskpane. */
  evidence?: { facts: EvidenceFact[]; sentences: DraftSentence[]; author: DraftAuthor };
  draftId?: string;
  approvalId?: string;
  /** Inbound only: what reply triage made of it. */
  triage?: {
    status: 'pending' | 'done' | 'unmatched';
    classification?: ReplyClassification;
    matchedTouchId?: string;
    nextAction?: { kind: string; label: string; detail?: string };
    /** Out of office with a referral: who to write to instead. */
    suggestedContact?: SuggestedContact;
    intentAt?: string;
    dealId?: string;
    pendingDealApprovalId?: string;
    /** What the classifier said before a person corrected it. */
    originalLabel?: ReplyClassification['label'];
    corrections?: { from: string; to: string; by: string; at: string }[];
  };
}
