import type { StoredFields } from '../store/documents';

/** Where the bot can reach a user or team proactively. */
export interface ConversationReferenceRecord extends StoredFields {
  docType: 'conversationReference';
  scope: 'personal' | 'team';
  aadObjectId?: string;
  teamId?: string;
  /**
   * Set when the reference points at one card about this approval (`reference.activityId` is that message),
   * so the card can be updated in place once the approval is decided.
   */
  approvalId?: string;
  reference: Record<string, unknown>;
  updatedAt: string;
}
