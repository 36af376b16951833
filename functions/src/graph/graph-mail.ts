import type { Clock } from '../clock/clock';
import type { Draft, KeyedMessage, MailExchange, MailProvider, OutboundEmail } from '../mail/mail-provider';
import { isNotFound, odataEquals, segment, type GraphApi, type GraphRequests } from './graph-requests';

interface GraphMessage {
  id: string;
  internetMessageId?: string | null;
  sentDateTime?: string | null;
}

/**
 * The draft handle ASEP stores: Graph's id of the draft, and its internet message id. Exchange gives the sent
 * copy a new Graph id, so the internet message id is what finds it again when a send is repeated.
 */
export function draftHandle(messageId: string, internetMessageId: string): string {
  return JSON.stringify([messageId, internetMessageId]);
}

function parseDraftHandle(handle: string): { messageId: string; internetMessageId: string } {
  try {
    const [messageId, internetMessageId] = JSON.parse(handle) as unknown[];
    if (typeof messageId === 'string' && typeof internetMessageId === 'string') return { messageId, internetMessageId };
  } catch {
    // Reported below with the value that could not be read.
  }
  throw new Error(`"${handle}" is not a draft created by the Graph mail adapter.`);
}

function recipients(address: string) {
  return [{ emailAddress: { address } }];
}

function requireInternetMessageId(message: GraphMessage): string {
  if (!message.internetMessageId) throw new Error(`Microsoft Graph created draft ${message.id} without an internet message id.`);
  return message.internetMessageId;
}

/**
 * A connected mailbox reached through Microsoft Graph with the app's own identity.
 *
 * First touches are created as drafts (`POST /users/{mailbox}/messages`) so their ids are known and recorded
 * before anything leaves, then sent (`POST …/messages/{id}/send`). Follow-ups must thread under the previous
 * touch, but Graph only lets a client set `x-` headers, never In-Reply-To or References. So a follow-up is
 * created with `createReply` on the previous touch as it sits in Sent Items (found by its internet message id),
 * which makes Exchange set both headers and keep the conversation; the reply draft then gets the step's
 * recipient, subject and body, and is sent like any draft. If the previous touch is no longer in Sent Items
 * (the rep deleted it), the follow-up goes out as a new message rather than not at all.
 */
export class GraphMail implements MailProvider {
  constructor(
    private readonly graph: GraphRequests,
    private readonly clock: Clock,
  ) {}

  async createDraft(email: OutboundEmail): Promise<Draft> {
    const existing = await this.findByKey(email.tenantId, email.mailbox, email.touchKey);
    if (existing) return { draftId: existing.draftId, internetMessageId: existing.internetMessageId };
    const draft = await this.graph.call(email.mailbox, async (api) => {
      const previous = email.inReplyTo ? await findSent(api, email.mailbox, email.inReplyTo) : undefined;
      return previous ? createFollowUp(api, email, previous.id) : createMessage(api, email);
    });
    const internetMessageId = requireInternetMessageId(draft);
    return { draftId: draftHandle(draft.id, internetMessageId), internetMessageId };
  }

  /**
   * Sends the draft. Sending it again finds it already gone from Drafts (Exchange moved it to Sent Items under a
   * new id), so a repeat answers with the first send's time instead of delivering twice.
   */
  async sendDraft(_tenantId: string, mailbox: string, draftId: string): Promise<{ sentAt: string }> {
    const { messageId, internetMessageId } = parseDraftHandle(draftId);
    return this.graph.call(
      mailbox,
      async (api) => {
        try {
          await api(`/users/${segment(mailbox)}/messages/${segment(messageId)}/send`).post(undefined);
          return { sentAt: this.clock.now().toISOString() };
        } catch (error) {
          if (!isNotFound(error)) throw error;
          const sent = await findSent(api, mailbox, internetMessageId);
          if (!sent) throw error;
          return { sentAt: sent.sentDateTime ?? this.clock.now().toISOString() };
        }
      },
      { safeToRepeat: true },
    );
  }

  /**
   * Sent Items first (a send that happened is what matters), then Drafts. Exchange keeps the extended property
   * on the sent copy, so a message sent before a crash is found under its key however it was recorded.
   */
  async findByKey(_tenantId: string, mailbox: string, touchKey: string): Promise<KeyedMessage | undefined> {
    return this.graph.call(
      mailbox,
      async (api) => {
        for (const folder of ['sentitems', 'drafts'] as const) {
          const found = await findInFolderByKey(api, mailbox, folder, touchKey);
          if (!found?.internetMessageId) continue;
          return {
            draftId: draftHandle(found.id, found.internetMessageId),
            internetMessageId: found.internetMessageId,
            ...(folder === 'sentitems' && { sentAt: found.sentDateTime ?? this.clock.now().toISOString() }),
          };
        }
        return undefined;
      },
      { safeToRepeat: true },
    );
  }

