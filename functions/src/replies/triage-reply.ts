import * as df from 'durable-functions';
import { sha256 } from '@asep/shared/audit/chain';
import type { ReplyClassification } from '@asep/shared/classification/schema';
import { gateReplyAction } from '@asep/shared/policy/reply-actions';
import { getServices, type Services } from '../composition/services';
import { evaluateCanary } from '../deliverability/canary';
import { askForDeal, gatedPayload, makeDeal, planDeal, type ReplyToGate } from '../deals/gating';
import type { MessageRecord, Touch } from '../mail/message';
import { findTouchForReply } from '../mail/message-index';
import { triageActivities, type DealGated, type TriageStepInput, type Triaged } from '../orchestrations/contracts/triage';
import { currentPolicy } from '../policies/policies';
import { findProspect, prospectId } from '../prospects/prospects';
import type { ProspectRecord } from '../prospects/records';
import { applyReply } from './apply-reply';
import { requestReplyReview } from './review';

type TriageRecord = NonNullable<MessageRecord['triage']>;

async function loadMessage(services: Services, input: TriageStepInput): Promise<MessageRecord> {
  const message = await services.store.forTenant(input.tenantId).messages.read(input.messageId);
  if (!message) throw new Error(`Inbound message ${input.messageId} is missing`);
  return message;
}

/** The touch this reply answers, found by its In-Reply-To and References headers only. */
async function matchTouch(services: Services, message: MessageRecord): Promise<Touch | undefined> {
  const references = [message.inReplyTo, ...(message.references ?? [])].filter((id): id is string => Boolean(id));
  if (references.length === 0) return undefined;
  const touches = await Promise.all([...new Set(references)].map((reference) => findTouchForReply(services, message.tenantId, reference)));
  return touches.filter((touch): touch is Touch => touch !== undefined).sort((a, b) => b.at.localeCompare(a.at))[0];
}

/**
 * Stores what triage made of the reply, starting from the message as it was handed over: one write unless
 * someone changed it meanwhile. What an earlier attempt of the activity (run again after a crash) stored stays.
 */
async function recordTriage(services: Services, message: MessageRecord, fields: Partial<MessageRecord>, triage: TriageRecord) {
  await services.store.messages.updateFrom(message, (current) =>
    current.triage?.status === 'pending' ? { ...current, ...fields, triage } : undefined,
  );
}

/** The one audit event of a classified reply: its label and evidence, and what was decided on it. */
async function auditClassified(
  services: Services,
  input: TriageStepInput,
  message: MessageRecord,
  classification: ReplyClassification,
  prospect: ProspectRecord | undefined,
  touch: Touch | undefined,
  decided: Record<string, unknown>,
) {
  await services.audit.append(input.tenantId, {
    actor: { type: 'system', id: 'classifier' },
    type: 'reply.classified',
    correlationId: input.correlationId,
    idempotencyKey: `reply.classified:${message.id}`,
    payload: {
      messageId: message.id,
      prospectId: prospect?.id ?? null,
      matchedTouch: touch?.id ?? null,
      label: classification.label,
      confidence: classification.confidence,
      evidenceHash: sha256(JSON.stringify(classification.evidence)),
      ...decided,
    },
  });
}

/**
 * Triage of one reply in one activity: classifies it, and when the label clears the tenant's threshold applies
 * what it means for the prospect (`applyReply`), checks the canary it belongs to and gates the deal; below the
 * threshold a person reviews it first and nothing is applied. The message, its touch and its prospect are each
 * read once (the message not at all when intake handed it over); the outcome is stored in one write and
 * audited in one event.
 */
