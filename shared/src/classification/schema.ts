import { z } from 'zod';
import { mailMessageSchema } from '../mail/message';
import { readMessageDate } from './message-date';
import { referralSchema } from './referral';
import { reliabilityBandSchema } from './reliability';

export { referralSchema, type Referral } from './referral';
export { reliabilityBandSchema, type ReliabilityBand } from './reliability';

import { replyLabelSchema } from './labels';

export { replyLabels, replyLabelSchema, type ReplyLabel } from './labels';

const textOrNull = z
  .string()
  .nullish()
  .transform((value) => value ?? '');

/** A header value as exports carry it: one string, several (repeated headers), or null. */
const headerValue = z.union([z.string(), z.array(z.string()), z.null()]);

/**
 * The message date: RFC 5322 (`Wed, 6 Dec 2000 04:41:00 -0800 (PST)`) or ISO 8601, made ISO with the sender's
 * offset; null or absent when unknown. Any other text is kept as it came: triage notes it and resolves no
 * relative dates, rather than refusing a reply over its date.
 */
export const messageDateSchema = z
  .string()
  .nullish()
  .transform((value) => {
    if (value === null || value === undefined || value.trim() === '') return undefined;
    const read = readMessageDate(value);
    return read.ok ? read.date : value;
  });

/**
 * A reply as triage receives it, in the shapes exported mail really has: null subjects and dates, RFC 5322
 * dates, repeated headers, an HTML-only body. Header names are matched case-insensitively.
 */
export const inboundMessageFields = z.object({
  subject: textOrNull,
  body: textOrNull,
  /** The HTML alternative, for messages exported with both or with HTML only. */
  html: z.string().nullish(),
  from: textOrNull,
  headers: z
    .record(z.string(), headerValue)
    .nullish()
    .transform((headers) =>
      headers
        ? Object.fromEntries(
            Object.entries(headers)
              .filter((entry): entry is [string, string | string[]] => entry[1] !== null)
              .map(([name, value]) => [name, Array.isArray(value) ? value.join(', ') : value]),
          )
        : undefined,
    ),
  date: messageDateSchema,
});

/** What triage reads: the stored email's subject, body and sender, its headers and date only when known. */
export const triageMessageSchema = mailMessageSchema.pick({ subject: true, body: true, from: true }).extend({
  headers: mailMessageSchema.shape.headers.optional(),
  /** ISO 8601 with the sender's offset. */
  date: z.string().optional(),
});
export type InboundMessage = z.infer<typeof triageMessageSchema>;

/** The message fields as parsed, made into what triage reads; extra fields (a label, say) pass through. */
export function toInboundMessage<T extends z.output<typeof inboundMessageFields>>({ html, headers, date, ...rest }: T) {
  return {
    ...rest,
    // A plain-text part says the same as the HTML one with less markup; HTML-only mail is read as HTML.
    body: rest.body.trim() === '' && html ? html : rest.body,
    ...(headers ? { headers } : {}),
    ...(date ? { date } : {}),
  };
}

export const inboundMessageSchema = inboundMessageFields.transform((message): InboundMessage => toInboundMessage(message));

export const traceStepSchema = z.object({ step: z.string(), detail: z.string() });
export type TraceStep = z.infer<typeof traceStepSchema>;

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
  /** The rule that decided the label, when one did: explicit evidence rather than the model's reading. */
  rule: z.string().optional(),
  /** The two likeliest labels by the model, for a reviewer choosing between them. */
  alternatives: z
    .array(z.object({ label: replyLabelSchema, probability: z.number().min(0).max(1) }))
    .max(2)
    .optional(),
  /** Who to write to instead, when a person says they are not the one ("not the right person, talk to …"). */
  referral: referralSchema.optional(),
  /** The reliability-table band this confidence falls in, for "about N in 100 replies scored like this…". */
  reliability: reliabilityBandSchema.optional(),
  ooo: oooDetailsSchema.optional(),
  bounce: bounceDetailsSchema.optional(),
});
export type ReplyClassification = z.infer<typeof replyClassificationSchema>;
