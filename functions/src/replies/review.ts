import type { ReplyClassification } from '@asep/shared/classification/schema';
import { createApproval } from '../approvals/approvals';
import type { Services } from '../composition/services';
import type { MessageRecord } from '../mail/message';
import { findTouch } from '../mail/message-index';
import type { ReviewDecision, TriageInput } from '../orchestrations/contracts/triage';
import { findProspect } from '../prospects/prospects';
import type { ProspectRecord } from '../prospects/records';
import { aboutReply } from './about-reply';

interface ReviewRequest extends Omit<TriageInput, 'message'> {
  instanceId: string;
  message: MessageRecord;
  prospect: ProspectRecord;
  classification: ReplyClassification;
  reason: string;
}

/**
 * Asks a person to confirm a reply triage was not sure enough to act on: a `reply_review` approval with the
 * suggested label, its confidence, the evidence and the two likeliest labels. Nothing is applied until answered.
 * Answers the approval and what the reply's triage record says meanwhile; the caller stores that with the reply.
 */
export async function requestReplyReview(services: Services, request: ReviewRequest) {
  const { message, prospect, classification } = request;
  const referral = classification.referral ?? classification.ooo?.referral;
  const approval = await createApproval(services, {
    key: `reply-review:${message.id}`,
    ...aboutReply(request.tenantId, message, prospect, classification),
    kind: 'reply_review',
    review: {
      suggestedLabel: classification.label,
      confidence: classification.confidence,
      topLabels: classification.alternatives ?? [{ label: classification.label, probability: classification.confidence }],
      reason: request.reason,
      ...(referral ? { referral } : {}),
    },
    decision: { gate: 'review', reason: request.reason },
    instanceId: request.instanceId,
    correlationId: request.correlationId,
  });
  const triage = {
    pendingReviewApprovalId: approval.id,
    nextAction: { kind: 'review_label', label: `Confirm ${classification.label} or pick another`, detail: request.reason },
  };
  return { approval, triage };
}

export interface ConfirmedReply {
  message: MessageRecord;
  classification: ReplyClassification;
  prospect: ProspectRecord;
  touch?: MessageRecord;
}

/**
 * Records the label a person confirmed (and a correction when they picked another, for the precision report)
 * with who and when, once, and audits it. Returns what triage then applies exactly as the confident path
 * would have; undefined when the review was already applied or there is nothing to apply it to.
 */
export async function confirmReviewedLabel(
  services: Services,
  input: TriageInput & { decision: ReviewDecision },
): Promise<ConfirmedReply | undefined> {
  const id = input.messageId;
  const message = await services.store.forTenant(input.tenantId).messages.read(id);
  const classification = message?.triage?.classification;
  if (!message || !classification || message.triage?.reviewed) return undefined;
  const label = input.decision.label ?? classification.label;
  const at = services.clock.now().toISOString();
  const changed = label !== classification.label;
  const confirmed: ReplyClassification = {
    ...classification,
    label,
    confidence: 1,
    evidence: {
      ...classification.evidence,
      trace: [
        ...classification.evidence.trace,
        {
          step: 'human review',
          detail: `${input.decision.by.name ?? input.decision.by.id} ${changed ? `changed ${classification.label} to` : 'confirmed'} ${label}`,
        },
      ],
    },
  };
  const updated = await services.store.messages.updateFrom(message, (current) =>
    current.triage?.reviewed
      ? undefined
      : {
          ...current,
          triage: {
            ...current.triage!,
            classification: confirmed,
            pendingReviewApprovalId: undefined,
            reviewed: { label, by: input.decision.by, at },
            ...(changed
              ? {
                  originalLabel: current.triage!.originalLabel ?? classification.label,
                  corrections: [...(current.triage!.corrections ?? []), { from: classification.label, to: label, by: input.decision.by.id, at }],
                }
              : {}),
          },
        },
  );
  if (!updated?.triage?.reviewed || updated.triage.reviewed.at !== at) return undefined;
  await services.audit.append(input.tenantId, {
    actor: { type: 'user', ...input.decision.by },
    type: 'reply.reviewed',
    correlationId: input.correlationId,
    idempotencyKey: `reply.reviewed:${message.id}`,
    payload: { messageId: message.id, suggested: classification.label, confidence: classification.confidence, label, at },
  });
  const prospect = message.prospectId ? await findProspect(services, input.tenantId, message.prospectId) : undefined;
  if (!prospect) return undefined;
  const touch = await findTouchById(services, message);
  return { message: updated, classification: confirmed, prospect, ...(touch ? { touch } : {}) };
}

async function findTouchById(services: Services, message: MessageRecord): Promise<MessageRecord | undefined> {
  const reference = message.inReplyTo ?? message.references?.[0];
  return reference ? findTouch(services, message.tenantId, reference) : undefined;
}
