import {
  nextActionAfterBooking,
  nextActionForDraft,
  type DraftEvidence,
  type DraftInsight,
  type MessageInsight,
  type PaneInsight,
} from '@asep/shared/insights/insight';
import { phraseEvidenceFacts } from '@asep/shared/insights/evidence-phrasing';
import { displayName } from '@asep/shared/prospects/prospect';
import type { DurableClient } from 'durable-functions';
import type { Services } from '../composition/services';
import { toDeal } from '../deals/deals';
import { notFound } from '../http/problem';
import type { MessageRecord } from '../mail/message';
import { findReceived, findTouch } from '../mail/message-index';
import type { SequenceInput } from '../orchestrations/contracts/sequence';
import { findProspect } from '../prospects/prospects';
import type { ProspectRecord } from '../prospects/records';
import { activeBooking, toBooking } from '../bookings/bookings';

const sequenceStatus = { Running: 'running', Pending: 'running', Completed: 'completed', Terminated: 'stopped', Failed: 'stopped' } as const;

async function sequenceState(services: Services, durable: DurableClient, message: MessageRecord): Promise<MessageInsight['sequence']> {
  if (!message.instanceId || !message.campaignId) return null;
  const [campaign, status, pendingApprovals] = await Promise.all([
    services.store.forTenant(message.tenantId).campaigns.read(message.campaignId),
    durable.getStatus(message.instanceId).catch(() => undefined),
    services.store.approvals.query(message.tenantId, "c.instanceId = @instanceId AND c.status = 'pending'", [
      { name: '@instanceId', value: message.instanceId },
    ]),
  ]);
  if (!campaign) return null;
  const input = status?.input as SequenceInput | undefined;
  const runtime = String(status?.runtimeStatus ?? 'Completed') as keyof typeof sequenceStatus;
  // A running sequence on hold (out of office, or a soft bounce's retry) says until when in its durable status.
  const pausedUntil = (status?.customStatus as { pausedUntil?: string } | null | undefined)?.pausedUntil;
  const paused = sequenceStatus[runtime] === 'running' && pausedUntil !== undefined && Date.parse(pausedUntil) > services.clock.now().getTime();
  return {
    campaignId: campaign.id,
    campaignName: campaign.name,
    instanceId: message.instanceId,
    status: pendingApprovals.length > 0 ? 'waiting_approval' : paused ? 'paused' : (sequenceStatus[runtime] ?? 'stopped'),
    step: input?.stepIndex ?? 0,
    totalSteps: campaign.sequence.steps.length,
    ...(paused ? { pausedUntil } : {}),
  };
}

function prospectSummary(prospect: ProspectRecord | undefined): MessageInsight['prospect'] {
  if (!prospect) return null;
  return {
    id: prospect.id,
    email: prospect.email,
    name: displayName(prospect),
    company: prospect.company,
    title: prospect.title,
    timeZone: prospect.timeZone,
  };
}

/**
 * Everything the taskpane shows beside one email, in one answer: for a reply, what triage made of it; for an
 * email ASEP drafted (in the rep's Drafts folder, or sent), its sentences and their facts.
 */
