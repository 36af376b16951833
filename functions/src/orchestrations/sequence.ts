import * as df from 'durable-functions';
import type { OrchestrationContext, OrchestrationHandler, Task } from 'durable-functions';
import { sha256 } from '@asep/shared/audit/chain';
import { addBusinessDays } from '@asep/shared/sequence/business-days';
import { renderTemplate } from '@asep/shared/sequence/render';
import { displayName, type Prospect } from '@asep/shared/prospects/prospect';
import type { EvidenceFact, RecipientProfile, SendEmailAction } from '@asep/shared/policy/action';
import { throttleFor } from '@asep/shared/policy/caps';
import { evaluatePolicy } from '@asep/shared/policy/evaluate';
import { sendApprovalKind, type PolicyDecision, type PolicyReason, type PolicyThrottle } from '@asep/shared/policy/decision';
import { hashedPartition, tenantPartition } from '@asep/shared/tenancy/partitioning';
import { isHalted } from '@asep/shared/killswitch/killswitch';
import { getServices, type Services } from '../composition/services';
import { claimSendSlots, readSendState, type SendCounters } from '../sending/send-context';
import { approvalEventName, createApproval, expireApproval, findApproval } from '../approvals/approvals';
import {
  sequenceCompleted,
  sequencePauseEvent,
  sequenceRetryEvent,
  withdrawApprovals,
  type SequencePause,
  type SequenceRetry,
  type SequenceStatus,
} from '../campaigns/campaigns';
import { ConflictError } from '../store/documents';
import type { CampaignRecord } from '../campaigns/records';
import type { ProspectRecord } from '../prospects/records';
import type { PolicyContext } from '@asep/shared/policy/context';
import type { MessageRecord } from '../mail/message';
import { indexTouch } from '../mail/message-index';
import { unsubscribeLink, withUnsubscribeFooter } from '../unsubscribe/links';
import { touchIdFor } from './instance-ids';

/** One prospect's way through one campaign's sequence. Each step runs in its own execution (continueAsNew). */
export interface SequenceInput {
  tenantId: string;
  campaignId: string;
  prospectId: string;
  stepIndex: number;
  /** Counts executions of this instance, so each step's records and audit keys are unique even when a branch loops. */
  iteration: number;
  previousTouch?: { internetMessageId: string; references: string[] };
  correlationId: string;
  /** An out-of-office pause (or the delay before a soft-bounce retry): nothing is sent before then. */
  pausedUntil?: string;
  /** This step is sent again because the email with this internet message id soft-bounced; it was approved already. */
  retryOf?: string;
}

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
}

/** The email as the policy engine sees it. */
function sendAction(campaignId: string, email: EmailToSend, approved: boolean): SendEmailAction {
  const { mailbox, to, subject, body, isFirstTouch, stepApproval, recipient = {}, evidence = [] } = email;
  return { type: 'send_email', campaignId, mailbox, to, subject, body, isFirstTouch, stepApproval, approved, recipient, evidence };
}

/** What comes after an email step, so the orchestration need not run again only to learn it. */
type Following = { kind: 'end' } | { kind: 'next' } | { kind: 'wait'; days: number; timeZone: string };

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
  internetMessageId?: string;
  reasons?: string[];
  /** A sending window or a full cap put the send off until then: ask again at that time. */
  deferredUntil?: string;
}

export interface ApprovalDecisionEvent {
  approved: boolean;
  by: { id: string; name?: string };
  reason?: string;
}

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
  /** The approval this execution waits for, shown in the durable status. */
  private approvalId: string | null = null;
  private pause: Task;
  private retry: Task;

  constructor(
    private readonly context: OrchestrationContext,
    input: SequenceInput,
  ) {
    this.latestTouch = input.previousTouch?.internetMessageId;
    this.pause = context.df.waitForExternalEvent(sequencePauseEvent);
    this.retry = context.df.waitForExternalEvent(sequenceRetryEvent);
    this.holdUntil(input.pausedUntil);
    this.publish();
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
    this.publish();
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
      this.publish();
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
    const before = this.pausedUntil;
    this.pausedUntil = later(this.pausedUntil, until);
    if (this.pausedUntil !== before) this.publish();
  }

  /** The taskpane shows the pause, and stopping the sequence withdraws the approval: the durable status carries both. */
  private publish(): void {
    const status: SequenceStatus = { ...(this.pausedUntil ? { pausedUntil: this.pausedUntil } : {}), approvalId: this.approvalId };
    this.context.df.setCustomStatus(status);
  }
}

