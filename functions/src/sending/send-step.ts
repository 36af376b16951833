import * as df from 'durable-functions';
import { sha256 } from '@asep/shared/audit/chain';
import { haltingSwitches, isHalted, type KillSwitchState } from '@asep/shared/killswitch/killswitch';
import type { SendEmailAction } from '@asep/shared/policy/action';
import { throttleFor } from '@asep/shared/policy/caps';
import type { PolicyContext } from '@asep/shared/policy/context';
import { isHeldByKillSwitch, type PolicyDecision, type PolicyReason, type PolicyThrottle } from '@asep/shared/policy/decision';
import { evaluatePolicy } from '@asep/shared/policy/evaluate';
import { recordApprovedDelivery } from '../approvals/approvals';
import { getServices, type Services } from '../composition/services';
import type { MessageRecord } from '../mail/message';
import { indexTouch } from '../mail/message-index';
import { sendDraftOnce } from '../mail/send-once';
import { readProspectAndTouch, recordTouchSent, touchPartition } from '../mail/touches';
import {
  sequenceActivities,
  type CheckDraftSentInput,
  type EmailToSend,
  type SendInput,
  type SendOutcome,
} from '../orchestrations/contracts/sequence-steps';
import { touchIdFor } from '../orchestrations/instance-ids';
import type { ProspectRecord } from '../prospects/records';
import { ConflictError } from '../store/documents';
import { withUnsubscribeFooter, unsubscribeLink } from '../unsubscribe/links';
import { claimSendSlots, readSendState, type SendCounters } from './send-context';

/** The email as the policy engine sees it. */
export function sendAction(campaignId: string, email: EmailToSend, approved: boolean): SendEmailAction {
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

/** What an email step was decided on, so sending it in the same activity reads nothing twice. */
export interface Decided {
  context: PolicyContext;
  counters?: SendCounters;
  prospect: ProspectRecord;
  /** The step's touch as read with the prospect: recorded by an earlier attempt of this send, if one got that far. */
  touch?: MessageRecord;
  /** The decision as the audit log keeps it. */
  decision: Record<string, unknown>;
}

/** Whether a kill switch is still on over the campaign's sends. */
df.app.activity(sequenceActivities.killSwitchCheck, {
  handler: async (input: { tenantId: string; campaignId: string }): Promise<boolean> => {
    const services = await getServices();
    const state = await services.store.forTenant(input.tenantId).killSwitches.read('killswitch');
    return state !== undefined && isHalted(state, input.campaignId);
  },
});

/**
 * Sends one approved step. Policy, kill switch and suppression are checked again at send time, a
 * first touch claims one of the mailbox's daily slots, and the touch is recorded before the mailbox
 * is asked to send, under an id derived from the instance and step, so a retry never sends twice.
 */
df.app.activity(sequenceActivities.sendEmail, {
  handler: async (input: SendInput): Promise<SendOutcome> => send(await getServices(), input),
});

/** Sends one step's email (see above); `decided` when the caller has just decided it, in the same activity. */
export async function send(services: Services, input: SendInput, decided?: Decided): Promise<SendOutcome> {
  const { tenantId, email } = input;
  const touchId = touchIdFor(input.instanceId, input.iteration);
  const touchPk = touchPartition(tenantId, input.prospectId);
  const decisionFields = decided && { decision: decided.decision };
  const { prospect, touch: existing } = decided ?? (await readProspectAndTouch(services.store, tenantId, input.prospectId, touchId));
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
      decided ?? (await readSendState(services, tenantId, { mailbox: email.mailbox, to: email.to }, { counters: 'none' }));
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
      ? await services.store.touches.replace({ ...touch, ...recorded })
      : await services.store.touches.create(recorded).catch(async (error: unknown) => {
          // A retry racing the first attempt: the touch it recorded wins, and this draft is never sent.
          if (error instanceof ConflictError) return (await services.store.touches.read(touchPk, touchId))!;
          throw error;
        });
    if (touch.status === 'sent') return { sent: true, internetMessageId: touch.internetMessageId };
    await indexTouch(services, touch);
  }

  // The last look before anything leaves: a kill switch flipped while this send waited in a queue wins.
  const killSwitch = await services.store.forTenant(tenantId).killSwitches.readFresh('killswitch');
  if (killSwitch && isHalted(killSwitch, input.campaignId)) return heldBy(killSwitch);

  if (email.draftOnly) {
    touch = await services.store.touches.replace({ ...touch, status: 'drafted' });
    await services.audit.append(tenantId, {
      actor: { type: 'system', id: 'sender' },
      type: 'email.drafted',
      correlationId: input.correlationId,
      idempotencyKey: `${input.instanceId}:${input.iteration}:drafted`,
      payload: deliveryPayload(input, touch.internetMessageId),
    });
    return { sent: false, drafted: true, internetMessageId: touch.internetMessageId };
  }

  const { sentAt } = await sendDraftOnce(services.mail, { tenantId, mailbox: email.mailbox, touchKey: touchId, draftId: touch.draftId! });
  return recordSent(services, input, touch, sentAt, { type: 'system', id: 'sender' }, prospect, decided);
}

