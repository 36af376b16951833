import type { DraftAuthor, DraftSentence } from '@asep/shared/approvals/approval';
import type { EvidenceFact } from '@asep/shared/policy/action';
import type { ReplyClassification } from '@asep/shared/classification/schema';
import type { SuggestedContact } from '@asep/shared/insights/insight';
import type { MailMessage } from '@asep/shared/mail/message';
import type { StoredFields } from '../store/documents';

/**
 * A sent touch (kept beside its prospect, see touches.ts) or a received message, stored once and looked up by its
 * internet message id.
 */
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
    /** Below the tenant's thresholds: the `reply_review` approval a person answers before anything is done. */
    pendingReviewApprovalId?: string;
    /** Who confirmed (or picked) the label a review applied, and when; set once, so it applies once. */
    reviewed?: { label: ReplyClassification['label']; by: { id: string; name?: string }; at: string };
  };
}

/** Where the outbound touch with one internet message id is stored (see message-index.ts). */
export interface MessageIndexRecord extends StoredFields {
  docType: 'messageIndex';
  internetMessageId: string;
  messageId: string;
  messagePk: string;
  /** The touch is kept beside its prospect (store.touches); entries made before that point into the messages container. */
  besideProspect?: boolean;
  /** What triage needs of the touch, kept here so a reply finds it in one read (missing in older entries). */
  touch?: Touch;
}

/** A sent touch as replies need it: who it went to, from which mailbox, in which sequence and thread. */
export type Touch = Pick<
  MessageRecord,
  | 'id'
  | 'pk'
  | 'tenantId'
  | 'internetMessageId'
  | 'mailbox'
  | 'to'
  | 'at'
  | 'prospectId'
  | 'campaignId'
  | 'instanceId'
  | 'step'
  | 'inReplyTo'
  | 'references'
>;
