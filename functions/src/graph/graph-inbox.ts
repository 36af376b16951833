import type { Clock } from '../clock/clock';
import type { ReceivedMessage } from '../mail/inbound';
import { isNotFound, segment, type GraphApi, type GraphRequests } from './graph-requests';

interface GraphRecipient {
  emailAddress?: { address?: string | null } | null;
}

interface GraphInboxMessage {
  id: string;
  internetMessageId?: string | null;
  subject?: string | null;
  body?: { content?: string | null } | null;
  from?: GraphRecipient | null;
  sender?: GraphRecipient | null;
  receivedDateTime?: string | null;
  internetMessageHeaders?: { name?: string | null; value?: string | null }[] | null;
  isDraft?: boolean | null;
}

interface BatchResponse {
  responses?: { id: string; status: number; body?: unknown }[];
}

interface DeltaPage {
  value?: ({ id: string } & { '@removed'?: unknown })[];
  '@odata.nextLink'?: string | null;
  '@odata.deltaLink'?: string | null;
}

/** A message read from a connected mailbox, and whether the mailbox sent it itself. */
export interface FetchedMessage {
  graphId: string;
  received: ReceivedMessage;
  /** A draft, or written by the mailbox itself: never a reply to triage. */
  ownMessage: boolean;
}

/** What triage needs; `internetMessageHeaders` only comes when selected, and carries In-Reply-To and References. */
const messageFields = ['id', 'internetMessageId', 'subject', 'body', 'from', 'sender', 'receivedDateTime', 'internetMessageHeaders', 'isDraft'];
const plainTextBody = { Prefer: 'outlook.body-content-type="text"' };
const deltaPreferences = { Prefer: 'odata.maxpagesize=50' };
/** Exchange runs at most four requests per mailbox at once, and a batch's requests run in parallel. */
const batchSize = 4;

function messagePath(mailbox: string, id: string): string {
  return `/users/${segment(mailbox)}/messages/${segment(id)}?$select=${messageFields.join(',')}`;
}

function headersOf(message: GraphInboxMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const { name, value } of message.internetMessageHeaders ?? []) {
    if (!name || value === null || value === undefined) continue;
    headers[name] = headers[name] === undefined ? value : `${headers[name]}\n${value}`;
  }
  return headers;
}

function toFetched(mailbox: string, message: GraphInboxMessage, now: Date): FetchedMessage {
  const from = (message.from ?? message.sender)?.emailAddress?.address ?? '';
  return {
    graphId: message.id,
    ownMessage: message.isDraft === true || from.toLowerCase() === mailbox.toLowerCase(),
    received: {
      ...(message.internetMessageId ? { internetMessageId: message.internetMessageId } : {}),
      mailbox,
      from,
      to: mailbox,
      subject: message.subject ?? '',
      body: message.body?.content ?? '',
      headers: headersOf(message),
      receivedAt: message.receivedDateTime ?? now.toISOString(),
    },
  };
}

/** Reading a connected mailbox's inbox: the messages change notifications name, and delta rounds as a backstop. */
export class GraphInbox {
  constructor(
    private readonly graph: GraphRequests,
    private readonly clock: Clock,
  ) {}

  /**
   * Reads messages by their Graph ids, several to a JSON batch (`POST /$batch`). A message deleted since it was
   * notified is left out; a request the batch could not serve is read again on its own, where the SDK's retry
   * policy applies.
   */
  async fetch(mailbox: string, ids: readonly string[]): Promise<FetchedMessage[]> {
    const unique = [...new Set(ids)];
    const chunks = Array.from({ length: Math.ceil(unique.length / batchSize) }, (_, index) =>
      unique.slice(index * batchSize, (index + 1) * batchSize),
    );
    const fetched = await Promise.all(
      chunks.map((chunk) => (chunk.length === 1 ? this.fetchOne(mailbox, chunk[0]!) : this.fetchBatch(mailbox, chunk))),
    );
    return fetched.flat().map((message) => toFetched(mailbox, message, this.clock.now()));
  }

  /**
   * One delta round over the inbox: the ids of messages that arrived since the last round, and the link that
   * starts the next. The first round (no link yet) starts at `since`, so connecting a mailbox does not triage
   * its whole history.
   */
  async arrivals(mailbox: string, from: { deltaLink: string } | { since: string }): Promise<{ messageIds: string[]; deltaLink: string }> {
    return this.graph.call(
      mailbox,
      async (api) => {
        let page = await this.firstDeltaPage(api, mailbox, from);
        const messageIds: string[] = [];
        for (;;) {
          messageIds.push(...(page.value ?? []).filter((item) => item['@removed'] === undefined).map((item) => item.id));
          if (page['@odata.deltaLink']) return { messageIds, deltaLink: page['@odata.deltaLink'] };
          if (!page['@odata.nextLink']) throw new Error(`Microsoft Graph ended a delta round for ${mailbox} without a next or delta link.`);
          page = (await api(page['@odata.nextLink']).headers(deltaPreferences).get()) as DeltaPage;
        }
      },
      { safeToRepeat: true },
    );
  }

  private async firstDeltaPage(api: GraphApi, mailbox: string, from: { deltaLink: string } | { since: string }): Promise<DeltaPage> {
    if ('deltaLink' in from) return (await api(from.deltaLink).headers(deltaPreferences).get()) as DeltaPage;
    return (await api(`/users/${segment(mailbox)}/mailFolders/inbox/messages/delta()`)
      .query({ changeType: 'created' })
      .filter(encodeURIComponent(`receivedDateTime ge ${new Date(from.since).toISOString()}`))
      .select(['id', 'receivedDateTime'])
      .headers(deltaPreferences)
      .get()) as DeltaPage;
  }

  private async fetchOne(mailbox: string, id: string): Promise<GraphInboxMessage[]> {
    return this.graph.call(
      mailbox,
      async (api) => {
        try {
          return [(await api(messagePath(mailbox, id)).headers(plainTextBody).get()) as GraphInboxMessage];
        } catch (error) {
          if (isNotFound(error)) return [];
          throw error;
        }
      },
      { safeToRepeat: true },
    );
  }

  private async fetchBatch(mailbox: string, ids: string[]): Promise<GraphInboxMessage[]> {
    const batch = (await this.graph.call(
      mailbox,
      (api) =>
        api('/$batch').post({
          requests: ids.map((id, index) => ({ id: String(index), method: 'GET', url: messagePath(mailbox, id), headers: plainTextBody })),
        }),
      { safeToRepeat: true, weight: ids.length },
    )) as BatchResponse;
    const answers = new Map((batch.responses ?? []).map((response) => [Number(response.id), response]));
    const messages = await Promise.all(
      ids.map(async (id, index) => {
        const answer = answers.get(index);
        if (answer?.status === 200) return [answer.body as GraphInboxMessage];
        if (answer?.status === 404) return [];
        return this.fetchOne(mailbox, id);
      }),
    );
    return messages.flat();
  }
}
