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

/**
 * A connected sales mailbox: the sandbox mailbox locally, Microsoft Graph in Azure. Sending is two steps,
 * as with Graph: create a draft (so its ids are known and can be recorded first), then send that draft.
 * Sending the same draft twice never delivers twice.
 */
export interface MailProvider {
  createDraft(email: OutboundEmail): Promise<Draft>;
  sendDraft(tenantId: string, mailbox: string, draftId: string): Promise<{ sentAt: string }>;
}
