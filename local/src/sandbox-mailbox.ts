import { randomUUID } from 'node:crypto';
import type { MailMessage } from '@asep/shared/mail/message';
import { hashedPartition } from '@asep/shared/tenancy/partitioning';
import type { Clock } from '@asep/functions/clock/clock';
import { ConflictError, Documents, type StoredFields } from '@asep/functions/store/documents';
import type { Store } from '@asep/functions/store/store';
import {
  touchKeyHeader,
  type Draft,
  type KeyedMessage,
  type MailExchange,
  type MailProvider,
  type OutboundEmail,
} from '@asep/functions/mail/mail-provider';
import { sha256 } from '@asep/shared/audit/chain';

const keyedDraftId = (mailbox: string, touchKey: string) => `draft-${sha256(`${mailbox.toLowerCase()}|${touchKey}`).slice(0, 40)}`;

/** A message in the sandbox mailbox's own folders, kept apart from ASEP's records as Exchange would. */
export interface SandboxMailRecord extends StoredFields, MailMessage {
  docType: 'sandboxMail';
  folder: 'drafts' | 'sentItems' | 'inbox';
  createdAt: string;
  sentAt?: string;
}

/** The local stand-in for an Exchange Online mailbox reached through Microsoft Graph. */
export class SandboxMailbox implements MailProvider {
  readonly mail: Documents<SandboxMailRecord>;
  /** Transient failures to answer before sending works again, so retries can be seen locally. */
  private failuresToInject = 0;

  constructor(
    store: Store,
    private readonly clock: Clock,
  ) {
    this.mail = new Documents<SandboxMailRecord>(store.messages.container, 'sandboxMail');
  }

  injectTransientFailures(count: number): void {
    this.failuresToInject = count;
  }

  async createDraft(email: OutboundEmail): Promise<Draft> {
    if (this.failuresToInject > 0) {
      this.failuresToInject -= 1;
      throw new Error('The sandbox mailbox is temporarily unavailable (injected fault, like a Graph 503).');
    }
    // The draft's id follows from the touch key, as one mailbox holds one message per key: creating it again finds it.
    const draftId = keyedDraftId(email.mailbox, email.touchKey);
    const internetMessageId = `<${randomUUID()}@${email.mailbox.split('@')[1] ?? 'sandbox.local'}>`;
    const headers: Record<string, string> = { 'Message-ID': internetMessageId, [touchKeyHeader]: email.touchKey };
    if (email.inReplyTo) headers['In-Reply-To'] = email.inReplyTo;
    if (email.references?.length) headers.References = email.references.join(' ');
    const created = await this.mail
      .create({
        id: draftId,
        pk: hashedPartition(email.tenantId, draftId),
        tenantId: email.tenantId,
        folder: 'drafts',
        internetMessageId,
        mailbox: email.mailbox,
        from: email.mailbox,
        to: email.to,
        subject: email.subject,
        body: email.body,
        headers,
        createdAt: this.clock.now().toISOString(),
      })
      .catch(async (error: unknown) => {
        if (!(error instanceof ConflictError)) throw error;
        return (await this.mail.read(hashedPartition(email.tenantId, draftId), draftId))!;
      });
    return { draftId, internetMessageId: created.internetMessageId };
  }

  async findByKey(tenantId: string, mailbox: string, touchKey: string): Promise<KeyedMessage | undefined> {
    const draftId = keyedDraftId(mailbox, touchKey);
    const found = await this.mail.read(hashedPartition(tenantId, draftId), draftId);
    if (!found || found.folder === 'inbox') return undefined;
    return { draftId, internetMessageId: found.internetMessageId, ...(found.folder === 'sentItems' && { sentAt: found.sentAt }) };
  }

  async sendDraft(tenantId: string, _mailbox: string, draftId: string): Promise<{ sentAt: string }> {
    const sent = await this.sendAsRep(tenantId, draftId);
    if (!sent) throw new Error(`Draft ${draftId} does not exist`);
    return { sentAt: sent.sentAt ?? this.clock.now().toISOString() };
  }

  async sentAt(tenantId: string, mailbox: string, internetMessageId: string): Promise<string | undefined> {
    const found = await this.findByInternetMessageId(tenantId, internetMessageId);
    return found?.folder === 'sentItems' && found.mailbox === mailbox ? found.sentAt : undefined;
  }

  async recentExchanges(tenantId: string, mailbox: string, address: string, limit: number): Promise<MailExchange[]> {
    const messages = await this.mail.query(
      tenantId,
      `c.mailbox = @mailbox AND ((c.folder = 'sentItems' AND c.to = @address) OR (c.folder = 'inbox' AND c["from"] = @address))`,
      [
        { name: '@mailbox', value: mailbox },
        { name: '@address', value: address.toLowerCase() },
      ],
      'ORDER BY c.createdAt DESC',
    );
    return messages.slice(0, limit).map((message) => ({
      internetMessageId: message.internetMessageId,
      subject: message.subject,
      at: message.sentAt ?? message.createdAt,
      direction: message.folder === 'inbox' ? 'received' : 'sent',
    }));
  }

  /** Moves a draft to Sent Items, as Exchange does when it is sent (by ASEP, or by the rep from Outlook). */
  async sendAsRep(tenantId: string, draftId: string): Promise<SandboxMailRecord | undefined> {
    const sentAt = this.clock.now().toISOString();
    return this.mail.update(hashedPartition(tenantId, draftId), draftId, (draft) =>
      draft.folder === 'drafts' ? { ...draft, folder: 'sentItems', sentAt } : undefined,
    );
  }

  async drafts(tenantId: string, mailbox?: string): Promise<SandboxMailRecord[]> {
    return this.mail.query(
      tenantId,
      mailbox ? `c.folder = 'drafts' AND c.mailbox = @mailbox` : `c.folder = 'drafts'`,
      mailbox ? [{ name: '@mailbox', value: mailbox }] : [],
      'ORDER BY c.createdAt',
    );
  }

  async sentItems(tenantId: string, to?: string): Promise<SandboxMailRecord[]> {
    return this.mail.query(
      tenantId,
      to ? `c.folder = 'sentItems' AND c.to = @to` : `c.folder = 'sentItems'`,
      to ? [{ name: '@to', value: to.toLowerCase() }] : [],
      'ORDER BY c.sentAt',
    );
  }

  async findByInternetMessageId(tenantId: string, internetMessageId: string): Promise<SandboxMailRecord | undefined> {
    const [found] = await this.mail.query(tenantId, 'c.internetMessageId = @id', [{ name: '@id', value: internetMessageId }]);
    return found;
  }
}
