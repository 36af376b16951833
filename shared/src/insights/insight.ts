import { z } from 'zod';
import { draftAuthorSchema, draftSentenceSchema, evidenceFactSchema } from '../approvals/approval';
import { replyLabelSchema } from '../classification/labels';
import { reliabilityBandSchema } from '../classification/reliability';
import { dealSchema } from '../deals/deal';
import { prospectIdSchema } from '../ids/ids';

/** Someone an out-of-office reply names to write to instead (a successor, a deputy). */
export const suggestedContactSchema = z.object({ name: z.string().optional(), email: z.string().optional(), reason: z.string() });
export type SuggestedContact = z.infer<typeof suggestedContactSchema>;

export const bookingStatusSchema = z.enum(['booked', 'cancelled']);

/** A meeting with a prospect on the calendar of the rep who owns the thread. */
export const bookingSchema = z.object({
  bookingId: z.string(),
  prospectId: z.string(),
  status: bookingStatusSchema,
  meetingId: z.string(),
  joinUrl: z.string().optional(),
  /** UTC ISO instants. */
  start: z.string(),
  end: z.string(),
  /** The rep whose calendar holds the meeting, and their zone. */
  rep: z.object({ name: z.string(), mailbox: z.string(), timeZone: z.string() }),
  prospectTimeZone: z.string().optional(),
  bookedAt: z.string(),
  /** The times the meeting had before each reschedule, oldest first. */
  rescheduledFrom: z.array(z.object({ start: z.string(), end: z.string() })).default([]),
  cancelledAt: z.string().optional(),
  cancelReason: z.string().optional(),
});

/** What the Outlook taskpane shows beside one email (`GET /api/v1/insights/by-message`). */
export const messageInsightSchema = z.object({
  /** A reply ASEP triaged (answers from before drafts were described here carry no kind). */
  kind: z.literal('reply').default('reply'),
  internetMessageId: z.string(),
  classification: z.object({
    label: replyLabelSchema,
    confidence: z.number(),
    /** The reliability-table band the confidence falls in: what "about N in 100" is read from. */
    reliability: reliabilityBandSchema.optional(),
  }),
  /** Triage was not sure enough to act: a person confirms the label (or picks another) first. */
  pendingReview: z
    .object({
      approvalId: z.string(),
      suggestedLabel: replyLabelSchema,
      confidence: z.number(),
      topLabels: z.array(z.object({ label: replyLabelSchema, probability: z.number() })),
    })
    .optional(),
  evidence: z.object({
    excerpt: z.string(),
    facts: z.array(z.string()),
    trace: z.array(z.object({ step: z.string(), detail: z.string() })),
  }),
  prospect: z
    .object({
      id: z.string(),
      email: z.string(),
      name: z.string(),
      company: z.string().optional(),
      title: z.string().optional(),
      timeZone: z.string().optional(),
    })
    .nullable(),
  sequence: z
    .object({
      campaignId: z.string(),
      campaignName: z.string(),
      instanceId: z.string(),
      status: z.enum(['running', 'waiting_approval', 'paused', 'completed', 'stopped']),
      step: z.int(),
      totalSteps: z.int(),
      pausedUntil: z.string().optional(),
      nextSendAt: z.string().optional(),
    })
    .nullable(),
  intent: z.object({ type: z.literal('positive_reply'), at: z.string(), confidence: z.number() }).optional(),
  deal: dealSchema.optional(),
  pendingDealApprovalId: z.string().optional(),
  nextAction: z.object({ kind: z.string(), label: z.string(), detail: z.string().optional() }),
  suggestedContact: suggestedContactSchema.optional(),
  ooo: z
    .object({
      returnDate: z.string().optional(),
      referral: z.object({ name: z.string().optional(), email: z.string().optional() }).optional(),
      leftCompany: z.boolean().optional(),
    })
    .optional(),
  bounce: z.object({ kind: z.enum(['hard', 'soft']), status: z.string().optional() }).optional(),
  /** The prospect's booked meeting, if any: the pane shows it instead of offering times. */
  booking: bookingSchema.optional(),
});
export type MessageInsight = z.infer<typeof messageInsightSchema>;

