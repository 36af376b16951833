import * as df from 'durable-functions';
import type { OrchestrationContext, OrchestrationHandler, Task } from 'durable-functions';
import { sha256 } from '@asep/shared/audit/chain';
import { addBusinessDays } from '@asep/shared/sequence/business-days';
import { holidayCountry } from '@asep/shared/scheduling/holidays';
import { headerSafe } from '@asep/shared/mail/header-safe';
import { renderTemplate } from '@asep/shared/sequence/render';
import type { DraftAuthor, DraftSentence } from '@asep/shared/approvals/approval';
import { researchSlot } from '@asep/shared/drafting/draft';
import type { Research } from '@asep/shared/research/fact';
import { withSignature } from '@asep/shared/reps/rep';
import { displayName, type Prospect } from '@asep/shared/prospects/prospect';
import type { EvidenceFact, RecipientProfile, SendEmailAction } from '@asep/shared/policy/action';
import { throttleFor } from '@asep/shared/policy/caps';
import { evaluatePolicy } from '@asep/shared/policy/evaluate';
import { isHeldByKillSwitch, sendApprovalKind, type PolicyDecision, type PolicyReason, type PolicyThrottle } from '@asep/shared/policy/decision';
import { hashedPartition, tenantPartition } from '@asep/shared/tenancy/partitioning';
import { haltingSwitches, isHalted, type KillSwitchState } from '@asep/shared/killswitch/killswitch';
import { getServices, type Services } from '../composition/services';
import { claimSendSlots, readSendState, type SendCounters } from '../sending/send-context';
import { approvalEventName, createApproval, expireApproval, findApproval, recordApprovedDelivery } from '../approvals/approvals';
import { withdrawApprovals } from '../campaigns/campaigns';
import {
  sequenceCompleted,
  sequenceOrchestration,
  sequencePauseEvent,
  sequenceReleaseEvent,
  sequenceRetryEvent,
  type SequenceInput,
  type SequencePause,
  type SequenceRetry,
  type SequenceStatus,
} from './contracts/sequence';
import { ConflictError } from '../store/documents';
import type { CampaignRecord } from '../campaigns/records';
import type { ProspectRecord } from '../prospects/records';
import type { PolicyContext } from '@asep/shared/policy/context';
import { touchIdFor } from './instance-ids';
import { senderFor } from '../campaigns/assignment';
import { repFor } from '../reps/reps';
import type { MessageRecord } from '../mail/message';
import { indexTouch } from '../mail/message-index';
import { sendDraftOnce } from '../mail/send-once';
import { unsubscribeLink, withUnsubscribeFooter } from '../unsubscribe/links';
import { createEmailDrafter } from '../drafting/draft-email';
import { researchProspect } from '../research/research';

interface EmailToSend {
  mailbox: string;
  to: string;
  subject: string;
  body: string;
  isFirstTouch: boolean;
  stepApproval: 'every' | 'once' | 'none';
  /** Optional only for steps prepared by an earlier version that still wait in a running orchestration. */
  recipient?: RecipientProfile;
  /** What the email rests on: shown to the approver, and what backs its claims. */
  evidence?: EvidenceFact[];
  /** A researched draft: each sentence with the facts it cites, who wrote it, and the tenant's own wording it started from. */
  draft?: { sentences: DraftSentence[]; author: DraftAuthor; authoredText: string };
  /** Saved to the rep's Drafts folder for the rep to send, instead of sent. */
  draftOnly?: boolean;
}

/** The email as the policy engine sees it. */
function sendAction(campaignId: string, email: EmailToSend, approved: boolean): SendEmailAction {
  const { mailbox, to, subject, body, isFirstTouch, stepApproval, recipient = {}, evidence = [], draft } = email;
  return {
    type: 'send_email',
    campaignId,
    mailbox,
    to,
    subject,
    body,
    isFirstTouch,
    stepApproval,
    approved,
    recipient,
    evidence,
    ...(draft ? { draft: { sentences: draft.sentences, authoredText: draft.authoredText } } : {}),
  };
}

/** What comes after an email step, so the orchestration need not run again only to learn it. */
type Following = { kind: 'end' } | { kind: 'next' } | { kind: 'wait'; days: number; timeZone: string; country?: string };

type PreparedStep =
  | { kind: 'end'; reason: string }
  | { kind: 'wait'; until: string }
  | { kind: 'goto'; stepIndex: number }
  | {
      kind: 'email';
      email: EmailToSend;
      decision: PolicyDecision;
      /** Missing only for steps prepared by an earlier version: the next execution finds out. */
      following?: Following;
      /** The email needed nobody's approval and the same activity tried to send it. */
      sent?: SendOutcome;
    };

export interface SendOutcome {
  sent: boolean;
  /** Saved to the rep's Drafts folder (draft-only): the sequence waits until it shows in Sent Items. */
  drafted?: boolean;
  /** A kill switch is on over this send: it waits for the switch to be turned off, then is asked again. */
  held?: boolean;
  internetMessageId?: string;
  reasons?: string[];
  /** A sending window or a full cap put the send off until then: ask again at that time. */
  deferredUntil?: string;
}

