import type { MailProvider } from './mail-provider';

/**
 * Sends a touch's draft unless the mailbox shows it went already. Activities run at least once: one that died
 * between the provider's send and our record of it runs again, and must not send again. So the provider is
 * asked first, by the touch's key, whether Sent Items holds the message; if it does, that send is adopted.
 */
export async function sendDraftOnce(
  mail: MailProvider,
  touch: { tenantId: string; mailbox: string; touchKey: string; draftId: string },
): Promise<{ sentAt: string; adopted: boolean }> {
  const found = await mail.findByKey(touch.tenantId, touch.mailbox, touch.touchKey);
  if (found?.sentAt) return { sentAt: found.sentAt, adopted: true };
  const { sentAt } = await mail.sendDraft(touch.tenantId, touch.mailbox, found?.draftId ?? touch.draftId);
  return { sentAt, adopted: false };
}