const sequenceOrchestrator: OrchestrationHandler = function* (context: OrchestrationContext) {
  const input = context.df.getInput<SequenceInput>();
  const instanceId = context.df.instanceId;
  const interruptions = new Interruptions(context, input);
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
      // A deferral (sending window, full cap) is not a refusal: it is asked for approval now and waits at send.
      if (!step.decision.allow && !step.decision.throttle) return `blocked: ${step.decision.reasons.map((r) => r.message).join(' ')}`;
      let outcome = step.sent;
      let approvalId: string | undefined;
      if (!outcome) {
        // Nobody is asked to approve an email to someone away: it is prepared afresh once they are back.
        if (interruptions.paused) {
          const retry = yield* interruptions.sleepUntil();
          return retry ? sendAgain(retry) : runAgain();
        }
        if (step.decision.approvalRequired) {
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
          if (!answer.approved) return `rejected: ${answer.reason ?? 'no reason given'}`;
        }
        // A pause that began while the approval was pending holds the approved email.
        const retry = yield* interruptions.sleepUntil();
        if (retry) return sendAgain(retry);
        outcome = yield context.df.callActivityWithRetry(sendEmailName, sendRetry, { ...input, instanceId, email: step.email, approvalId });
      }
      while (outcome!.deferredUntil) {
        const retry = yield* interruptions.sleepUntil(outcome!.deferredUntil);
        if (retry) return sendAgain(retry);
        outcome = yield context.df.callActivityWithRetry(sendEmailName, sendRetry, { ...input, instanceId, email: step.email, approvalId });
      }
      if (!outcome!.sent) return `not sent: ${(outcome!.reasons ?? []).join(' ')}`;
      interruptions.latestTouch = outcome!.internetMessageId;
      const references = [...(input.previousTouch?.references ?? []), outcome!.internetMessageId!];
      const previousTouch = { internetMessageId: outcome!.internetMessageId!, references };
      switch (step.following?.kind) {
        case 'end': {
          // The last step: the instance ends here rather than running again only to find no step left.
          const retry = interruptions.settle();
          return retry ? sendAgain(retry) : sequenceCompleted;
        }
        case 'wait': {
          const until = addBusinessDays(context.df.currentUtcDateTime, step.following.days, step.following.timeZone).toISOString();
          const retry = yield* interruptions.sleepUntil(until);
          return retry ? sendAgain(retry) : advance({ stepIndex: input.stepIndex + 2, previousTouch });
        }
        default:
          return advance({ stepIndex: input.stepIndex + 1, previousTouch });
      }
    }
  }
};
df.app.orchestration('sequence', sequenceOrchestrator);

type StepInput = SequenceInput & { instanceId: string };

/** What the import told us about the prospect, as evidence an approver can weigh. */
function prospectFacts(prospect: Prospect): EvidenceFact[] {
  return [
    ...(prospect.title ? [{ fact: `${displayName(prospect)} is ${prospect.title}`, source: 'prospect import' }] : []),
    ...(prospect.company ? [{ fact: `Works at ${prospect.company} (${prospect.domain})`, source: 'prospect import' }] : []),
  ];
}

async function loadCampaignAndProspect(services: Services, input: SequenceInput) {
  const [campaign, prospect] = await Promise.all([
    services.store.campaigns.read(tenantPartition(input.tenantId), input.campaignId),
    services.store.prospects.read(hashedPartition(input.tenantId, input.prospectId), input.prospectId),
  ]);
  return { campaign, prospect };
}

/** What a step after an email step means for the orchestration once the email is sent. */
function followingOf(campaign: CampaignRecord, stepIndex: number, prospect: Prospect): Following {
  const next = campaign.sequence.steps[stepIndex + 1];
  if (!next) return { kind: 'end' };
  return next.type === 'wait' ? { kind: 'wait', days: next.days, timeZone: prospect.timeZone ?? 'UTC' } : { kind: 'next' };
}