export interface ApprovalDecisionEvent {
  approved: boolean;
  /** Approved while a kill switch was on: the approver was told the email waits for it. */
  heldByKillSwitch?: boolean;
  by: { id: string; name?: string };
  reason?: string;
  /** The approver's edit, checked by the policy already: sent instead of the draft. */
  edited?: { subject: string; body: string; sentences: DraftSentence[] };
  /** The approver asked for a new draft instead of deciding this one. */
  regenerate?: boolean;
}

/** How often Sent Items is looked at for a draft the rep is to send, and how long the sequence waits for it. */
const draftCheckIntervalMs = 3_600_000;
const draftWaitMs = 14 * 86_400_000;

/** How often a held sequence looks at the kill switch by itself, should the event that it was turned off not arrive. */
const killSwitchRecheckMs = 6 * 3_600_000;

const sendRetry = new df.RetryOptions(2_000, 4);
sendRetry.backoffCoefficient = 2;
sendRetry.maxRetryIntervalInMilliseconds = 60_000;

/** The later of two instants (ISO strings, either may be missing). */
function later(a: string | undefined, b: string | undefined): string | undefined {
  if (!a || !b) return a ?? b;
  return Date.parse(a) >= Date.parse(b) ? a : b;
}

/**
 * Out-of-office pauses and soft-bounce retries reach a running sequence as external events. The orchestrator
 * listens for them from its first wait on and races them against every later wait, so one that arrives while
 * an activity runs is taken in too; a pause holds every send until it ends, a retry of the sequence's latest
 * email cuts the current wait short.
 */
class Interruptions {
  pausedUntil: string | undefined;
  /** The email a retry must name to be taken: the sequence's latest. */
  latestTouch: string | undefined;
  private pause: Task;
  private retry: Task;
  private released: Task | undefined;
  private heldByKillSwitch = false;
  /** The approval this execution waits for, shown in the durable status. */
  private approvalId: string | null = null;

  constructor(
    private readonly context: OrchestrationContext,
    input: SequenceInput,
  ) {
    this.latestTouch = input.previousTouch?.internetMessageId;
    this.pause = context.df.waitForExternalEvent(sequencePauseEvent);
    this.retry = context.df.waitForExternalEvent(sequenceRetryEvent);
    this.holdUntil(input.pausedUntil);
    this.showStatus();
  }

  /** Waits for `task` unless a pause or a retry comes first: then answers the retry, or that it was interrupted. */
  *race(task: Task): Generator<Task, 'done' | 'interrupted' | SequenceRetry, unknown> {
    yield this.context.df.Task.any([task, this.pause, this.retry]);
    if (!task.isCompleted && !task.isFaulted) return this.settle() ?? 'interrupted';
    // Finished: yielding it again answers its result at once, or throws its failure as a plain wait would.
    yield task;
    return 'done';
  }

  /** Whether sends are on hold at this point of the orchestration's time. */
  get paused(): boolean {
    return this.pausedUntil !== undefined && Date.parse(this.pausedUntil) > this.context.df.currentUtcDateTime.getTime();
  }

  /**
   * Sleeps until `until` and past the end of any pause, pauses arriving meanwhile included. Answers the retry
   * that cut it short, if one did.
   */
  *sleepUntil(until?: string): Generator<Task, SequenceRetry | undefined, unknown> {
    for (;;) {
      const retry = this.settle();
      if (retry) return retry;
      const wakeAt = later(until, this.pausedUntil);
      if (!wakeAt || Date.parse(wakeAt) <= this.context.df.currentUtcDateTime.getTime()) return undefined;
      // Waits longer than the host's six-day timer limit are split into shorter timers by the SDK.
      const timer = this.context.df.createTimer(new Date(wakeAt));
      const winner = yield this.context.df.Task.any([timer, this.pause, this.retry]);
      if (winner !== timer) timer.cancel();
    }
  }

  /** Waits for the approver or the approval's expiry; answers the retry that cut the wait short, if one did. */
  *awaitApproval(approval: { approvalId: string; expiresAt: string }): Generator<Task, ApprovalDecisionEvent | 'expired' | SequenceRetry, unknown> {
    const decided = this.context.df.waitForExternalEvent(approvalEventName(approval.approvalId));
    this.approvalId = approval.approvalId;
    this.showStatus();
    try {
      for (;;) {
        const expiry = this.context.df.createTimer(new Date(approval.expiresAt));
        const winner = yield this.context.df.Task.any([decided, expiry, this.pause, this.retry]);
        if (winner === expiry) return 'expired';
        expiry.cancel();
        if (winner === decided) return decided.result as ApprovalDecisionEvent;
        const retry = this.settle();
        if (retry) return retry;
      }
    } finally {
      this.approvalId = null;
      this.showStatus();
    }
  }

  /**
   * Waits while a kill switch is on over the sequence. Turning the switch off wakes it (an event); it also looks
   * again every few hours in case that event went astray. Pauses arriving meanwhile are taken in; answers the
   * retry that came instead, if one did.
   */
  *holdWhileHalted(stillHalted: () => Task): Generator<Task, SequenceRetry | undefined, unknown> {
    this.heldByKillSwitch = true;
    this.showStatus();
    for (;;) {
      const released = (this.released ??= this.context.df.waitForExternalEvent(sequenceReleaseEvent));
      const recheck = this.context.df.createTimer(new Date(this.context.df.currentUtcDateTime.getTime() + killSwitchRecheckMs));
      const winner = yield this.context.df.Task.any([released, recheck, this.pause, this.retry]);
      if (winner !== recheck) recheck.cancel();
      const retry = this.settle();
      if (retry) return retry;
      // A pause only moves `pausedUntil`: the switch is as it was.
      if (winner !== released && winner !== recheck) continue;
      if (winner === released) this.released = undefined;
      if ((yield stillHalted()) === true) continue;
      this.heldByKillSwitch = false;
      this.showStatus();
      return undefined;
    }
  }

