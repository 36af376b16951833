/**
 * The slice of Office.js the pane uses, named as in `@microsoft/office-js/dist/office.d.ts`. Declared here
 * rather than loading the 100k-line global typings, so that only this folder can reach `Office` at all.
 */
export interface OfficeAsyncResult<T> {
  status: string;
  value: T;
  error?: { message: string; code?: number };
}

export interface OfficeEmailAddressDetails {
  displayName: string;
  emailAddress: string;
}

export interface OfficeReplyFormData {
  htmlBody?: string;
}

/** `Office.MessageRead`, as far as the pane reads it. */
export interface OfficeMessageItem {
  itemType: string;
  internetMessageId: string;
  from?: OfficeEmailAddressDetails;
  subject: string;
  conversationId: string;
  displayReplyForm(formData: string | OfficeReplyFormData): void;
}

export interface OfficeMailbox {
  /** Null when a pinned pane stays open with no message selected. */
  item: OfficeMessageItem | null;
  addHandlerAsync(eventType: string, handler: (eventArgs: unknown) => void, callback?: (result: OfficeAsyncResult<void>) => void): void;
}

export interface OfficeGlobal {
  onReady(): Promise<{ host: string | null; platform: string | null }>;
  context: {
    mailbox?: OfficeMailbox;
    officeTheme?: { bodyBackgroundColor: string };
  };
  EventType: { ItemChanged: string };
  AsyncResultStatus: { Failed: string };
  HostType: { Outlook: string };
}
