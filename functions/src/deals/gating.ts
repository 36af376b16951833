import type { ReplyClassification } from '@asep/shared/classification/schema';
import type { DealStage } from '@asep/shared/deals/deal';
import { mayCreateDeal } from '@asep/shared/deals/gating';
import type { PolicyDecision } from '@asep/shared/policy/decision';
import type { PolicyDocument } from '@asep/shared/policy/document';
import { dealStageFor } from '@asep/shared/policy/deal-rules';
import { evaluateDealPolicy } from '@asep/shared/policy/evaluate';
import { emailDomain } from '@asep/shared/prospects/prospect';
import { approvalIdFor, createApproval } from '../approvals/approvals';
import type { Services } from '../composition/services';
import type { DealRecord } from '../crm/records';
import type { MessageRecord } from '../mail/message';
import type { DealGated } from '../orchestrations/contracts/triage';
import type { ProspectRecord } from '../prospects/records';
import { aboutReply } from '../replies/about-reply';
import { nextActionFor, suggestedContactFor } from '../replies/next-action';
import { advanceDeal, createDealFromReply, dealIdForReply, dealsFor, type DealFromReply } from './deals';

export interface DealGate {
  outcome: 'create' | 'update' | 'ask' | 'none';
  reason: string;
  stage: DealStage;
  dealId?: string;
}

/** The deal policy's decision as gating acts on it: anything the policy blocks (no evidence, say) makes no deal. */
function gateOf(decision: PolicyDecision): DealGate {
  const { outcome, stage, dealId } = decision.deal!;
  return {
    outcome: decision.allow ? outcome : 'none',
    reason: decision.reasons.map((reason) => reason.message).join(' '),
    stage,
    ...(dealId ? { dealId } : {}),
  };
}

/** A classified reply, as deal gating needs it. */
export interface ReplyToGate {
  tenantId: string;
  correlationId: string;
  instanceId: string;
  message: MessageRecord;
  prospect: ProspectRecord | undefined;
  classification: ReplyClassification;
  policy: PolicyDocument;
}

/** The deal a classified reply earns, decided by gating or by a Manager. */
export function dealFromReply(
  reply: Pick<ReplyToGate, 'tenantId' | 'correlationId' | 'message' | 'classification'> & { prospect: ProspectRecord },
  decided: Pick<DealFromReply, 'stage' | 'actor'> & { amount?: number },
): DealFromReply {
  return {
    tenantId: reply.tenantId,
    prospect: reply.prospect,
    sourceMessageId: reply.message.id,
    campaignId: reply.message.campaignId,
    confidence: reply.classification.confidence,
    excerpt: reply.classification.evidence.excerpt,
    correlationId: reply.correlationId,
    ...decided,
  };
}

/** What gating decided, and what the reply's triage record says about it (the deal's and approval's ids included). */
export interface DealPlan {
  gate: DealGate;
  existingDeals: DealRecord[];
  round: string;
  triage: Pick<NonNullable<MessageRecord['triage']>, 'nextAction' | 'suggestedContact' | 'intentAt' | 'dealId' | 'pendingDealApprovalId'>;
}

/**
 * Deal gating's decision on a classified reply: create, update, ask a Manager, or leave it, and what the rep
 * does next. Existing deals are looked up only for a reply that could create one. The ids of what carrying it
 * out makes are known now, so the reply's record can say so before they exist.
 */