  /** Takes in what arrived since the last look: a pause moves `pausedUntil` later; a retry of the latest email is answered. */
  settle(): SequenceRetry | undefined {
    if (this.pause.isCompleted) {
      this.holdUntil((this.pause.result as SequencePause).until);
      this.pause = this.context.df.waitForExternalEvent(sequencePauseEvent);
    }
    if (!this.retry.isCompleted) return undefined;
    const retry = this.retry.result as SequenceRetry;
    this.retry = this.context.df.waitForExternalEvent(sequenceRetryEvent);
    // An email sent since the bounced one has tried the address anew: the bounced one is not sent again.
    return retry.internetMessageId === this.latestTouch ? retry : undefined;
  }

  private holdUntil(until: string | undefined): void {
    this.pausedUntil = later(this.pausedUntil, until);
    this.showStatus();
  }

  /** The taskpane shows a pause and a hold: the durable status carries them. */
  /**
   * The taskpane shows a pause and a hold, and stopping the sequence withdraws the approval it waits for: the
   * durable status carries all three.
   */
  private showStatus(): void {
    const status: SequenceStatus = {
      ...(this.pausedUntil ? { pausedUntil: this.pausedUntil } : {}),
      ...(this.heldByKillSwitch ? { heldByKillSwitch: true } : {}),
      approvalId: this.approvalId,
    };
    this.context.df.setCustomStatus(status);
  }
}

const sequenceOrchestrator: OrchestrationHandler = function* (context: OrchestrationContext) {
  let input = context.df.getInput<SequenceInput>();
  const instanceId = context.df.instanceId;
  const interruptions = new Interruptions(context, input);
  if (input.research && input.facts === undefined) {
    // Once per sequence: the facts are stored with the research record and travel with the input from here on.
    const research: Research = yield researchStep({ ...input, instanceId });
    input = { ...input, facts: research.facts };
  }
  const runAgain = (changes: Partial<SequenceInput> = {}): undefined => {
    context.df.continueAsNew({ ...input, iteration: input.iteration + 1, pausedUntil: interruptions.pausedUntil, ...changes });
    return undefined;
  };
  // The bounced step again, not before the retry is due; it was approved already.
  const sendAgain = (retry: SequenceRetry) =>
    runAgain({
      stepIndex: retry.stepIndex,
      previousTouch: retry.previousTouch,
      retryOf: retry.internetMessageId,
      pausedUntil: later(interruptions.pausedUntil, retry.notBefore),
    });
  const advance = (changes: Partial<SequenceInput>) => {
    const retry = interruptions.settle();
    return retry ? sendAgain(retry) : runAgain({ retryOf: undefined, ...changes });
  };

  // Not raced against pauses and retries: the activity may send, and a send is never run twice.
  const step: PreparedStep = yield prepareStep({ ...input, instanceId, mayBeSentNow: !interruptions.paused });
  if (step.kind === 'email' && step.sent?.sent) interruptions.latestTouch = step.sent.internetMessageId;
  const arrived = interruptions.settle();
  if (arrived) return sendAgain(arrived);

  switch (step.kind) {
    case 'end':
      return step.reason;
    case 'goto':
      return advance({ stepIndex: step.stepIndex });
    case 'wait': {
      const retry = yield* interruptions.sleepUntil(step.until);
      return retry ? sendAgain(retry) : advance({ stepIndex: input.stepIndex + 1 });
    }
    case 'email': {
      const stillHalted = () => killSwitchCheck({ tenantId: input.tenantId, campaignId: input.campaignId });
      // Nothing is prepared or put to an approver under a kill switch: once it is off, the step is prepared afresh.
      if (isHeldByKillSwitch(step.decision)) {
        const retry = yield* interruptions.holdWhileHalted(stillHalted);
        return retry ? sendAgain(retry) : runAgain();
      }
      // A deferral (sending window, full cap) is not a refusal: it is asked for approval now and waits at send.
      if (!step.decision.allow && !step.decision.throttle) return `blocked: ${step.decision.reasons.map((r) => r.message).join(' ')}`;
      // Nobody is asked to approve an email to someone away: it is prepared afresh once they are back.
      if (!step.sent && interruptions.paused) {
        const retry = yield* interruptions.sleepUntil();
        return retry ? sendAgain(retry) : runAgain();
      }
      let approvalId: string | undefined;
      let email = step.email;
      // Whether the approver was told the email is held: they are told again when it finally leaves.
      let held = false;
      if (!step.sent && step.decision.approvalRequired) {
        const approval: { approvalId: string; expiresAt: string } = yield requestApproval({
          ...input,
          instanceId,
          email: step.email,
          decision: step.decision,
        });
        approvalId = approval.approvalId;
        const answer = yield* interruptions.awaitApproval(approval);
        if (answer === 'expired') {
          yield expireApprovalActivity({ tenantId: input.tenantId, approvalId: approval.approvalId, correlationId: input.correlationId });
          return 'approval expired';
        }
        if ('internetMessageId' in answer) {
          yield withdrawApprovalActivity({
            tenantId: input.tenantId,
            approvalId: approval.approvalId,
            reason: 'the previous email bounced and is sent again first',
          });
          return sendAgain(answer);
        }
        if (answer.regenerate) return runAgain({ draftAttempt: (input.draftAttempt ?? 0) + 1 });
        if (!answer.approved) return `rejected: ${answer.reason ?? 'no reason given'}`;
        if (answer.edited) email = editedEmail(email, answer.edited);
        held = answer.heldByKillSwitch === true;
      }
      // A pause that began while the approval was pending holds the approved email.
      let retry = step.sent ? undefined : yield* interruptions.sleepUntil();
      if (retry) return sendAgain(retry);
      const send = () => context.df.callActivityWithRetry(sendEmailName, sendRetry, { ...input, instanceId, email, approvalId, held });
      let outcome: SendOutcome = step.sent ?? (yield send());
      while (outcome.deferredUntil || outcome.held) {
        if (outcome.held) {
          held = true;
          retry = (yield* interruptions.holdWhileHalted(stillHalted)) ?? (yield* interruptions.sleepUntil());
        } else retry = yield* interruptions.sleepUntil(outcome.deferredUntil);
        if (retry) return sendAgain(retry);
        outcome = yield send();
      }
      // Draft-only: the rep sends it from Outlook; the sequence moves on once it shows in Sent Items.
      const giveUpAt = context.df.currentUtcDateTime.getTime() + draftWaitMs;
      while (outcome.drafted) {
        retry = yield* interruptions.sleepUntil(new Date(context.df.currentUtcDateTime.getTime() + draftCheckIntervalMs).toISOString());
        if (retry) return sendAgain(retry);
        outcome = yield checkDraftSent({ ...input, instanceId, email, approvalId, internetMessageId: outcome.internetMessageId! });
        if (outcome.drafted && context.df.currentUtcDateTime.getTime() >= giveUpAt) return 'draft not sent by the rep within 14 days';
      }
      if (!outcome.sent) return `not sent: ${(outcome.reasons ?? []).join(' ')}`;
      interruptions.latestTouch = outcome.internetMessageId;
      const references = [...(input.previousTouch?.references ?? []), outcome.internetMessageId!];
      const previousTouch = { internetMessageId: outcome.internetMessageId!, references };
      switch (step.following?.kind) {
        case 'end':
          // The last step: the instance ends here rather than running again only to find no step left.
          retry = interruptions.settle();
          return retry ? sendAgain(retry) : sequenceCompleted;
        case 'wait': {
          const { days, timeZone, country } = step.following;
          retry = yield* interruptions.sleepUntil(addBusinessDays(context.df.currentUtcDateTime, days, timeZone, country).toISOString());
          return retry ? sendAgain(retry) : advance({ stepIndex: input.stepIndex + 2, previousTouch });
        }
        default:
          return advance({ stepIndex: input.stepIndex + 1, previousTouch });
      }
    }
  }
};
df.app.orchestration(sequenceOrchestration.name, sequenceOrchestrator);

