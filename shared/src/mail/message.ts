import { z } from 'zod';

/** One email as ASEP keeps it, whichever way it went: the fields every store of mail shares. */
export const mailMessageSchema = z.object({
  internetMessageId: z.string(),
  /** The connected sales mailbox it was sent from or arrived in. */
  mailbox: z.string(),
  from: z.string(),
  to: z.string(),
  subject: z.string(),
  body: z.string(),
  headers: z.record(z.string(), z.string()),
});
export type MailMessage = z.infer<typeof mailMessageSchema>;

/** Local suite only, `GET /api/dev/mailbox/message`: a stored message, as the taskpane's stand-in mailbox opens it. */
export const storedMessageSchema = mailMessageSchema.pick({ internetMessageId: true, from: true, subject: true }).extend({
  to: z.string().optional(),
  body: z.string().optional(),
  conversationId: z.string(),
  receivedAt: z.string().optional(),
});
export type StoredMessage = z.infer<typeof storedMessageSchema>;
