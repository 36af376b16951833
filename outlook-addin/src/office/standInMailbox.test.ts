import { describe, expect, it, vi } from 'vitest';
import type { StoredMessage } from '@asep/shared/mail/message';
import { createStandInMailbox, parseAddress } from './standInMailbox';

const stored: Record<string, StoredMessage> = {
  '<a@x>': { internetMessageId: '<a@x>', from: 'Ana Silva <ana@contoso.example>', subject: 'Re: A', conversationId: 'c-a' },
  '<b@x>': { internetMessageId: '<b@x>', from: 'bo@fabrikam.example', subject: 'Re: B', conversationId: 'c-b' },
};
const load = async (id: string) => stored[id] ?? Promise.reject(new Error(`unknown ${id}`));

describe('stand-in mailbox', () => {
  it('presents a stored message as Outlook’s selected item', async () => {
    const mailbox = await createStandInMailbox(load, '<a@x>');

    expect(mailbox.item).toMatchObject({
      itemType: 'message',
      internetMessageId: '<a@x>',
      from: { displayName: 'Ana Silva', emailAddress: 'ana@contoso.example' },
      subject: 'Re: A',
      conversationId: 'c-a',
    });
  });

  it('fires item-changed after selecting another message, and records reply forms per message', async () => {
    const mailbox = await createStandInMailbox(load, '<a@x>');
    const changed = vi.fn(() => mailbox.item?.internetMessageId);
    mailbox.addHandlerAsync('olkItemSelectedChanged', changed);

    await mailbox.select('<b@x>');
    mailbox.item!.displayReplyForm({ htmlBody: '<p>Tuesday?</p>' });
    mailbox.clearSelection();

    expect(changed.mock.results.map((result) => result.value)).toEqual(['<b@x>', undefined]);
    expect(mailbox.replyForms).toEqual([{ inReplyTo: '<b@x>', htmlBody: '<p>Tuesday?</p>' }]);
  });

  it('reads display names and bare addresses', () => {
    expect(parseAddress('"Silva, Ana" <ana@contoso.example>')).toEqual({ displayName: 'Silva, Ana', emailAddress: 'ana@contoso.example' });
    expect(parseAddress('bo@fabrikam.example')).toEqual({ displayName: 'bo@fabrikam.example', emailAddress: 'bo@fabrikam.example' });
  });
});