type StepInput = SequenceInput & { instanceId: string };

/** The approver's edit in place of the draft: sentences they kept keep their citations, the rest are theirs. */
function editedEmail(email: EmailToSend, edited: NonNullable<ApprovalDecisionEvent['edited']>): EmailToSend {
  return {
    ...email,
    subject: headerSafe(edited.subject),
    body: edited.body,
    ...(email.draft ? { draft: { ...email.draft, sentences: edited.sentences, author: { kind: 'approver' } } } : {}),
  };
}

/** Gathers the facts a researched campaign's drafts cite, once per sequence. */
const researchStep = df.app.activity('sequenceResearch', {
  handler: async (input: StepInput): Promise<Research> => {
    const services = await getServices();
    const { campaign, prospect } = await loadCampaignAndProspect(services, input);
    if (!campaign || !prospect) return { facts: [], gaps: [] };
    const research = await researchProspect(services, { tenantId: input.tenantId, campaign, prospect, instanceId: input.instanceId });
    await services.audit.append(input.tenantId, {
      actor: { type: 'system', id: 'research' },
      type: 'research.gathered',
      correlationId: input.correlationId,
      idempotencyKey: `${input.instanceId}:research`,
      payload: {
        campaignId: input.campaignId,
        prospectId: input.prospectId,
        facts: research.facts.map((fact) => ({ id: fact.id, source: fact.source, hash: fact.hash })),
        gaps: research.gaps,
      },
    });
    return research;
  },
});

/** What a step after an email step means for the orchestration once the email is sent. */
function followingOf(campaign: CampaignRecord, stepIndex: number, prospect: Prospect): Following {
  const next = campaign.sequence.steps[stepIndex + 1];
  if (!next) return { kind: 'end' };
  if (next.type !== 'wait') return { kind: 'next' };
  const country = holidayCountry(prospect);
  return { kind: 'wait', days: next.days, timeZone: prospect.timeZone ?? 'UTC', ...(country ? { country } : {}) };
}