export async function planDeal(services: Services, reply: ReplyToGate): Promise<DealPlan> {
  const { message, prospect, classification, policy, tenantId } = reply;
  // Each human correction gates again, under keys of its own.
  const round = message.triage?.corrections?.length ? `:${message.triage.corrections.length}` : '';
  const contactEmail = prospect?.email ?? message.from;
  const companyDomain = prospect?.domain ?? emailDomain(message.from);
  const existingDeals = prospect && mayCreateDeal(classification, policy.rules.deals) ? await dealsFor(services, tenantId, contactEmail, companyDomain) : [];
  const gate: DealGate = prospect
    ? gateOf(
        evaluateDealPolicy(
          {
            type: 'create_deal',
            label: classification.label,
            confidence: classification.confidence,
            contactEmail,
            companyDomain,
            existingDeals,
            excerpt: classification.evidence.excerpt,
            evidence: classification.evidence.facts.map((fact) => ({ fact, source: 'classifier' })),
          },
          { policy, now: services.clock.now() },
        ),
      )
    : { outcome: 'none', reason: 'The sender is not a known prospect.', stage: dealStageFor(policy.rules, 'positive_reply') };
  const dealId = gate.outcome === 'create' && prospect ? dealIdForReply(tenantId, message.id) : gate.outcome === 'update' ? gate.dealId : undefined;
  const pendingDealApprovalId = gate.outcome === 'ask' && prospect ? approvalIdFor(`deal:${message.id}${round}`) : undefined;
  const suggestedContact = suggestedContactFor(classification);
  return {
    gate,
    existingDeals,
    round,
    triage: {
      nextAction: nextActionFor(classification.label, gate.outcome, classification, prospect),
      ...(suggestedContact ? { suggestedContact } : {}),
      ...(classification.label === 'positive' ? { intentAt: services.clock.now().toISOString() } : {}),
      ...(dealId ? { dealId } : {}),
      ...(pendingDealApprovalId ? { pendingDealApprovalId } : {}),
    },
  };
}

/**
 * When gating asks a Manager: the "Create deal?" approval, made before the reply's record names it so that
 * whoever reads the record finds the approval waiting. Answers what the orchestrator waits for. Keyed by the
 * reply (and correction round), so asking again changes nothing.
 */
export async function askForDeal(services: Services, reply: ReplyToGate, { gate, round }: DealPlan): Promise<DealGated> {
  const { message, prospect, classification, tenantId } = reply;
  if (gate.outcome !== 'ask' || !prospect) return { outcome: 'done' };
  const approval = await createApproval(services, {
    key: `deal:${message.id}${round}`,
    ...aboutReply(tenantId, message, prospect, classification),
    kind: 'deal_create',
    decision: { gate: gate.outcome, reason: gate.reason, suggestedStage: gate.stage },
    instanceId: reply.instanceId,
    correlationId: reply.correlationId,
  });
  return { outcome: 'ask', approvalId: approval.id, expiresAt: approval.expiresAt };
}

/**
 * The rest of what gating decided, once the reply's record says so (whoever sees the deal finds the reply
 * triaged): a positive reply's intent audited, the deal created or advanced. Each is keyed by the reply (and
 * correction round), so doing it again changes nothing.
 */
export async function makeDeal(services: Services, reply: ReplyToGate, { gate, existingDeals, round }: DealPlan): Promise<void> {
  const { message, prospect, classification, tenantId } = reply;
  if (!prospect) return;
  if (classification.label === 'positive') {
    await services.audit.append(tenantId, {
      actor: { type: 'system', id: 'triage' },
      type: 'intent.positive_reply',
      correlationId: reply.correlationId,
      idempotencyKey: `intent:${message.id}${round}`,
      payload: { messageId: message.id, prospectId: prospect.id, confidence: classification.confidence, gate: gate.outcome },
    });
  }
  if (gate.outcome === 'create') {
    await createDealFromReply(services, dealFromReply({ ...reply, prospect }, { stage: gate.stage, actor: { type: 'system', id: 'deal-gating' } }));
  } else if (gate.outcome === 'update') {
    const deal = existingDeals.find((candidate) => candidate.id === gate.dealId)!;
    await advanceDeal(services, deal, gate.stage, reply.correlationId, gate.reason);
  }
}

/** The audit payload of a gating outcome. */
export function gatedPayload({ gate, triage }: DealPlan) {
  return { outcome: gate.outcome, reason: gate.reason, dealId: triage.dealId ?? null, nextAction: triage.nextAction?.kind ?? null };
}
