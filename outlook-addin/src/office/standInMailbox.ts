import type { StoredMessage } from '@asep/shared/mail/message';
import type { OfficeAsyncResult, OfficeMailbox, OfficeMessageItem, OfficeReplyFormData } from './officeApi';

/**
 * A mailbox that behaves like Outlook's for the calls the pane makes, built from messages of the local
 * sandbox. It lets the pane run in any browser, and lets tests switch the selection and see reply forms.
 */
export interface StandInMailbox extends OfficeMailbox {
  /** Selects another stored message, as a click in Outlook's message list would, and fires item-changed. */
  select(internetMessageId: string): Promise<void>;
  /** Clears the selection, as Outlook does for a pinned pane when nothing is selected. */
  clearSelection(): void;
  /** Every reply form the pane opened, oldest first. */
  readonly replyForms: { inReplyTo: string; htmlBody: string }[];
}

export async function createStandInMailbox(
  loadMessage: (internetMessageId: string) => Promise<StoredMessage>,
  firstMessageId: string,
): Promise<StandInMailbox> {
  const itemChangedHandlers: ((eventArgs: unknown) => void)[] = [];
  const replyForms: StandInMailbox['replyForms'] = [];

  function itemFor(message: StoredMessage): OfficeMessageItem {
    return {
      itemType: 'message',
      internetMessageId: message.internetMessageId,
      from: parseAddress(message.from),
      subject: message.subject,
      conversationId: message.conversationId,
      displayReplyForm(formData: string | OfficeReplyFormData) {
        const htmlBody = typeof formData === 'string' ? formData : (formData.htmlBody ?? '');
        replyForms.push({ inReplyTo: message.internetMessageId, htmlBody });
      },
    };
  }

  const mailbox: StandInMailbox = {
    item: itemFor(await loadMessage(firstMessageId)),
    replyForms,
    addHandlerAsync(_eventType, handler, callback) {
      itemChangedHandlers.push(handler);
      const succeeded: OfficeAsyncResult<void> = { status: 'succeeded', value: undefined };
      callback?.(succeeded);
    },
    async select(internetMessageId) {
      mailbox.item = itemFor(await loadMessage(internetMessageId));
      fireItemChanged();
    },
    clearSelection() {
      mailbox.item = null;
      fireItemChanged();
    },
  };

  function fireItemChanged() {
    for (const handler of itemChangedHandlers) handler({ type: 'olkItemSelectedChanged' });
  }

  return mailbox;
}

/** Parses `Display Name <address>` (or a bare address) into Office's `EmailAddressDetails`. */
export function parseAddress(value: string): { displayName: string; emailAddress: string } {
  const named = value.match(/^\s*"?([^"<]*?)"?\s*<([^>]+)>\s*$/);
  if (named) return { displayName: named[1] || named[2]!, emailAddress: named[2]!.trim() };
  return { displayName: value.trim(), emailAddress: value.trim() };
}