/** What an email step was decided on, so sending it in the same activity reads nothing twice. */
interface Decided {
  context: PolicyContext;
  counters?: SendCounters;
  prospect: ProspectRecord;
  /** The decision as the audit log keeps it. */
  decision: Record<string, unknown>;
}

/** What the import told us about the prospect, as evidence an approver can weigh. */
function prospectFacts(prospect: Prospect): EvidenceFact[] {
  return [
    ...(prospect.title ? [{ fact: `${displayName(prospect)} is ${prospect.title}`, source: 'prospect import' }] : []),
    ...(prospect.company ? [{ fact: `Works at ${prospect.company} (${prospect.domain})`, source: 'prospect import' }] : []),
  ];
}

async function loadCampaignAndProspect(services: Services, input: SequenceInput) {
  const [campaign, prospect] = await Promise.all([
    services.store.forTenant(input.tenantId).campaigns.read(input.campaignId),
    services.store.forTenant(input.tenantId).prospects.read(input.prospectId),
  ]);
  return { campaign, prospect };
}

/** Reads the step, renders it for the prospect and asks the policy engine; audits the decision. */
const prepareStep = df.app.activity('sequencePrepareStep', {
  handler: async (input: StepInput & { mayBeSentNow?: boolean }): Promise<PreparedStep> => {
    const services = await getServices();
    const { campaign, prospect } = await loadCampaignAndProspect(services, input);
    if (!campaign || !prospect) return { kind: 'end', reason: 'campaign or prospect no longer exists' };
    if (campaign.status !== 'running') return { kind: 'end', reason: `campaign is ${campaign.status}` };
    const step = campaign.sequence.steps[input.stepIndex];
    if (!step) return { kind: 'end', reason: sequenceCompleted };
    if (['replied', 'unsubscribed', 'bounced', 'suppressed'].includes(prospect.status)) return { kind: 'end', reason: `prospect ${prospect.status}` };

    if (step.type === 'wait') {
      const until = addBusinessDays(services.clock.now(), step.days, prospect.timeZone ?? 'UTC', holidayCountry(prospect));
      return { kind: 'wait', until: until.toISOString() };
    }
    if (step.type === 'branch') {
      const condition = step.if === 'replied' ? prospect.status === 'replied' : step.if === 'no_reply' ? prospect.status !== 'replied' : false;
      return { kind: 'goto', stepIndex: condition ? step.then : step.else };
    }

    const { doNotContact, ...fields } = prospect;
    const researched = campaign.drafting?.mode === 'researched';
    const variables = {
      ...fields,
      company: prospect.company,
      firstName: prospect.firstName ?? displayName(prospect).split(' ')[0],
      // The slot stays for the drafter to fill.
      ...(researched ? { research: researchSlot } : {}),
    };
    const subject = renderTemplate(step.subject, variables);
    const body = renderTemplate(step.body, variables);
    const missing = [...new Set([...subject.missing, ...body.missing])];
    const sender = await repFor(services, input.tenantId, senderFor(campaign, prospect.id));
    const { context, counters } = await readSendState(services, input.tenantId, { mailbox: sender.mailbox, to: prospect.email, campaign });
    let written = { subject: subject.text, body: body.text, draft: undefined as EmailToSend['draft'] };
    if (researched) {
      const draft = await createEmailDrafter(services.models).draft(input.tenantId, {
        prospect: { firstName: variables.firstName, lastName: prospect.lastName, title: prospect.title, company: prospect.company },
        campaign: { name: campaign.name, offer: campaign.offer, persona: campaign.persona, constraints: campaign.constraints },
        template: { subject: subject.text, body: body.text },
        facts: input.facts ?? [],
        attempt: input.draftAttempt ?? 0,
        redactProspect: context.policy.rules.evidence.redactProspectInPrompts,
        correlationId: input.correlationId,
      });
      // The tenant's own words (template, offer, the rep's signature): their figures are the tenant's to vouch for.
      const authoredText = [step.subject, step.body, campaign.offer ?? '', withSignature('', sender)].join('\n');
      written = { subject: draft.subject, body: draft.body, draft: { sentences: draft.sentences, author: draft.author, authoredText } };
    }
    const email: EmailToSend = {
      mailbox: sender.mailbox,
      to: prospect.email,
      // A subject is a header: nothing rendered into it (a prospect's field, a model's words) may break its line.
      subject: headerSafe(input.previousTouch && !/^re:/i.test(written.subject) ? `Re: ${written.subject}` : written.subject),
      body: withSignature(written.body, sender),
      isFirstTouch: !input.previousTouch,
      stepApproval: step.approval,
      recipient: { timeZone: prospect.timeZone, region: prospect.region, vertical: prospect.vertical, doNotContact },
      evidence: researched ? [...(input.facts ?? []), ...(campaign.facts ?? [])] : [...prospectFacts(prospect), ...(campaign.facts ?? [])],
      ...(written.draft ? { draft: written.draft } : {}),
      ...(campaign.drafting?.draftOnly || context.policy.rules.approvals.draftOnly ? { draftOnly: true } : {}),
    };
    const approvedOnce = step.approval === 'once' && (campaign.approvedSteps ?? []).includes(input.stepIndex) && !email.isFirstTouch;
    const action = sendAction(input.campaignId, email, approvedOnce || input.retryOf !== undefined);
    const evaluated = evaluatePolicy(action, context);
    const decision: PolicyDecision =
      missing.length > 0
        ? {
            ...evaluated,
            allow: false,
            approvalRequired: false,
            throttle: undefined,
            reasons: [
              ...evaluated.reasons,
              { rule: 'template.variables', outcome: 'block', message: `No value for ${missing.join(', ')} for this prospect.` },
            ],
          }
        : evaluated;
    const decided = {
      allow: decision.allow,
      approvalRequired: decision.approvalRequired,
      throttle: decision.throttle ?? null,
      requireCanary: decision.requireCanary,
      rules: decision.reasons.map((reason) => `${reason.rule}:${reason.outcome}`),
      policyVersion: decision.policyVersion,
      ...(email.draft
        ? { draft: { author: email.draft.author, cited: [...new Set(email.draft.sentences.flatMap((sentence) => sentence.factIds))] } }
        : {}),
      inputsHash: sha256(JSON.stringify({ action, context: { ...context, policy: undefined, policyVersion: context.policy.version } })),
    };
    const following = followingOf(campaign, input.stepIndex, prospect);
    // One activity per decision: an email nobody needs to approve is sent at once, on what was just read, and
    // its one audit event (sent, held, deferred or blocked) carries the decision.
    if (input.mayBeSentNow && decision.allow && !decision.approvalRequired && !decision.throttle && !isHeldByKillSwitch(decision)) {
      const sent = await send(services, { ...input, email }, { context, ...(counters ? { counters } : {}), prospect, decision: decided });
      return { kind: 'email', email, decision, following, sent };
    }
    await services.audit.append(input.tenantId, {
      actor: { type: 'system', id: 'policy-engine' },
      type: 'policy.decided',
      correlationId: input.correlationId,
      idempotencyKey: `${input.instanceId}:${input.iteration}:policy`,
      payload: { campaignId: input.campaignId, prospectId: input.prospectId, step: input.stepIndex, ...decided },
    });
    return { kind: 'email', email, decision, following };
  },
});