/** Once a meeting is booked, what is left to do is that meeting. */
export function nextActionAfterBooking(booking: Pick<Booking, 'rep'>): MessageInsight['nextAction'] {
  return {
    kind: 'attend_meeting',
    label: 'Prepare for the booked meeting',
    detail: `On ${booking.rep.name}'s calendar; reschedule or cancel it here if plans change.`,
  };
}

export const availabilitySchema = z.object({
  slots: z.array(z.object({ start: z.string(), end: z.string() })),
  /** The rep's zone, in which the slots lie within the rep's working hours. */
  timeZone: z.string(),
  prospectTimeZone: z.string().optional(),
  durationMinutes: z.int().optional(),
  /** Whose calendar the slots are free on: the rep who owns the thread. */
  rep: z.object({ name: z.string(), mailbox: z.string(), timeZone: z.string() }).optional(),
});
export type Availability = z.infer<typeof availabilitySchema>;

export const bookingRequestSchema = z.strictObject({
  prospectId: prospectIdSchema,
  start: z.iso.datetime({ offset: true }),
  end: z.iso.datetime({ offset: true }),
});
export type BookingRequest = z.infer<typeof bookingRequestSchema>;

export const slotChangeSchema = z.strictObject({ start: z.iso.datetime({ offset: true }), end: z.iso.datetime({ offset: true }) });
export const bookingCancelSchema = z.strictObject({ reason: z.string().trim().max(500).optional() });
export type Booking = z.infer<typeof bookingSchema>;

/** What the taskpane shows beside an email ASEP drafted (`GET /api/v1/insights/draft-evidence`): each sentence with its facts. */
export const draftEvidenceSchema = z.object({
  internetMessageId: z.string(),
  status: z.enum(['claimed', 'drafted', 'sent']),
  subject: z.string(),
  to: z.string(),
  author: draftAuthorSchema,
  sentences: z.array(draftSentenceSchema),
  facts: z.array(evidenceFactSchema),
});
export type DraftEvidence = z.infer<typeof draftEvidenceSchema>;

/**
 * What the taskpane shows beside an email ASEP drafted (a draft in the rep's Drafts folder, or a sent touch), in
 * the same answer as a reply's insight (`GET /api/v1/insights/by-message`): each sentence with its facts, who
 * wrote it, and where the prospect's sequence stands.
 */
export const draftInsightSchema = draftEvidenceSchema.extend({
  kind: z.literal('draft'),
  prospect: messageInsightSchema.shape.prospect,
  sequence: messageInsightSchema.shape.sequence,
  nextAction: messageInsightSchema.shape.nextAction,
});
export type DraftInsight = z.infer<typeof draftInsightSchema>;

/** One answer of `GET /api/v1/insights/by-message`: a triaged reply or a drafted email. */
export const paneInsightSchema = z.union([draftInsightSchema, messageInsightSchema]);
export type PaneInsight = z.infer<typeof paneInsightSchema>;

/** What a rep does next with an email ASEP drafted, by where it stands. */
export function nextActionForDraft(status: DraftEvidence['status']): MessageInsight['nextAction'] {
  switch (status) {
    case 'drafted':
      return {
        kind: 'send_draft',
        label: 'Review and send this draft',
        detail: 'ASEP saved it in your Drafts folder; the sequence waits until you send it.',
      };
    case 'claimed':
      return { kind: 'sending', label: 'Being sent', detail: 'ASEP is sending it now.' };
    case 'sent':
      return { kind: 'await_reply', label: 'Wait for the reply', detail: 'Sent; the reply shows up here with what ASEP made of it.' };
  }
}