  async sentAt(_tenantId: string, mailbox: string, internetMessageId: string): Promise<string | undefined> {
    const sent = await this.graph.call(mailbox, (api) => findSent(api, mailbox, internetMessageId), { safeToRepeat: true });
    return sent ? (sent.sentDateTime ?? this.clock.now().toISOString()) : undefined;
  }

  /**
   * Subjects and dates only (`$select`), found by Exchange's participant search over the whole mailbox. Drafts never
   * reached the prospect, so they are not exchanges; twice the limit is asked for so that drafts do not crowd them out.
   */
  async recentExchanges(_tenantId: string, mailbox: string, address: string, limit: number): Promise<MailExchange[]> {
    const page = (await this.graph.call(
      mailbox,
      (api) =>
        api(`/users/${segment(mailbox)}/messages`)
          .search(`"participants:${address.replace(/"/g, '')}"`)
          .select(['internetMessageId', 'subject', 'sentDateTime', 'receivedDateTime', 'from', 'isDraft'])
          .top(limit * 2)
          .get(),
      { safeToRepeat: true },
    )) as {
      value?: (GraphMessage & { subject?: string; receivedDateTime?: string; isDraft?: boolean; from?: { emailAddress?: { address?: string } } })[];
    };
    return (page.value ?? [])
      .filter((message) => message.internetMessageId && message.isDraft !== true)
      .map((message) => {
        const received = message.from?.emailAddress?.address?.toLowerCase() === address.toLowerCase();
        return {
          internetMessageId: message.internetMessageId!,
          subject: message.subject ?? '',
          at: (received ? message.receivedDateTime : message.sentDateTime) ?? message.receivedDateTime ?? '',
          direction: received ? ('received' as const) : ('sent' as const),
        };
      })
      .sort((a, b) => b.at.localeCompare(a.at))
      .slice(0, limit);
  }
}

/**
 * Where the touch key lives on a Graph message: a single-value extended property (MAPI named property, string),
 * which Graph can filter on and which survives the move from Drafts to Sent Items.
 */
export const touchKeyProperty = 'String {9d4bd8e5-3c1a-4d7e-9f59-6a3c2b1e8f40} Name AsepTouchKey';

function touchKeyValue(touchKey: string) {
  return [{ id: touchKeyProperty, value: touchKey }];
}

async function findInFolderByKey(
  api: GraphApi,
  mailbox: string,
  folder: 'sentitems' | 'drafts',
  touchKey: string,
): Promise<GraphMessage | undefined> {
  const filter = `singleValueExtendedProperties/Any(ep: ep/id eq '${touchKeyProperty}' and ep/value eq '${touchKey.replace(/'/g, "''")}')`;
  const page = (await api(`/users/${segment(mailbox)}/mailFolders/${folder}/messages`)
    .filter(encodeURIComponent(filter))
    .select(['id', 'internetMessageId', 'sentDateTime'])
    .top(1)
    .get()) as { value?: GraphMessage[] };
  return page.value?.[0];
}

async function findSent(api: GraphApi, mailbox: string, internetMessageId: string): Promise<GraphMessage | undefined> {
  const page = (await api(`/users/${segment(mailbox)}/mailFolders/sentitems/messages`)
    .filter(odataEquals('internetMessageId', internetMessageId))
    .select(['id', 'internetMessageId', 'sentDateTime'])
    .top(1)
    .get()) as { value?: GraphMessage[] };
  return page.value?.[0];
}

function createMessage(api: GraphApi, email: OutboundEmail): Promise<GraphMessage> {
  return api(`/users/${segment(email.mailbox)}/messages`).post({
    subject: email.subject,
    body: { contentType: 'text', content: email.body },
    toRecipients: recipients(email.to),
    singleValueExtendedProperties: touchKeyValue(email.touchKey),
  });
}

async function createFollowUp(api: GraphApi, email: OutboundEmail, previousId: string): Promise<GraphMessage> {
  const reply = (await api(`/users/${segment(email.mailbox)}/messages/${segment(previousId)}/createReply`).post({})) as GraphMessage;
  // Replying to our own sent message would address it to ourselves: set the prospect, the step's subject and body.
  const updated = (await api(`/users/${segment(email.mailbox)}/messages/${segment(reply.id)}`).patch({
    subject: email.subject,
    body: { contentType: 'text', content: email.body },
    toRecipients: recipients(email.to),
    singleValueExtendedProperties: touchKeyValue(email.touchKey),
  })) as GraphMessage;
  return { ...reply, ...updated };
}