const requestApproval = df.app.activity('sequenceRequestApproval', {
  handler: async (input: StepInput & { email: EmailToSend; decision: PolicyDecision }) => {
    const services = await getServices();
    const { campaign, prospect } = await loadCampaignAndProspect(services, input);
    const approval = await createApproval(services, {
      key: `${input.instanceId}:${input.iteration}`,
      tenantId: input.tenantId,
      kind: sendApprovalKind(input.decision, input.email.isFirstTouch),
      campaignId: input.campaignId,
      campaignName: campaign?.name,
      prospectId: input.prospectId,
      prospectName: prospect ? displayName(prospect) : undefined,
      company: prospect?.company,
      from: input.email.mailbox,
      to: input.email.to,
      subject: input.email.subject,
      body: withUnsubscribeFooter(input.email.body),
      evidence: {
        facts: input.email.evidence ?? [],
        ...(input.email.draft ? { sentences: input.email.draft.sentences, author: input.email.draft.author } : {}),
      },
      ...(input.email.draft
        ? { draftBasis: { mailbox: input.email.mailbox, isFirstTouch: input.email.isFirstTouch, authoredText: input.email.draft.authoredText } }
        : {}),
      decision: input.decision,
      instanceId: input.instanceId,
      stepIndex: input.stepIndex,
      stepApproval: input.email.stepApproval,
      correlationId: input.correlationId,
    });
    return { approvalId: approval.id, expiresAt: approval.expiresAt };
  },
});

/** Whether a kill switch is still on over the campaign's sends. */
const killSwitchCheck = df.app.activity('sequenceKillSwitchCheck', {
  handler: async (input: { tenantId: string; campaignId: string }): Promise<boolean> => {
    const services = await getServices();
    const state = await services.store.forTenant(input.tenantId).killSwitches.read('killswitch');
    return state !== undefined && isHalted(state, input.campaignId);
  },
});

const expireApprovalActivity = df.app.activity('sequenceExpireApproval', {
  handler: async (input: { tenantId: string; approvalId: string; correlationId: string }) => {
    await expireApproval(await getServices(), input.tenantId, input.approvalId, input.correlationId);
  },
});

const withdrawApprovalActivity = df.app.activity('sequenceWithdrawApproval', {
  handler: async (input: { tenantId: string; approvalId: string; reason: string }) => {
    const services = await getServices();
    await withdrawApprovals(services, [await findApproval(services, input.tenantId, input.approvalId)], input.reason);
  },
});

/**
 * Sends one approved step. Policy, kill switch and suppression are checked again at send time, a
 * first touch claims one of the mailbox's daily slots, and the touch is recorded before the mailbox
 * is asked to send, under an id derived from the instance and step, so a retry never sends twice.
 */
const sendEmailName = 'sequenceSendEmail';
df.app.activity(sendEmailName, {
  handler: async (input: SendInput): Promise<SendOutcome> => send(await getServices(), input),
});

type SendInput = StepInput & { email: EmailToSend; approvalId?: string; held?: boolean };

