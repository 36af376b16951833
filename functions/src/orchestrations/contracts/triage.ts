import { z } from 'zod';
import { defineOrchestration } from './contract';

/** Reply triage: one instance per inbound message. */
export const triageInputSchema = z.object({
  tenantId: z.string(),
  messageId: z.string(),
  correlationId: z.string(),
  /** A person corrected the label: skip classification and gate the deal again on the corrected label. */
  regate: z.boolean().optional(),
});
export type TriageInput = z.infer<typeof triageInputSchema>;

/** What became of the reply: its label, why it was ignored, or how a Manager's deal decision went. */
export const triageOrchestration = defineOrchestration('replyTriage', triageInputSchema, z.string().optional());
