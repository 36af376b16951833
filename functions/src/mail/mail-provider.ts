export interface OutboundEmail {
  tenantId: string;
  mailbox: string;
  to: string;
  subject: string;
  body: string;
  /** Threads a follow-up under the previous touch. */
  inReplyTo?: string;
  references?: string[];
  /**
   * The touch's stable key: the provider stores it on the message (an `x-` internet message header, or a
   * single-value extended property on Graph), so the message can be found again by it after a crash.
   */
  touchKey: string;
}

/** The header that carries a touch's key on every message ASEP sends. */
export const touchKeyHeader = 'X-ASEP-Touch-Key';

/** A message the provider holds under a touch key: still a draft, or sent (`sentAt`). */
export interface KeyedMessage {
  draftId: string;
  internetMessageId: string;
  sentAt?: string;
}

export interface Draft {
  draftId: string;
  internetMessageId: string;
}

/** One earlier message between a mailbox and a prospect, as research may use it: never its body. */
export interface MailExchange {
  internetMessageId: string;
  subject: string;
  at: string;
  direction: 'sent' | 'received';
}

/**
 * A connected sales mailbox: the sandbox mailbox locally, Microsoft Graph in Azure. Sending is two steps,
 * as with Graph: create a draft (so its ids are known and can be recorded first), then send that draft.
 * Sending the same draft twice never delivers twice.
 */
export interface MailProvider {
  /** Creates the draft; if the mailbox already holds a message with this touch key (a draft or sent), answers that one instead. */
  createDraft(email: OutboundEmail): Promise<Draft>;
  /** The message the mailbox holds under this touch key, in Drafts or Sent Items. */
  findByKey(tenantId: string, mailbox: string, touchKey: string): Promise<KeyedMessage | undefined>;
  sendDraft(tenantId: string, mailbox: string, draftId: string): Promise<{ sentAt: string }>;
  /** When the message with this internet message id reached Sent Items (the rep sent a saved draft), if it has. */
  sentAt(tenantId: string, mailbox: string, internetMessageId: string): Promise<string | undefined>;
  /** The latest messages exchanged with `address`, newest first. */
  recentExchanges(tenantId: string, mailbox: string, address: string, limit: number): Promise<MailExchange[]>;
}
