import { z } from 'zod';

export const replyLabels = ['positive', 'neutral', 'objection', 'unsubscribe', 'ooo', 'bounce'] as const;
export const replyLabelSchema = z.enum(replyLabels);
export type ReplyLabel = z.infer<typeof replyLabelSchema>;

/** A reply as triage receives it. Header names are matched case-insensitively. */
export const inboundMessageSchema = z.object({
  subject: z.string(),
  body: z.string(),
  from: z.string(),
  headers: z.record(z.string(), z.string()).optional(),
  date: z.iso.datetime({ offset: true }).optional(),
});
export type InboundMessage = z.infer<typeof inboundMessageSchema>;

export const traceStepSchema = z.object({ step: z.string(), detail: z.string() });
export type TraceStep = z.infer<typeof traceStepSchema>;

export const referralSchema = z.object({ name: z.string().optional(), email: z.string().optional() });
export type Referral = z.infer<typeof referralSchema>;

export const oooDetailsSchema = z.object({
  returnDate: z.iso.date().optional(),
  referral: referralSchema.optional(),
  leftCompany: z.boolean().optional(),
});
export type OooDetails = z.infer<typeof oooDetailsSchema>;

export const bounceKindSchema = z.enum(['hard', 'soft']);
export type BounceKind = z.infer<typeof bounceKindSchema>;

export const bounceDetailsSchema = z.object({
  kind: bounceKindSchema,
  /** SMTP enhanced status code, e.g. 5.1.1 */
  status: z
    .string()
    .regex(/^[245]\.\d{1,3}\.\d{1,3}$/)
    .optional(),
  recipient: z.string().optional(),
});
export type BounceDetails = z.infer<typeof bounceDetailsSchema>;

export const replyClassificationSchema = z.object({
  label: replyLabelSchema,
  /** Calibrated probability that `label` is right. */
  confidence: z.number().min(0).max(1),
  evidence: z.object({
    excerpt: z.string().max(300),
    facts: z.array(z.string()),
    trace: z.array(traceStepSchema),
  }),
  ooo: oooDetailsSchema.optional(),
  bounce: bounceDetailsSchema.optional(),
});
export type ReplyClassification = z.infer<typeof replyClassificationSchema>;