/** An email step decided, with what the decision rested on, so sending it at once reads nothing twice. */
interface Decided {
  step: Extract<PreparedStep, { kind: 'email' }>;
  prospect: ProspectRecord;
  action: SendEmailAction;
  context: PolicyContext;
  counters?: SendCounters;
}

/** Reads the step and renders it for the prospect; an email step is put to the policy engine. */
async function prepare(services: Services, input: StepInput): Promise<PreparedStep | Decided> {
  const { campaign, prospect } = await loadCampaignAndProspect(services, input);
  if (!campaign || !prospect) return { kind: 'end', reason: 'campaign or prospect no longer exists' };
  if (campaign.status !== 'running') return { kind: 'end', reason: `campaign is ${campaign.status}` };
  const step = campaign.sequence.steps[input.stepIndex];
  if (!step) return { kind: 'end', reason: sequenceCompleted };
  if (['replied', 'unsubscribed', 'bounced', 'suppressed'].includes(prospect.status)) return { kind: 'end', reason: `prospect ${prospect.status}` };

  if (step.type === 'wait') {
    return { kind: 'wait', until: addBusinessDays(services.clock.now(), step.days, prospect.timeZone ?? 'UTC').toISOString() };
  }
  if (step.type === 'branch') {
    const condition = step.if === 'replied' ? prospect.status === 'replied' : step.if === 'no_reply' ? prospect.status !== 'replied' : false;
    return { kind: 'goto', stepIndex: condition ? step.then : step.else };
  }

  const { doNotContact, ...fields } = prospect;
  const variables = { ...fields, company: prospect.company, firstName: prospect.firstName ?? displayName(prospect).split(' ')[0] };
  const subject = renderTemplate(step.subject, variables);
  const body = renderTemplate(step.body, variables);
  const missing = [...new Set([...subject.missing, ...body.missing])];
  const email: EmailToSend = {
    mailbox: campaign.mailbox,
    to: prospect.email,
    subject: input.previousTouch && !/^re:/i.test(subject.text) ? `Re: ${subject.text}` : subject.text,
    body: body.text,
    isFirstTouch: !input.previousTouch,
    stepApproval: step.approval,
    recipient: { timeZone: prospect.timeZone, region: prospect.region, vertical: prospect.vertical, doNotContact },
    evidence: [...prospectFacts(prospect), ...(campaign.facts ?? [])],
  };
  const { context, counters } = await readSendState(services, input.tenantId, { mailbox: email.mailbox, to: email.to, campaign });
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
  const following = followingOf(campaign, input.stepIndex, prospect);
  return { step: { kind: 'email', email, decision, following }, prospect, action, context, ...(counters ? { counters } : {}) };
}

/** The policy decision as the audit log keeps it: which rules spoke, under which version, on which inputs. */
function decisionPayload({ step: { decision }, action, context }: Decided) {
  return {
    allow: decision.allow,
    approvalRequired: decision.approvalRequired,
    throttle: decision.throttle ?? null,
    requireCanary: decision.requireCanary,
    rules: decision.reasons.map((reason) => `${reason.rule}:${reason.outcome}`),
    policyVersion: decision.policyVersion,
    inputsHash: sha256(JSON.stringify({ action, context: { ...context, policy: undefined, policyVersion: context.policy.version } })),
  };
}

/**
 * One activity per decision: reads the step, renders it and asks the policy engine; an email nobody needs to
 * approve is sent at once, on what was just read. One audit event records the outcome: the send (carrying the
 * decision), or the decision itself when the email waits for an approver, a window, or is refused.
 */
