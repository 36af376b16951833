import { z } from 'zod';
import { dealStageSchema } from '../deals/deal';
import { isValidTimeZone } from '../scheduling/zonedTime';
import { defaultDealThresholds } from './deal-thresholds';

/**
 * Exchange Online's sending limits for one mailbox. Caps may not exceed them: a campaign that hit them would
 * have Exchange throttle the seller's own mailbox, their manual mail included.
 */
export const exchangeOnlineLimits = { messagesPerMinute: 30, recipientsPerDay: 10_000 } as const;

const lowerCaseWords = z.array(z.string().trim().toLowerCase().min(1));

const clockTime = z.string().regex(/^(?:[01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'use HH:MM on a 24-hour clock, e.g. 08:30');

const shareOfSends = z.number().min(0).max(1);

export const weekdayNames = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

/** A tenant's governance policy. Every outbound action and every deal is decided against it. */
export const policyRulesSchema = z.strictObject({
  approvals: z
    .strictObject({
      firstTouch: z.boolean().default(true),
      /** A first email to a company domain the tenant has never emailed before needs a Manager. */
      newRecipientDomain: z.boolean().default(false),
      /** Emails are saved to the rep's Drafts folder for the rep to send, never sent by ASEP (campaigns may ask too). */
      draftOnly: z.boolean().default(false),
      /** Hours before an unanswered approval expires and its send is abandoned. */
      expiryHours: z
        .number()
        .positive()
        .max(24 * 30)
        .default(72),
    })
    .prefault({}),
  /** Content a Manager must see before it leaves (approval kind `content_risk`). */
  content: z
    .strictObject({
      /** Phrases no email may promise without a human reading it; matched case-insensitively as whole words. */
      prohibitedClaims: z.array(z.string().trim().min(2).max(100)).max(200).default(['guaranteed', 'risk-free', '100% ROI']),
      /** Card numbers (Luhn-checked), IBANs (checksum-checked), US SSNs and passport-like numbers. */
      detectPii: z.boolean().default(true),
      /** Figures, percentages and superlatives need a supporting fact (prospect data or the campaign's facts). */
      claimsNeedEvidence: z.boolean().default(true),
    })
    .prefault({}),
  recipients: z
    .strictObject({
      /** Top-level domains never emailed. */
      blockedTlds: lowerCaseWords.default(['gov']),
      /** Pilot mode: when non-empty, only these recipient domains (and their subdomains) may be emailed. */
      allowedDomains: lowerCaseWords.default([]),
      /** Never emailed, subdomains included. */
      excludedDomains: lowerCaseWords.default([]),
      /** When non-empty, only prospects in these regions may be emailed; a prospect without a region is not. */
      allowedRegions: lowerCaseWords.default([]),
      excludedRegions: lowerCaseWords.default([]),
      /** When non-empty, only prospects in these verticals may be emailed; a prospect without a vertical is not. */
      allowedVerticals: lowerCaseWords.default([]),
      excludedVerticals: lowerCaseWords.default([]),
    })
    .prefault({}),
  /** Per mailbox unless named otherwise. Counted per UTC minute, hour and day; a full cap defers a send, it never drops it. */
  caps: z
    .strictObject({
      sendsPerMailboxPerMinute: z
        .int()
        .min(0)
        .max(
          exchangeOnlineLimits.messagesPerMinute,
          `Exchange Online sends at most ${exchangeOnlineLimits.messagesPerMinute} messages per minute from a mailbox; set ${exchangeOnlineLimits.messagesPerMinute} or less.`,
        )
        .default(20),
      sendsPerMailboxPerHour: z
        .int()
        .min(0)
        .max(
          exchangeOnlineLimits.messagesPerMinute * 60,
          `Exchange Online sends at most ${exchangeOnlineLimits.messagesPerMinute} messages per minute from a mailbox, so at most ${exchangeOnlineLimits.messagesPerMinute * 60} an hour.`,
        )
        .default(300),
      sendsPerMailboxPerDay: z
        .int()
        .min(0)
        .max(
          exchangeOnlineLimits.recipientsPerDay,
          `Exchange Online accepts at most ${exchangeOnlineLimits.recipientsPerDay.toLocaleString('en-US')} recipients a day from a mailbox; set that or less.`,
        )
        .default(500),
      newRecipientsPerMailboxPerDay: z
        .int()
        .min(0)
        .max(
          exchangeOnlineLimits.recipientsPerDay,
          `Exchange Online accepts at most ${exchangeOnlineLimits.recipientsPerDay.toLocaleString('en-US')} recipients a day from a mailbox; set that or less.`,
        )
        .default(40),
      /** Across all of the tenant's mailboxes: one company never receives a flood. */
      sendsPerRecipientDomainPerDay: z.int().min(0).max(exchangeOnlineLimits.recipientsPerDay).default(20),
    })
    .prefault({}),
  /** Business hours in the prospect's own time zone; a send outside them waits for the next opening. */
  sendingWindow: z
    .strictObject({
      enabled: z.boolean().default(true),
      days: z.array(z.enum(weekdayNames)).min(1, 'name at least one day').default(['mon', 'tue', 'wed', 'thu', 'fri']),
      /** The public holidays of the recipient's country (from their region code or time zone) are no business days. */
      skipPublicHolidays: z.boolean().default(true),
      start: clockTime.default('08:00'),
      end: clockTime.default('18:00'),
      /** For prospects whose time zone is unknown. */
      fallbackTimeZone: z.string().refine(isValidTimeZone, 'not an IANA time zone, e.g. Europe/Berlin').default('UTC'),
    })
    .prefault({})
    .refine((window) => window.start < window.end, { message: 'the window must start before it ends', path: ['end'] }),
  canary: z
    .strictObject({
      /** A campaign must be started with a canary cohort before it sends to anyone else. */
      required: z.boolean().default(false),
      /**
       * The highest share of the canary's sends each signal may reach; the canary halts the campaign (its kill
       * switch goes on) as soon as one is exceeded. Checked after every reply to the canary and every unsubscribe.
       */
      thresholds: z
        .strictObject({
          bounceRate: shareOfSends.default(0.05),
          unsubscribeRate: shareOfSends.default(0.02),
          negativeRate: shareOfSends.default(0.1),
        })
        .prefault({}),
    })
    .prefault({}),
  /** Out-of-office replies pause the prospect's sequences until the day after they are back. */
  ooo: z
    .strictObject({
      /** How long a pause lasts when the reply names no return date. */
      defaultPauseBusinessDays: z.int().min(1).max(60).default(5),
    })
    .prefault({}),
  /**
   * How sure reply triage must be before it acts on its own. Below these a person confirms first (a
   * `reply_review` approval); explicit signals (an RFC 3464 report with a 5.x.x status, Auto-Submitted with
   * out-of-office wording, an opt-out by the unsubscribe link) act at once whatever these say.
   */
  replies: z
    .strictObject({
      /** Suppress the address and stop every sequence for an opt-out reply. */
      unsubscribeAt: z.number().min(0).max(1).default(0.9),
      /** Pause the prospect's sequences for an out-of-office reply. */
      oooPauseAt: z.number().min(0).max(1).default(0.8),
      /** Suppress the address of someone who left the company. */
      leftCompanyAt: z.number().min(0).max(1).default(0.9),
      /** Stop the answered sequence for a positive, neutral or objection reply. */
      humanReplyAt: z.number().min(0).max(1).default(0.65),
      /** Bounces act only on delivery-report evidence (report structure, status fields, server wording). */
      bounceNeedsReport: z.literal(true).default(true),
    })
    .prefault({}),
  /** How meetings with prospects are offered and booked. */
  meetings: z
    .strictObject({
      durationMinutes: z.int().min(5).max(480).default(30),
      /** Free time kept before and after every meeting already on the rep's calendar. */
      bufferMinutes: z.int().min(0).max(240).default(10),
      /** How soon from now the first offered meeting may start. */
      minimumNoticeMinutes: z
        .int()
        .min(0)
        .max(14 * 24 * 60)
        .default(120),
    })
    .prefault({}),
  /** How the managers' numbers are worked out. */
  reporting: z
    .strictObject({
      /** Minutes a rep would spend writing one email by hand: each draft a person approved saves that much. */
      minutesSavedPerEmail: z.number().min(0).max(240).default(5),
    })
    .prefault({}),
  evidence: z
    .strictObject({
      /** A send needs at least one fact about why this prospect (title, company, a campaign fact). */
      requiredForSends: z.boolean().default(false),
      /** A deal needs the reply excerpt or facts that justify it. */
      requiredForDeals: z.boolean().default(true),
      /** A drafted sentence that makes a claim (figure, superlative) citing no stored fact, or citing one not on record, needs a Manager. */
      claimsNeedFacts: z.boolean().default(true),
      /** A drafted email citing a fact retrieved longer ago than this needs a Manager: the company may have moved on. */
      maxFactAgeDays: z.int().min(1).max(3650).default(90),
      /** A number in a drafted body that appears in no fact and not in the tenant's own template or offer needs a Manager. */
      numbersNeedFacts: z.boolean().default(true),
      /** Prompts to the model carry the prospect's first name and company only: email address, last name and phone numbers are redacted. */
      redactProspectInPrompts: z.boolean().default(true),
    })
    .prefault({}),
  deals: z
    .strictObject({
      createThreshold: z.number().min(0).max(1).default(defaultDealThresholds.createThreshold),
      askThreshold: z.number().min(0).max(1).default(defaultDealThresholds.askThreshold),
      neverCreateOn: z.array(z.enum(['unsubscribe', 'ooo', 'bounce', 'objection', 'neutral'])).default(['unsubscribe', 'ooo', 'bounce']),
      dedupeWindowDays: z.int().min(0).max(3650).default(90),
      /** What a deal counts for in pipeline and won figures when neither the Manager nor the CRM gave an amount. */
      defaultAmount: z.number().min(0).max(1e12).default(0),
      /** The stage each intent puts a deal in. */
      stages: z
        .strictObject({
          positive_reply: dealStageSchema.default('POSITIVE_REPLY'),
          meeting_booked: dealStageSchema.default('MEETING_BOOKED'),
          qualified: dealStageSchema.default('QUALIFIED'),
          disqualified: dealStageSchema.default('DISQUALIFIED'),
        })
        .prefault({}),
    })
    .prefault({})
    .refine((deals) => deals.askThreshold <= deals.createThreshold, {
      message: 'askThreshold must not be above createThreshold',
      path: ['askThreshold'],
    }),
});
export type PolicyRules = z.infer<typeof policyRulesSchema>;
export type DealIntent = keyof PolicyRules['deals']['stages'];

export const policyDocumentSchema = z.object({
  tenantId: z.string(),
  version: z.int().positive(),
  rules: policyRulesSchema,
  updatedBy: z.string(),
  updatedByName: z.string().optional(),
  updatedAt: z.string(),
});
export type PolicyDocument = z.infer<typeof policyDocumentSchema>;

export const defaultPolicyRules: PolicyRules = policyRulesSchema.parse({});
