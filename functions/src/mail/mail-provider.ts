export interface OutboundEmail {
  tenantId: string;
  mailbox: string;
  to: string;
  subject: string;
  body: string;
  /** Threads a follow-up under the previous touch. */
  inReplyTo?: string;
  references?: string[];
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
  createDraft(email: OutboundEmail): Promise<Draft>;
  sendDraft(tenantId: string, mailbox: string, draftId: string): Promise<{ sentAt: string }>;
  /** When the message with this internet message id reached Sent Items (the rep sent a saved draft), if it has. */
  sentAt(tenantId: string, mailbox: string, internetMessageId: string): Promise<string | undefined>;
  /** The latest messages exchanged with `address`, newest first. */
  recentExchanges(tenantId: string, mailbox: string, address: string, limit: number): Promise<MailExchange[]>;
}
