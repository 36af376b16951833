import { OfficeMockObject } from 'office-addin-mock';
import { OfficeApp } from 'office-addin-manifest';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

type MailboxModule = typeof import('./mailbox');

interface MockItem {
  itemType: string;
  internetMessageId: string;
  from: { displayName: string; emailAddress: string };
  subject: string;
  conversationId: string;
  displayReplyForm: (formData: unknown) => void;
  replyForm?: unknown;
}

function messageItem(internetMessageId: string, subject: string): MockItem {
  return {
    itemType: 'message',
    internetMessageId,
    from: { displayName: 'Ana Silva', emailAddress: 'ana@contoso.example' },
    subject,
    conversationId: `conversation-of-${internetMessageId}`,
    displayReplyForm(this: MockItem, formData: unknown) {
      this.replyForm = formData;
    },
  };
}

/** An Outlook host as office-addin-mock builds it; `addHandlerAsync` keeps handlers so a test can fire them. */
function outlookMock(options: { host?: string | null; registration?: 'succeeded' | 'failed'; theme?: string } = {}) {
  const handlers = new Map<string, (eventArgs: unknown) => void>();
  const mock = new OfficeMockObject(
    {
      onReady: async () => ({ host: options.host === undefined ? 'Outlook' : options.host, platform: 'OfficeOnline' }),
      HostType: { Outlook: 'Outlook' },
      EventType: { ItemChanged: 'olkItemSelectedChanged' },
      AsyncResultStatus: { Succeeded: 'succeeded', Failed: 'failed' },
      context: {
        officeTheme: { bodyBackgroundColor: options.theme ?? '#ffffff' },
        mailbox: {
          item: messageItem('<first@contoso.example>', 'Re: Quick question'),
          addHandlerAsync(eventType: string, handler: (eventArgs: unknown) => void, callback?: (result: unknown) => void) {
            const status = options.registration ?? 'succeeded';
            if (status === 'succeeded') handlers.set(eventType, handler);
            callback?.({ status, value: undefined, error: status === 'failed' ? { message: 'API not supported' } : undefined });
          },
        },
      },
    },
    OfficeApp.Outlook,
  );
  const mailboxMock = (mock as unknown as { context: { mailbox: { item: MockItem | null } } }).context.mailbox;
  return {
    mock,
    mailbox: mailboxMock,
    select(item: MockItem | null) {
      mailboxMock.item = item;
      handlers.get('olkItemSelectedChanged')?.({ type: 'olkItemSelectedChanged' });
    },
  };
}

let office: MailboxModule;

beforeEach(async () => {
  vi.resetModules();
  office = await import('./mailbox');
});

afterEach(() => {
  delete (globalThis as { Office?: unknown }).Office;
});

function install(outlook: ReturnType<typeof outlookMock>) {
  (globalThis as { Office?: unknown }).Office = outlook.mock;
}

describe('Office mailbox module', () => {
  it('knows it runs in Outlook once Office is ready, and not in a plain browser', async () => {
    install(outlookMock());
    expect(await office.whenOfficeReady()).toEqual({ inOutlook: true });

    install(outlookMock({ host: null }));
    expect(await office.whenOfficeReady()).toEqual({ inOutlook: false });

    delete (globalThis as { Office?: unknown }).Office;
    expect(await office.whenOfficeReady()).toEqual({ inOutlook: false });
  });

  it('reads the selected message’s id, sender, subject and conversation', async () => {
    install(outlookMock());

    expect(await office.readSelectedMessage()).toEqual({
      internetMessageId: '<first@contoso.example>',
      from: { name: 'Ana Silva', email: 'ana@contoso.example' },
      subject: 'Re: Quick question',
      conversationId: 'conversation-of-<first@contoso.example>',
    });
  });

  it('reads nothing when no message (or an appointment) is selected', async () => {
    const outlook = outlookMock();
    install(outlook);

    outlook.mailbox.item = null;
    expect(await office.readSelectedMessage()).toBeNull();
    outlook.mailbox.item = { ...messageItem('<meeting@contoso.example>', 'Sync'), itemType: 'appointment' };
    expect(await office.readSelectedMessage()).toBeNull();
  });

  it('tells every listener about the newly selected message when a pinned pane follows the selection', async () => {
    const outlook = outlookMock();
    install(outlook);
    const first = vi.fn();
    const second = vi.fn();

    const unsubscribeFirst = office.onSelectedItemChanged(first, (error) => expect.fail(error.message));
    office.onSelectedItemChanged(second, (error) => expect.fail(error.message));
    outlook.select(messageItem('<second@contoso.example>', 'Re: Pricing'));
    unsubscribeFirst();
    outlook.select(null);

    expect(first.mock.calls).toEqual([[expect.objectContaining({ internetMessageId: '<second@contoso.example>', subject: 'Re: Pricing' })]]);
    expect(second.mock.calls).toEqual([[expect.objectContaining({ internetMessageId: '<second@contoso.example>' })], [null]]);
  });

  it('reports when Outlook refuses the item-changed handler', async () => {
    install(outlookMock({ registration: 'failed' }));
    const unavailable = new Promise<Error>((resolve) => office.onSelectedItemChanged(() => undefined, resolve));

    expect((await unavailable).message).toMatch(/refused the item-changed handler: API not supported/);
  });

  it('opens a reply form with the given HTML as its body', async () => {
    const outlook = outlookMock();
    install(outlook);

    await office.openReplyWithText('<p>Would Tuesday work?</p>');

    expect((outlook.mailbox.item as MockItem).replyForm).toEqual({ htmlBody: '<p>Would Tuesday work?</p>' });
  });

  it('refuses to open a reply when nothing is selected', async () => {
    const outlook = outlookMock();
    install(outlook);
    outlook.mailbox.item = null;

    await expect(office.openReplyWithText('<p>Hi</p>')).rejects.toThrow(/No message is selected/);
  });

  it('follows Outlook’s theme: dark backgrounds mean a dark pane', () => {
    install(outlookMock({ theme: '#1f1f1f' }));
    expect(office.isOutlookThemeDark()).toBe(true);
    install(outlookMock({ theme: '#ffffff' }));
    expect(office.isOutlookThemeDark()).toBe(false);
  });

  it('explains how to open the pane when there is no mailbox at all', async () => {
    await expect(office.readSelectedMessage()).rejects.toThrow(/devMessage=<internetMessageId>/);
  });
});