/** Draft-only: whether the rep has sent the saved draft (it is in Sent Items); once they have, it counts as sent. */
df.app.activity(sequenceActivities.checkDraftSent, {
  handler: async (input: CheckDraftSentInput): Promise<SendOutcome> => {
    const services = await getServices();
    const touchId = touchIdFor(input.instanceId, input.iteration);
    const { prospect, touch } = await readProspectAndTouch(services.store, input.tenantId, input.prospectId, touchId);
    if (!touch) return { sent: false, reasons: ['the saved draft has no record'] };
    if (touch.status === 'sent') return { sent: true, internetMessageId: touch.internetMessageId };
    const sentAt = await services.mail.sentAt(input.tenantId, input.email.mailbox, input.internetMessageId);
    if (!sentAt) return { sent: false, drafted: true, internetMessageId: input.internetMessageId };
    return recordSent(services, input, touch, sentAt, { type: 'user', id: input.email.mailbox, name: 'the rep, from Outlook' }, prospect);
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

/** What the audit keeps of an email that left (or was saved for the rep): where it went and a hash of what it said. */
function deliveryPayload(input: SendInput, internetMessageId: string) {
  return {
    campaignId: input.campaignId,
    prospectId: input.prospectId,
    step: input.stepIndex,
    mailbox: input.email.mailbox,
    to: input.email.to,
    internetMessageId,
    approvalId: input.approvalId ?? null,
    bodyHash: sha256(input.email.body),
  };
}

/** The email left the mailbox: the touch, the audit, the CRM and the prospect say so. */
async function recordSent(
  services: Services,
  input: SendInput,
  claimed: MessageRecord,
  sentAt: string,
  actor: { type: 'system' | 'user'; id: string; name?: string },
  /** The prospect as read in this activity (missing once deleted): marked contacted in the same batch as the touch. */
  prospect: ProspectRecord | undefined,
  decided?: Pick<Decided, 'decision'>,
): Promise<SendOutcome> {
  const { tenantId, email } = input;
  const touchId = claimed.id;
  const touch = await recordTouchSent(services.store, claimed, sentAt, prospect);
  await services.audit.append(tenantId, {
    actor,
    type: 'email.sent',
    correlationId: input.correlationId,
    idempotencyKey: `${input.instanceId}:${input.iteration}:sent`,
    payload: { ...deliveryPayload(input, touch.internetMessageId), ...(decided ? { decision: decided.decision } : {}) },
  });
  await services.crm.logEngagement(tenantId, {
    engagementId: touchId,
    type: 'email',
    contactEmail: email.to,
    subject: email.subject,
    body: email.body,
    at: sentAt,
    sentTouch: true,
  });
  if (input.held && input.approvalId) await recordApprovedDelivery(services, tenantId, input.approvalId, 'sent');
  return { sent: true, internetMessageId: touch.internetMessageId };
}
