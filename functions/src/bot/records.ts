import type { StoredFields } from '../store/documents';

/** Where the bot can reach a user or team proactively. */
export interface ConversationReferenceRecord extends StoredFields {
  docType: 'conversationReference';
  scope: 'personal' | 'team';
  aadObjectId?: string;
  teamId?: string;
  reference: Record<string, unknown>;
  updatedAt: string;
}