export async function triageReply(services: Services, durable: df.DurableClient, input: TriageStepInput): Promise<Triaged> {
  const message: MessageRecord = input.message ? { ...input.message, docType: 'message' } : await loadMessage(services, input);
  // Already classified (triage of an earlier version ran again): its deal is gated again, as it was then.
  if (message.triage?.status === 'done')
    return { outcome: 'classified', label: message.triage.classification?.label, deal: await regateReply(services, input, message) };
  const touch = await matchTouch(services, message);
  if (touch?.mailbox === message.from) {
    await recordTriage(services, message, {}, { status: 'unmatched' });
    return { outcome: 'ignored', reason: 'sent by our own mailbox' };
  }
  const classification = await services.classify(
    { subject: message.subject, body: message.body, from: message.from, headers: message.headers, date: message.at },
    input.tenantId,
  );
  const bouncedAddress = classification.label === 'bounce' ? (classification.bounce?.recipient ?? touch?.to) : undefined;
  const prospectKey = touch?.prospectId ?? prospectId(input.tenantId, bouncedAddress ?? message.from);
  const [prospect, policy] = await Promise.all([findProspect(services, input.tenantId, prospectKey), currentPolicy(services, input.tenantId)]);
  const matched = {
    ...(prospect ? { prospectId: prospect.id } : {}),
    ...(touch?.campaignId ? { campaignId: touch.campaignId } : {}),
    ...(touch?.instanceId ? { instanceId: touch.instanceId } : {}),
  };
  const classified: TriageRecord = { status: 'done', classification, ...(touch ? { matchedTouchId: touch.id } : {}) };
  const matchedMessage = { ...message, ...matched };

  const gate = prospect ? gateReplyAction(classification, policy.rules.replies) : undefined;
  if (prospect && gate && !gate.act) {
    const review = await requestReplyReview(services, { ...input, message: matchedMessage, prospect, classification, reason: gate.reason });
    await recordTriage(services, message, matched, { ...classified, ...review.triage });
    await auditClassified(services, input, message, classification, prospect, touch, { review: gate.reason });
    return { outcome: 'review', label: classification.label, approvalId: review.approval.id, expiresAt: review.approval.expiresAt };
  }
  const applied = prospect && (await applyReply(services, durable, matchedMessage, classification, prospect, touch, input.correlationId));
  // A reply to a canary counts towards its thresholds at once.
  if (applied && touch?.campaignId) await evaluateCanary(services, input.tenantId, touch.campaignId, input.correlationId);
  const reply: ReplyToGate = { ...input, message: { ...matchedMessage, triage: classified }, prospect: applied || undefined, classification, policy };
  const plan = await planDeal(services, reply);
  const deal = await askForDeal(services, reply, plan);
  await recordTriage(services, message, matched, { ...classified, ...plan.triage });
  await makeDeal(services, reply, plan);
  await auditClassified(services, input, message, classification, prospect, touch, { deal: gatedPayload(plan) });
  return { outcome: 'classified', label: classification.label, deal };
}

/**
 * Gates the deal again on the label stored with the reply (a person corrected it, or confirmed a review), under
 * keys of its own, and records the outcome with the reply: one write, one audit event.
 */
export async function regateReply(services: Services, input: TriageStepInput, message?: MessageRecord): Promise<DealGated> {
  const current = message ?? (await loadMessage(services, input));
  const classification = current.triage?.classification;
  if (!classification) return { outcome: 'done' };
  const [prospect, policy] = await Promise.all([
    current.prospectId ? findProspect(services, input.tenantId, current.prospectId) : undefined,
    currentPolicy(services, input.tenantId),
  ]);
  const reply: ReplyToGate = { ...input, message: current, prospect, classification, policy };
  const plan = await planDeal(services, reply);
  const deal = await askForDeal(services, reply, plan);
  await services.store.messages.updateFrom(current, (latest) => ({ ...latest, triage: { ...latest.triage!, ...plan.triage } }));
  await makeDeal(services, reply, plan);
  await services.audit.append(input.tenantId, {
    actor: { type: 'system', id: 'deal-gating' },
    type: 'deal.gated',
    correlationId: input.correlationId,
    idempotencyKey: `deal.gated:${current.id}${plan.round}`,
    payload: { messageId: current.id, ...gatedPayload(plan) },
  });
  return deal;
}

df.app.activity(triageActivities.triage, {
  extraInputs: [df.input.durableClient()],
  handler: async (input: TriageStepInput, invocation): Promise<Triaged> => {
    const services = await getServices();
    // What the reply led to (classified, suppressed, deal made…) is audited in one request, not one per event.
    return services.audit.together(input.tenantId, async () => {
      if (!input.regate) return triageReply(services, df.getClient(invocation), input);
      return { outcome: 'classified', deal: await regateReply(services, input) };
    });
  },
});