const prepareStep = df.app.activity('sequencePrepareStep', {
  handler: async (input: StepInput & { mayBeSentNow?: boolean }): Promise<PreparedStep> => {
    const services = await getServices();
    const prepared = await prepare(services, input);
    if (!('step' in prepared)) return prepared;
    const { decision, email } = prepared.step;
    if (input.mayBeSentNow && decision.allow && !decision.approvalRequired && !decision.throttle) {
      return { ...prepared.step, sent: await send(services, { ...input, email }, prepared) };
    }
    await services.audit.append(input.tenantId, {
      actor: { type: 'system', id: 'policy-engine' },
      type: 'policy.decided',
      correlationId: input.correlationId,
      idempotencyKey: `${input.instanceId}:${input.iteration}:policy`,
      payload: { campaignId: input.campaignId, prospectId: input.prospectId, step: input.stepIndex, ...decisionPayload(prepared) },
    });
    return prepared.step;
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
      to: input.email.to,
      subject: input.email.subject,
      body: withUnsubscribeFooter(input.email.body),
      evidence: { facts: input.email.evidence ?? [] },
      decision: input.decision,
      instanceId: input.instanceId,
      stepIndex: input.stepIndex,
      stepApproval: input.email.stepApproval,
      correlationId: input.correlationId,
    });
    return { approvalId: approval.id, expiresAt: approval.expiresAt };
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
 * Sends one step's email. Policy, kill switch and suppression are checked again at send time unless the
 * caller has just decided (`decided`), a first touch claims one of the mailbox's daily slots, and the touch
 * is recorded with its draft before the mailbox is asked to send, under an id derived from the instance and
 * step, so a retry never sends twice.
 */
async function send(services: Services, input: StepInput & { email: EmailToSend; approvalId?: string }, decided?: Decided): Promise<SendOutcome> {
  const { tenantId, email } = input;
  const touchId = touchIdFor(input.instanceId, input.iteration);
  const touchPk = hashedPartition(tenantId, touchId);
  const [existing, prospect] = await Promise.all([
    services.store.messages.read(touchPk, touchId),
    decided?.prospect ?? services.store.prospects.read(hashedPartition(tenantId, input.prospectId), input.prospectId),
  ]);
  if (existing?.status === 'sent') return { sent: true, internetMessageId: existing.internetMessageId };
  const decision = decided && { decision: decisionPayload(decided) };

  const blocked = async (reasons: string[], rules: string[]): Promise<SendOutcome> => {
    await services.audit.append(tenantId, {
      actor: { type: 'system', id: 'sender' },
      type: 'email.blocked',
      correlationId: input.correlationId,
      idempotencyKey: `${input.instanceId}:${input.iteration}:blocked`,
      payload: { campaignId: input.campaignId, prospectId: input.prospectId, step: input.stepIndex, rules, reasons, ...decision },
    });
    return { sent: false, reasons };
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
        ...decision,
      },
    });
    return { sent: false, deferredUntil: throttle.retryAt, reasons };
  };

  if (!existing) {
    // Canary runs are decided at enqueue; everything else again now. The caps are checked by claiming the slots.
    const { context, counters } =
      decided ?? (await readSendState(services, tenantId, { mailbox: email.mailbox, to: email.to }, { readUsage: false }));
    if (!decided) {
      const decision = evaluatePolicy(sendAction(input.campaignId, email, true), context);
      const reasonsThat = (outcome: PolicyReason['outcome']) => decision.reasons.filter((reason) => reason.outcome === outcome);
      if (decision.throttle)
        return deferred(
          decision.throttle,
          reasonsThat('defer').map((reason) => reason.message),
        );
      if (!decision.allow) {
        const blocks = reasonsThat('block');
        return blocked(
          blocks.map((reason) => reason.message),
          blocks.map((reason) => reason.rule),
        );
      }
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
    });
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
  if (killSwitch && isHalted(killSwitch, input.campaignId)) return blocked(['A kill switch was turned on before the email left.'], ['killSwitch']);

  const { sentAt } = await services.mail.sendDraft(tenantId, email.mailbox, touch.draftId!);
  touch = await services.store.messages.replace({ ...touch, status: 'sent', at: sentAt });
  await services.audit.append(tenantId, {
    actor: { type: 'system', id: 'sender' },
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
      ...decision,
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
  // A prospect emailed for the first time is `contacted`.
  if (prospect)
    await services.store.prospects.updateFrom(prospect, (current) =>
      current.status === 'new' || current.status === 'enrolled' ? { ...current, status: 'contacted', updatedAt: sentAt } : undefined,
    );
  return { sent: true, internetMessageId: touch.internetMessageId };
}

const sendEmailName = 'sequenceSendEmail';
df.app.activity(sendEmailName, {
  handler: async (input: StepInput & { email: EmailToSend; approvalId?: string }): Promise<SendOutcome> => send(await getServices(), input),
});