/** Sends one step's email (see above); `decided` when the caller has just decided it, in the same activity. */
async function send(services: Services, input: SendInput, decided?: Decided): Promise<SendOutcome> {
  const { tenantId, email } = input;
  const touchId = touchIdFor(input.instanceId, input.iteration);
  const touchPk = hashedPartition(tenantId, touchId);
  const decisionFields = decided && { decision: decided.decision };
  const existing = await services.store.messages.read(touchPk, touchId);
  if (existing?.status === 'sent') return { sent: true, internetMessageId: existing.internetMessageId };
  if (existing?.status === 'drafted') return { sent: false, drafted: true, internetMessageId: existing.internetMessageId };

  const blocked = async (reasons: string[], rules: string[]): Promise<SendOutcome> => {
    await services.audit.append(tenantId, {
      actor: { type: 'system', id: 'sender' },
      type: 'email.blocked',
      correlationId: input.correlationId,
      idempotencyKey: `${input.instanceId}:${input.iteration}:blocked`,
      payload: { campaignId: input.campaignId, prospectId: input.prospectId, step: input.stepIndex, rules, reasons, ...decisionFields },
    });
    return { sent: false, reasons };
  };
  /** A kill switch is on: the send waits, audited once for each time a switch was turned on. */
  const heldBy = async (state: KillSwitchState): Promise<SendOutcome> => {
    const since = haltingSwitches(state, input.campaignId).map((setting) => setting.changedAt);
    await services.audit.append(tenantId, {
      actor: { type: 'system', id: 'sender' },
      type: 'email.held',
      correlationId: input.correlationId,
      idempotencyKey: `${input.instanceId}:${input.iteration}:held:${since.join(',')}`,
      payload: { campaignId: input.campaignId, prospectId: input.prospectId, step: input.stepIndex, ...decisionFields },
    });
    if (input.approvalId) await recordApprovedDelivery(services, tenantId, input.approvalId, 'held');
    return { sent: false, held: true, reasons: ['A kill switch is on.'] };
  };
  const deferred = async (throttle: PolicyThrottle, reasons: string[]): Promise<SendOutcome> => {
    await services.audit.append(tenantId, {
      actor: { type: 'system', id: 'sender' },
      type: 'email.deferred',
      correlationId: input.correlationId,
      idempotencyKey: `${input.instanceId}:${input.iteration}:deferred:${throttle.retryAt}`,
      payload: {
        campaignId: input.campaignId,
        prospectId: input.prospectId,
        step: input.stepIndex,
        rule: throttle.rule,
        retryAt: throttle.retryAt,
        reasons,
        ...decisionFields,
      },
    });
    return { sent: false, deferredUntil: throttle.retryAt, reasons };
  };

  if (!existing) {
    // Canary runs are decided at enqueue; everything else again now. The caps are checked by claiming the slots.
    const { context, counters } =
      decided ?? (await readSendState(services, tenantId, { mailbox: email.mailbox, to: email.to }, { readUsage: false }));
    // Just decided in the same activity, or decided again now.
    const decision = decided ? { reasons: [], throttle: undefined, allow: true } : evaluatePolicy(sendAction(input.campaignId, email, true), context);
    const reasonsThat = (outcome: PolicyReason['outcome']) => decision.reasons.filter((reason) => reason.outcome === outcome);
    if (decision.throttle)
      return deferred(
        decision.throttle,
        reasonsThat('defer').map((reason) => reason.message),
      );
    if (!decided && isHeldByKillSwitch(decision as PolicyDecision)) return heldBy(context.killSwitch);
    if (!decision.allow) {
      const blocks = reasonsThat('block');
      return blocked(
        blocks.map((reason) => reason.message),
        blocks.map((reason) => reason.rule),
      );
    }
    const full = await claimSendSlots(
      services,
      tenantId,
      { mailbox: email.mailbox, to: email.to, touchId, isFirstTouch: email.isFirstTouch },
      context.policy.rules.caps,
      counters,
    );
    if (full) return deferred(throttleFor(full), [full.message]);
  }

  let touch = existing;
  if (!touch?.draftId) {
    // Only the email itself carries the link: the records, the audit hash and the CRM keep what the approver saw.
    const link = await unsubscribeLink(services, tenantId, input.prospectId);
    const draft = await services.mail.createDraft({
      tenantId,
      mailbox: email.mailbox,
      to: email.to,
      subject: email.subject,
      body: withUnsubscribeFooter(email.body, link),
      inReplyTo: input.previousTouch?.internetMessageId,
      references: input.previousTouch?.references,
      touchKey: touchId,
    });
    // Recorded with its draft, before anything is sent: a retry finds it and sends that draft, never another.
    const recorded: Omit<MessageRecord, 'docType'> = {
      id: touchId,
      pk: touchPk,
      tenantId,
      direction: 'outbound',
      status: 'claimed',
      internetMessageId: draft.internetMessageId,
      draftId: draft.draftId,
      mailbox: email.mailbox,
      from: email.mailbox,
      to: email.to,
      subject: email.subject,
      body: email.body,
      headers: {},
      inReplyTo: input.previousTouch?.internetMessageId,
      references: input.previousTouch?.references,
      at: services.clock.now().toISOString(),
      conversationId: input.previousTouch?.references[0] ?? touchId,
      campaignId: input.campaignId,
      prospectId: input.prospectId,
      instanceId: input.instanceId,
      step: input.stepIndex,
      approvalId: input.approvalId,
      ...(email.draft ? { evidence: touchEvidence(email) } : {}),
    };
    touch = touch
      ? await services.store.messages.replace({ ...touch, ...recorded })
      : await services.store.messages.create(recorded).catch(async (error: unknown) => {
          // A retry racing the first attempt: the touch it recorded wins, and this draft is never sent.
          if (error instanceof ConflictError) return (await services.store.messages.read(touchPk, touchId))!;
          throw error;
        });
    if (touch.status === 'sent') return { sent: true, internetMessageId: touch.internetMessageId };
    await indexTouch(services, touch);
  }

  // The last look before anything leaves: a kill switch flipped while this send waited in a queue wins.
  const killSwitch = await services.store.killSwitches.readFresh(tenantPartition(tenantId), 'killswitch');
  if (killSwitch && isHalted(killSwitch, input.campaignId)) return heldBy(killSwitch);

  if (email.draftOnly) {
    touch = await services.store.messages.replace({ ...touch, status: 'drafted' });
    await services.audit.append(tenantId, {
      actor: { type: 'system', id: 'sender' },
      type: 'email.drafted',
      correlationId: input.correlationId,
      idempotencyKey: `${input.instanceId}:${input.iteration}:drafted`,
      payload: {
        campaignId: input.campaignId,
        prospectId: input.prospectId,
        step: input.stepIndex,
        mailbox: email.mailbox,
        to: email.to,
        internetMessageId: touch.internetMessageId,
        approvalId: input.approvalId ?? null,
        bodyHash: sha256(email.body),
      },
    });
    return { sent: false, drafted: true, internetMessageId: touch.internetMessageId };
  }

  const { sentAt } = await sendDraftOnce(services.mail, { tenantId, mailbox: email.mailbox, touchKey: touchId, draftId: touch.draftId! });
  return recordSent(services, input, touch, sentAt, { type: 'system', id: 'sender' }, decided);
}

