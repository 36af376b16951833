import * as df from 'durable-functions';
import type { OrchestrationContext, OrchestrationHandler } from 'durable-functions';
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
import { claimSendSlots, loadSendContext } from '../sending/send-context';
import { approvalEventName, createApproval, expireApproval } from '../approvals/approvals';
import { ConflictError } from '../store/documents';
import type { MessageRecord } from '../mail/message';

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

type PreparedStep =
  | { kind: 'end'; reason: string }
  | { kind: 'wait'; until: string }
  | { kind: 'goto'; stepIndex: number }
  | { kind: 'email'; email: EmailToSend; decision: PolicyDecision };

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

const sequenceOrchestrator: OrchestrationHandler = function* (context: OrchestrationContext) {
  const input = context.df.getInput<SequenceInput>();
  const instanceId = context.df.instanceId;
  const step: PreparedStep = yield prepareStep({ ...input, instanceId });

  switch (step.kind) {
    case 'end':
      return step.reason;
    case 'goto':
      context.df.continueAsNew({ ...input, stepIndex: step.stepIndex, iteration: input.iteration + 1 });
      return undefined;
    case 'wait': {
      // Waits longer than the host's six-day timer limit are split into shorter timers by the SDK.
      yield context.df.createTimer(new Date(step.until));
      context.df.continueAsNew({ ...input, stepIndex: input.stepIndex + 1, iteration: input.iteration + 1 });
      return undefined;
    }
    case 'email': {
      // A deferral (sending window, full cap) is not a refusal: it is asked for approval now and waits at send.
      if (!step.decision.allow && !step.decision.throttle) return `blocked: ${step.decision.reasons.map((r) => r.message).join(' ')}`;
      let approvalId: string | undefined;
      if (step.decision.approvalRequired) {
        const approval: { approvalId: string; expiresAt: string } = yield requestApproval({ ...input, instanceId, email: step.email, decision: step.decision });
        approvalId = approval.approvalId;
        const decided = context.df.waitForExternalEvent(approvalEventName(approval.approvalId));
        const expiry = context.df.createTimer(new Date(approval.expiresAt));
        const winner = yield context.df.Task.any([decided, expiry]);
        if (winner === expiry) {
          yield expireApprovalActivity({ tenantId: input.tenantId, approvalId: approval.approvalId, correlationId: input.correlationId });
          return 'approval expired';
        }
        expiry.cancel();
        const decision = decided.result as ApprovalDecisionEvent;
        if (!decision.approved) return `rejected: ${decision.reason ?? 'no reason given'}`;
      }
      let outcome: SendOutcome = yield context.df.callActivityWithRetry(sendEmailName, sendRetry, { ...input, instanceId, email: step.email, approvalId });
      while (outcome.deferredUntil) {
        yield context.df.createTimer(new Date(outcome.deferredUntil));
        outcome = yield context.df.callActivityWithRetry(sendEmailName, sendRetry, { ...input, instanceId, email: step.email, approvalId });
      }
      if (!outcome.sent) return `not sent: ${(outcome.reasons ?? []).join(' ')}`;
      const references = [...(input.previousTouch?.references ?? []), outcome.internetMessageId!];
      context.df.continueAsNew({
        ...input,
        stepIndex: input.stepIndex + 1,
        iteration: input.iteration + 1,
        previousTouch: { internetMessageId: outcome.internetMessageId!, references },
      });
      return undefined;
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

/** Reads the step, renders it for the prospect and asks the policy engine; audits the decision. */
const prepareStep = df.app.activity('sequencePrepareStep', {
  handler: async (input: StepInput): Promise<PreparedStep> => {
    const services = await getServices();
    const { campaign, prospect } = await loadCampaignAndProspect(services, input);
    if (!campaign || !prospect) return { kind: 'end', reason: 'campaign or prospect no longer exists' };
    if (campaign.status !== 'running') return { kind: 'end', reason: `campaign is ${campaign.status}` };
    const step = campaign.sequence.steps[input.stepIndex];
    if (!step) return { kind: 'end', reason: 'sequence completed' };
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
    const context = await loadSendContext(services, input.tenantId, { mailbox: email.mailbox, to: email.to, campaign });
    const approvedOnce = step.approval === 'once' && (campaign.approvedSteps ?? []).includes(input.stepIndex) && !email.isFirstTouch;
    const action = sendAction(input.campaignId, email, approvedOnce);
    const evaluated = evaluatePolicy(action, context);
    const decision: PolicyDecision =
      missing.length > 0
        ? {
            ...evaluated,
            allow: false,
            approvalRequired: false,
            throttle: undefined,
            reasons: [...evaluated.reasons, { rule: 'template.variables', outcome: 'block', message: `No value for ${missing.join(', ')} for this prospect.` }],
          }
        : evaluated;
    await services.audit.append(input.tenantId, {
      actor: { type: 'system', id: 'policy-engine' },
      type: 'policy.decided',
      correlationId: input.correlationId,
      idempotencyKey: `${input.instanceId}:${input.iteration}:policy`,
      payload: {
        campaignId: input.campaignId,
        prospectId: input.prospectId,
        step: input.stepIndex,
        allow: decision.allow,
        approvalRequired: decision.approvalRequired,
        throttle: decision.throttle ?? null,
        requireCanary: decision.requireCanary,
        rules: decision.reasons.map((reason) => `${reason.rule}:${reason.outcome}`),
        policyVersion: decision.policyVersion,
        inputsHash: sha256(JSON.stringify({ action, context: { ...context, policy: undefined, policyVersion: context.policy.version } })),
      },
    });
    return { kind: 'email', email, decision };
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
      body: input.email.body,
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

/**
 * Sends one approved step. Policy, kill switch and suppression are checked again at send time, a
 * first touch claims one of the mailbox's daily slots, and the touch is recorded before the mailbox
 * is asked to send, under an id derived from the instance and step, so a retry never sends twice.
 */
const sendEmailName = 'sequenceSendEmail';
df.app.activity(sendEmailName, {
  handler: async (input: StepInput & { email: EmailToSend; approvalId?: string }): Promise<SendOutcome> => {
    const services = await getServices();
    const { tenantId, email } = input;
    const touchId = `out-${sha256(`${input.instanceId}:${input.iteration}`).slice(0, 40)}`;
    const touchPk = hashedPartition(tenantId, touchId);
    const existing = await services.store.messages.read(touchPk, touchId);
    if (existing?.status === 'sent') return { sent: true, internetMessageId: existing.internetMessageId };

    const blocked = async (reasons: string[], rules: string[]): Promise<SendOutcome> => {
      await services.audit.append(tenantId, {
        actor: { type: 'system', id: 'sender' },
        type: 'email.blocked',
        correlationId: input.correlationId,
        idempotencyKey: `${input.instanceId}:${input.iteration}:blocked`,
        payload: { campaignId: input.campaignId, prospectId: input.prospectId, step: input.stepIndex, rules, reasons },
      });
      return { sent: false, reasons };
    };
    const deferred = async (throttle: PolicyThrottle, reasons: string[]): Promise<SendOutcome> => {
      await services.audit.append(tenantId, {
        actor: { type: 'system', id: 'sender' },
        type: 'email.deferred',
        correlationId: input.correlationId,
        idempotencyKey: `${input.instanceId}:${input.iteration}:deferred:${throttle.retryAt}`,
        payload: { campaignId: input.campaignId, prospectId: input.prospectId, step: input.stepIndex, rule: throttle.rule, retryAt: throttle.retryAt, reasons },
      });
      return { sent: false, deferredUntil: throttle.retryAt, reasons };
    };

    if (!existing) {
      // Canary runs are decided at enqueue; everything else again now. The caps are checked by claiming the slots.
      const context = await loadSendContext(services, tenantId, { mailbox: email.mailbox, to: email.to }, { readUsage: false });
      const decision = evaluatePolicy(sendAction(input.campaignId, email, true), context);
      const reasonsThat = (outcome: PolicyReason['outcome']) => decision.reasons.filter((reason) => reason.outcome === outcome);
      if (decision.throttle) return deferred(decision.throttle, reasonsThat('defer').map((reason) => reason.message));
      if (!decision.allow) {
        const blocks = reasonsThat('block');
        return blocked(blocks.map((reason) => reason.message), blocks.map((reason) => reason.rule));
      }
      const full = await claimSendSlots(services, tenantId, { mailbox: email.mailbox, to: email.to, touchId, isFirstTouch: email.isFirstTouch }, context.policy.rules.caps);
      if (full) return deferred(throttleFor(full), [full.message]);
    }

    let touch: MessageRecord =
      existing ??
      (await services.store.messages
        .create({
          id: touchId,
          pk: touchPk,
          tenantId,
          direction: 'outbound',
          status: 'claimed',
          internetMessageId: '',
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
        })
        .catch(async (error: unknown) => {
          if (error instanceof ConflictError) return (await services.store.messages.read(touchPk, touchId))!;
          throw error;
        }));

    if (!touch.draftId) {
      const draft = await services.mail.createDraft({
        tenantId,
        mailbox: email.mailbox,
        to: email.to,
        subject: email.subject,
        body: email.body,
        inReplyTo: input.previousTouch?.internetMessageId,
        references: input.previousTouch?.references,
      });
      touch = (await services.store.messages.replace({ ...touch, draftId: draft.draftId, internetMessageId: draft.internetMessageId }))!;
    }

    // The last look before anything leaves: a kill switch flipped while this send waited in a queue wins.
    const killSwitch = await services.store.killSwitches.read(tenantPartition(tenantId), 'killswitch');
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
    await services.store.prospects.update(hashedPartition(tenantId, input.prospectId), input.prospectId, (prospect) =>
      prospect.status === 'new' || prospect.status === 'enrolled' ? { ...prospect, status: 'contacted', updatedAt: sentAt } : undefined,
    );
    return { sent: true, internetMessageId: touch.internetMessageId };
  },
});
