import type { OfficeGlobal, OfficeMailbox, OfficeMessageItem } from './officeApi';

/** The email selected in Outlook, as the pane needs it. */
export interface SelectedMessage {
  internetMessageId: string;
  from: { name: string; email: string } | null;
  subject: string;
  conversationId: string;
}

export type Unsubscribe = () => void;

/** `Office.MailboxEnums.ItemType.Message`: the pane only works on messages, never on appointments. */
const messageItemType = 'message';

let standInMailbox: OfficeMailbox | undefined;
let itemChangedRegistration: Promise<void> | undefined;
const itemChangedListeners = new Set<(message: SelectedMessage | null) => void>();

function officeGlobal(): OfficeGlobal | undefined {
  return (globalThis as { Office?: OfficeGlobal }).Office;
}

function mailbox(): OfficeMailbox {
  const found = standInMailbox ?? officeGlobal()?.context.mailbox;
  if (!found) throw new Error('No Outlook mailbox: open the pane from Outlook, or locally as taskpane.html?devMessage=<internetMessageId>.');
  return found;
}

function asSelectedMessage(item: OfficeMessageItem | null): SelectedMessage | null {
  if (!item || item.itemType !== messageItemType) return null;
  return {
    internetMessageId: item.internetMessageId,
    from: item.from ? { name: item.from.displayName, email: item.from.emailAddress } : null,
    subject: item.subject,
    conversationId: item.conversationId,
  };
}

/** Resolves once Office.js has initialised; outside Outlook (a plain browser) it resolves with `inOutlook: false`. */
export async function whenOfficeReady(): Promise<{ inOutlook: boolean }> {
  const office = officeGlobal();
  if (!office) return { inOutlook: false };
  const info = await office.onReady();
  return { inOutlook: info.host === office.HostType.Outlook };
}

/** The selected message, or null when nothing (or something other than a message) is selected. */
export async function readSelectedMessage(): Promise<SelectedMessage | null> {
  return asSelectedMessage(mailbox().item);
}

/**
 * Calls `onChange` with the newly selected message whenever the selection changes under a pinned pane, or
 * `onUnavailable` once if this Outlook cannot report selection changes.
 * Outlook keeps one handler per event type, so this module registers once and fans out to its listeners.
 */
export function onSelectedItemChanged(onChange: (message: SelectedMessage | null) => void, onUnavailable: (error: Error) => void): Unsubscribe {
  itemChangedListeners.add(onChange);
  itemChangedRegistration ??= registerItemChanged();
  itemChangedRegistration.catch((error: Error) => {
    if (itemChangedListeners.has(onChange)) onUnavailable(error);
  });
  return () => itemChangedListeners.delete(onChange);
}

function registerItemChanged(): Promise<void> {
  const target = mailbox();
  // The stand-in does not wait for Office.js, whose enums exist only once it is ready.
  const office = standInMailbox ? undefined : officeGlobal();
  const eventType = office?.EventType.ItemChanged ?? standInItemChangedEvent;
  return new Promise((resolve, reject) => {
    target.addHandlerAsync(
      eventType,
      () => {
        const message = asSelectedMessage(target.item);
        for (const listener of itemChangedListeners) listener(message);
      },
      (result) => {
        if (result.status === (office?.AsyncResultStatus.Failed ?? 'failed')) {
          reject(new Error(`Outlook refused the item-changed handler: ${result.error?.message ?? 'unknown error'}`));
        } else {
          resolve();
        }
      },
    );
  });
}

/** Opens Outlook's reply form for the selected message with `html` as the start of the body. */
export async function openReplyWithText(html: string): Promise<void> {
  const item = mailbox().item;
  if (!item) throw new Error('No message is selected to reply to.');
  item.displayReplyForm({ htmlBody: html });
}

/** Whether Outlook's current theme is dark; undefined outside Outlook. */
export function isOutlookThemeDark(): boolean | undefined {
  const background = officeGlobal()?.context.officeTheme?.bodyBackgroundColor;
  const rgb = background?.match(/^#?([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i);
  if (!rgb) return undefined;
  const [red, green, blue] = rgb.slice(1).map((hex) => parseInt(hex, 16) / 255);
  return 0.2126 * red! + 0.7152 * green! + 0.0722 * blue! < 0.5;
}

/** `Office.EventType.ItemChanged`, for the stand-in when office.js is not loaded (unit tests of the stand-in). */
const standInItemChangedEvent = 'olkItemSelectedChanged';

/**
 * Outside Outlook (local suite, tests), makes every function of this module work on `mailbox` instead of
 * Outlook's. Only `main.tsx` calls this, and only when the pane was opened in a plain browser.
 */
export function replaceMailboxWithStandIn(mailbox: OfficeMailbox): void {
  standInMailbox = mailbox;
  itemChangedRegistration = undefined;
}