/** Draft-only: whether the rep has sent the saved draft (it is in Sent Items); once they have, it counts as sent. */
const checkDraftSent = df.app.activity('sequenceCheckDraftSent', {
  handler: async (input: StepInput & { email: EmailToSend; approvalId?: string; internetMessageId: string }): Promise<SendOutcome> => {
    const services = await getServices();
    const touchId = touchIdFor(input.instanceId, input.iteration);
    const touch = await services.store.messages.read(hashedPartition(input.tenantId, touchId), touchId);
    if (!touch) return { sent: false, reasons: ['the saved draft has no record'] };
    if (touch.status === 'sent') return { sent: true, internetMessageId: touch.internetMessageId };
    const sentAt = await services.mail.sentAt(input.tenantId, input.email.mailbox, input.internetMessageId);
    if (!sentAt) return { sent: false, drafted: true, internetMessageId: input.internetMessageId };
    return recordSent(services, input, touch, sentAt, { type: 'user', id: input.email.mailbox, name: 'the rep, from Outlook' });
  },
});

/** What the touch keeps of a researched draft: the facts it cites and its sentences, for the taskpane on that email. */
function touchEvidence(email: EmailToSend): MessageRecord['evidence'] {
  const cited = new Set(email.draft!.sentences.flatMap((sentence) => sentence.factIds));
  return {
    facts: (email.evidence ?? []).filter((fact) => fact.id && cited.has(fact.id)),
    sentences: email.draft!.sentences,
    author: email.draft!.author,
  };
}

/** The email left the mailbox: the touch, the audit, the CRM and the prospect say so. */
async function recordSent(
  services: Services,
  input: StepInput & { email: EmailToSend; approvalId?: string; held?: boolean },
  claimed: MessageRecord,
  sentAt: string,
  actor: { type: 'system' | 'user'; id: string; name?: string },
  decided?: Pick<Decided, 'prospect' | 'decision'>,
): Promise<SendOutcome> {
  const { tenantId, email } = input;
  const touchId = claimed.id;
  const touch = await services.store.messages.replace({ ...claimed, status: 'sent', at: sentAt });
  await services.audit.append(tenantId, {
    actor,
    type: 'email.sent',
    correlationId: input.correlationId,
    idempotencyKey: `${input.instanceId}:${input.iteration}:sent`,
    payload: {
      campaignId: input.campaignId,
      prospectId: input.prospectId,
      step: input.stepIndex,
      mailbox: email.mailbox,
      to: email.to,
      internetMessageId: touch.internetMessageId,
      approvalId: input.approvalId ?? null,
      bodyHash: sha256(email.body),
      ...(decided ? { decision: decided.decision } : {}),
    },
  });
  await services.crm.logEngagement(tenantId, {
    engagementId: touchId,
    type: 'email',
    contactEmail: email.to,
    subject: email.subject,
    body: email.body,
    at: sentAt,
  });
  // A prospect emailed for the first time is `contacted`; the record as just read is changed when there is one.
  const contacted = (prospect: ProspectRecord) =>
    prospect.status === 'new' || prospect.status === 'enrolled' ? { ...prospect, status: 'contacted' as const, updatedAt: sentAt } : undefined;
  if (decided) await services.store.prospects.updateFrom(decided.prospect, contacted);
  else await services.store.prospects.update(hashedPartition(tenantId, input.prospectId), input.prospectId, contacted);
  if (input.held && input.approvalId) await recordApprovedDelivery(services, tenantId, input.approvalId, 'sent');
  return { sent: true, internetMessageId: touch.internetMessageId };
}