export async function insightForMessage(
  services: Services,
  durable: DurableClient,
  tenantId: string,
  internetMessageId: string,
): Promise<PaneInsight> {
  const message = await findReceived(services, tenantId, internetMessageId);
  const classification = message?.triage?.classification;
  if (!message || !classification) {
    const drafted = await draftInsightFor(services, durable, tenantId, internetMessageId);
    if (drafted) return drafted;
    throw notFound(`A triaged reply or a drafted email with internet message id ${internetMessageId}`);
  }
  // Everything below depends only on the message: read it all at once, so the pane waits for one round of reads.
  const records = services.store.forTenant(tenantId);
  const pendingDealApproval = message.triage?.pendingDealApprovalId;
  const reviewId = message.triage?.pendingReviewApprovalId;
  const [prospect, deal, booked, stillPending, review, sequence] = await Promise.all([
    message.prospectId ? findProspect(services, tenantId, message.prospectId) : undefined,
    message.triage?.dealId ? records.deals.read(message.triage.dealId) : undefined,
    message.prospectId ? activeBooking(services, tenantId, message.prospectId) : undefined,
    pendingDealApproval
      ? services.store.approvals
          .query(tenantId, "c.id = @id AND c.status = 'pending'", [{ name: '@id', value: pendingDealApproval }])
          .then((pending) => pending.length > 0)
      : false,
    reviewId ? records.approvals.read(reviewId) : undefined,
    sequenceState(services, durable, message),
  ]);
  const booking = prospect && booked?.status === 'booked' ? toBooking(booked) : undefined;
  const pendingReview =
    review?.status === 'pending' && review.review
      ? {
          approvalId: review.id,
          suggestedLabel: review.review.suggestedLabel,
          confidence: review.review.confidence,
          topLabels: review.review.topLabels,
        }
      : undefined;
  return {
    kind: 'reply',
    internetMessageId,
    classification: {
      label: classification.label,
      confidence: classification.confidence,
      ...(classification.reliability ? { reliability: classification.reliability } : {}),
    },
    ...(pendingReview ? { pendingReview } : {}),
    evidence: { ...classification.evidence, facts: phraseEvidenceFacts(classification.evidence.facts, `${message.subject}\n${message.body}`) },
    prospect: prospectSummary(prospect),
    sequence,
    ...(message.triage?.intentAt
      ? { intent: { type: 'positive_reply' as const, at: message.triage.intentAt, confidence: classification.confidence } }
      : {}),
    ...(deal ? { deal: toDeal(deal) } : {}),
    ...(stillPending ? { pendingDealApprovalId: pendingDealApproval } : {}),
    nextAction: booking ? nextActionAfterBooking(booking) : (message.triage?.nextAction ?? { kind: 'review', label: 'Review the reply' }),
    ...(booking ? { booking } : {}),
    ...(message.triage?.suggestedContact ? { suggestedContact: message.triage.suggestedContact } : {}),
    ...(classification.ooo ? { ooo: classification.ooo } : {}),
    ...(classification.bounce ? { bounce: { kind: classification.bounce.kind, status: classification.bounce.status } } : {}),
  };
}

function draftEvidenceOf(touch: MessageRecord | undefined, internetMessageId: string): DraftEvidence | undefined {
  if (!touch?.evidence || !touch.status) return undefined;
  return {
    internetMessageId,
    status: touch.status,
    subject: touch.subject,
    to: touch.to,
    author: touch.evidence.author,
    sentences: touch.evidence.sentences,
    facts: touch.evidence.facts,
  };
}

/** A researched email ASEP drafted, as the pane shows it: its evidence, the prospect, the sequence and what to do next. */
async function draftInsightFor(
  services: Services,
  durable: DurableClient,
  tenantId: string,
  internetMessageId: string,
): Promise<DraftInsight | undefined> {
  const touch = await findTouch(services, tenantId, internetMessageId);
  const evidence = draftEvidenceOf(touch, internetMessageId);
  if (!touch || !evidence) return undefined;
  const [prospect, sequence] = await Promise.all([
    touch.prospectId ? findProspect(services, tenantId, touch.prospectId) : undefined,
    sequenceState(services, durable, touch),
  ]);
  return { kind: 'draft', ...evidence, prospect: prospectSummary(prospect), sequence, nextAction: nextActionForDraft(evidence.status) };
}

/** The facts and citations of a researched email ASEP drafted, found by its internet message id. */
export async function draftEvidenceFor(services: Services, tenantId: string, internetMessageId: string): Promise<DraftEvidence> {
  const evidence = draftEvidenceOf(await findTouch(services, tenantId, internetMessageId), internetMessageId);
  if (!evidence) throw notFound(`A drafted email with internet message id ${internetMessageId}`);
  return evidence;
}
