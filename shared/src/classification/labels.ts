import { z } from 'zod';

/** What a reply can be, in the order people read them. Apart from schema.ts so that browsers load only this. */
export const replyLabels = ['positive', 'neutral', 'objection', 'unsubscribe', 'ooo', 'bounce'] as const;
export const replyLabelSchema = z.enum(replyLabels);
export type ReplyLabel = z.infer<typeof replyLabelSchema>;
