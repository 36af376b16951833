import { z } from 'zod';
import { replyLabelSchema } from '../classification/labels';

/** How far reply triage has got with a reply: still working, finished, or it matched no touch of ours. */
export const replyStatuses = ['pending', 'done', 'unmatched'] as const;
export const replyStatusSchema = z.enum(replyStatuses);
export type ReplyStatus = z.infer<typeof replyStatusSchema>;

/** `GET /api/v1/replies`: a reply as the list shows it, who wrote, when, and what triage made of it (no body). */
export const listedReplySchema = z.object({
  internetMessageId: z.string(),
  from: z.string(),
  subject: z.string(),
  at: z.string(),
  campaignId: z.string().optional(),
  prospectId: z.string().optional(),
  status: replyStatusSchema,
  label: replyLabelSchema.optional(),
  confidence: z.number().optional(),
  nextAction: z.object({ kind: z.string(), label: z.string(), detail: z.string().optional() }).optional(),
  dealId: z.string().optional(),
});
export type ListedReply = z.infer<typeof listedReplySchema>;
