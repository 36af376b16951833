import * as df from 'durable-functions';
import type { OrchestrationContext, OrchestrationHandler } from 'durable-functions';
import { sha256 } from '@asep/shared/audit/chain';
import type { ReplyClassification } from '@asep/shared/classification/schema';
import type { DealStage } from '@asep/shared/deals/deal';
import type { SuggestedContact } from '@asep/shared/insights/insight';
import type { PolicyDecision } from '@asep/shared/policy/decision';
import { dealStageFor } from '@asep/shared/policy/deal-rules';
import { evaluateDealPolicy } from '@asep/shared/policy/evaluate';
import { gateReplyAction } from '@asep/shared/policy/reply-actions';
import { emailDomain } from '@asep/shared/prospects/prospect';
import { addBusinessDays } from '@asep/shared/sequence/business-days';
import { getServices, type Services } from '../composition/services';
import { createApproval, expireApproval, approvalEventName } from '../approvals/approvals';
import { pauseProspectSequences, retryBouncedStep, stopProspectSequences } from '../campaigns/campaigns';
import { createDealFromReply, dealsFor, advanceDeal, type DealFromReply } from '../deals/deals';
import { recentSoftBounces, softBounceLimit, softBounceRetryBusinessDays } from '../deliverability/bounces';
import { evaluateCanary } from '../deliverability/canary';
import { resumeAfterAbsence } from '../deliverability/out-of-office';
import type { MessageRecord, Touch } from '../mail/message';
import { findTouchForReply } from '../mail/message-index';
import { currentPolicy } from '../policies/policies';
import { findProspect, prospectId } from '../prospects/prospects';
import type { ProspectRecord } from '../prospects/records';
import { suppress } from '../prospects/suppression';
import { triageOrchestration, type TriageInput } from './contracts/triage';
import { aboutReply, awaitReplyReview, confirmReviewedLabel, requestReplyReview, type ReviewDecision } from './reply-review';

interface Classified {
  outcome: 'classified' | 'ignored' | 'review';
  reason?: string;
  label?: ReplyClassification['label'];
  /** For `review`: the approval a person answers before anything is done. */
  approvalId?: string;
  expiresAt?: string;
}

type Gated = { outcome: 'done' } | { outcome: 'ask'; approvalId: string; expiresAt: string };

interface DealDecision {
  approved: boolean;
  stage?: DealStage;
  amount?: number;
  by: { id: string; name?: string };
}

const triageOrchestrator: OrchestrationHandler = function* (context: OrchestrationContext) {
  const input = context.df.getInput<TriageInput>();
  const classified: Classified = input.regate ? { outcome: 'classified' } : yield classifyReply({ ...input, instanceId: context.df.instanceId });
  if (classified.outcome === 'ignored') return classified.reason;
  if (classified.outcome === 'review') {
    const reviewed = yield* awaitReplyReview(context, input, classified.approvalId!, classified.expiresAt!);
    if (!reviewed) return 'reply review not confirmed; nothing applied';
  }
  const gated: Gated = yield gateReply({ ...input, instanceId: context.df.instanceId });
  if (gated.outcome !== 'ask') return classified.label;

  const decided = context.df.waitForExternalEvent(approvalEventName(gated.approvalId));
  const expiry = context.df.createTimer(new Date(gated.expiresAt));
  const winner = yield context.df.Task.any([decided, expiry]);
  if (winner === expiry) {
    yield expireDealPrompt({ ...input, approvalId: gated.approvalId });
    return 'deal prompt expired';
  }
  expiry.cancel();
  const decision = decided.result as DealDecision;
  if (decision.approved) yield createApprovedDeal({ ...input, decision });
  return decision.approved ? 'deal created after approval' : 'deal skipped';
};
df.app.orchestration(triageOrchestration.name, triageOrchestrator);

/** The deal a classified reply earns, decided by gating or by a Manager. */
function dealFromReply(
  input: TriageInput,
  message: MessageRecord,
  prospect: ProspectRecord,
  classification: ReplyClassification,
  decided: Pick<DealFromReply, 'stage' | 'actor'> & { amount?: number },
): DealFromReply {
  return {
    tenantId: input.tenantId,
    prospect,
    sourceMessageId: message.id,
    campaignId: message.campaignId,
    confidence: classification.confidence,
    excerpt: classification.evidence.excerpt,
    correlationId: input.correlationId,
    ...decided,
  };
}

async function loadMessage(services: Services, input: TriageInput): Promise<MessageRecord> {
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
 * What a reply means for the prospect. An unsubscribe suppresses the address (consent withdrawn by reply) and
 * stops every sequence emailing them; a hard bounce, or a third soft bounce within two weeks, suppresses it too;
 * a soft bounce sends the bounced step again a business day later. Out of office pauses their sequences until
 * the business day after they are back, unless they left the company: then the address is suppressed. Any other
 * reply ends the sequence that was answered.
 */
async function applyReply(
  services: Services,
  durable: df.DurableClient,
  message: MessageRecord,
  classification: ReplyClassification,
  prospect: ProspectRecord,
  touch: Touch | undefined,
  correlationId: string,
): Promise<void> {
  const { tenantId } = message;
  const source = `reply:${message.id}`;
  switch (classification.label) {
    case 'unsubscribe':
      await suppress(services, tenantId, prospect.email, 'unsubscribe', source, correlationId, {
        method: 'reply',
        at: message.at,
        sourceMessageId: message.internetMessageId,
      });
      await stopProspectSequences(services, durable, tenantId, prospect.id, 'prospect unsubscribed');
      return;
    case 'bounce': {
      const soft = classification.bounce?.kind === 'soft';
      if (soft && (await recentSoftBounces(services, tenantId, prospect.id)) < softBounceLimit.bounces) {
        const retryAt = addBusinessDays(services.clock.now(), softBounceRetryBusinessDays, prospect.timeZone ?? 'UTC');
        if (touch) await retryBouncedStep(durable, touch, retryAt.toISOString(), correlationId);
        return;
      }
      await suppress(services, tenantId, prospect.email, 'bounce', source, correlationId);
      await stopProspectSequences(services, durable, tenantId, prospect.id, soft ? 'repeated soft bounces' : 'hard bounce');
      return;
    }
    case 'ooo': {
      if (classification.ooo?.leftCompany) {
        await suppress(services, tenantId, prospect.email, 'left_company', source, correlationId);
        await stopProspectSequences(services, durable, tenantId, prospect.id, 'prospect left the company');
        return;
      }
      const { rules } = await currentPolicy(services, tenantId);
      const until = resumeAfterAbsence(
        classification.ooo?.returnDate,
        prospect.timeZone ?? 'UTC',
        services.clock.now(),
        rules.ooo.defaultPauseBusinessDays,
      );
      await pauseProspectSequences(services, durable, tenantId, prospect.id, until.toISOString());
      return;
    }
    default:
      await services.store.prospects.update(prospect.pk, prospect.id, (current) =>
        ['replied', 'unsubscribed', 'bounced', 'suppressed'].includes(current.status)
          ? undefined
          : { ...current, status: 'replied', updatedAt: services.clock.now().toISOString() },
      );
      if (touch?.instanceId)
        await stopProspectSequences(services, durable, tenantId, prospect.id, `prospect replied (${classification.label})`, [touch.instanceId]);
  }
}

/**
 * Classifies the reply, stores the result with its evidence, applies what the label means for the prospect
 * (`applyReply`), and checks the canary the reply belongs to.
 */
const classifyReply = df.app.activity('triageClassify', {
  extraInputs: [df.input.durableClient()],
  handler: async (input: TriageInput & { instanceId: string }, invocation): Promise<Classified> => {
    const services = await getServices();
    const message = await loadMessage(services, input);
    if (message.triage?.status === 'done') return { outcome: 'classified', label: message.triage.classification?.label };
    const touch = await matchTouch(services, message);
    const ownMailbox = touch?.mailbox === message.from;
    if (ownMailbox) {
      await services.store.messages.replace({ ...message, triage: { status: 'unmatched' } });
      return { outcome: 'ignored', reason: 'sent by our own mailbox' };
    }
    const classification = await services.classify(
      { subject: message.subject, body: message.body, from: message.from, headers: message.headers, date: message.at },
      input.tenantId,
    );
    const bouncedAddress = classification.label === 'bounce' ? (classification.bounce?.recipient ?? touch?.to) : undefined;
    const prospectKey = touch?.prospectId ?? prospectId(input.tenantId, bouncedAddress ?? message.from);
    const prospect = await findProspect(services, input.tenantId, prospectKey);
    await services.store.messages.replace({
      ...message,
      prospectId: prospect?.id,
      campaignId: touch?.campaignId,
      instanceId: touch?.instanceId,
      triage: { status: 'done', classification, matchedTouchId: touch?.id },
    });
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
      },
    });
    if (!prospect) return { outcome: 'classified', label: classification.label };

    const { rules } = await currentPolicy(services, input.tenantId);
    const gate = gateReplyAction(classification, rules.replies);
    if (!gate.act) {
      const approval = await requestReplyReview(services, { ...input, message, prospect, classification, reason: gate.reason });
      return { outcome: 'review', label: classification.label, approvalId: approval.id, expiresAt: approval.expiresAt };
    }
    await applyReply(services, df.getClient(invocation), message, classification, prospect, touch, input.correlationId);
    // A reply to a canary counts towards its thresholds at once.
    if (touch?.campaignId) await evaluateCanary(services, input.tenantId, touch.campaignId, input.correlationId);
    return { outcome: 'classified', label: classification.label };
  },
});

/** A person confirmed (or picked) a reviewed reply's label: apply it exactly as the confident path would have, once. */
df.app.activity('triageApplyReview', {
  extraInputs: [df.input.durableClient()],
  handler: async (input: TriageInput & { decision: ReviewDecision }, invocation) => {
    const services = await getServices();
    const confirmed = await confirmReviewedLabel(services, input);
    if (!confirmed) return;
    const { message, classification, prospect, touch } = confirmed;
    await applyReply(services, df.getClient(invocation), message, classification, prospect, touch, input.correlationId);
  },
});

function nextActionFor(label: ReplyClassification['label'], gate: string, classification: ReplyClassification, prospect: ProspectRecord | undefined) {
  const referral = classification.ooo?.referral;
  const referralName = referral?.name ?? referral?.email;
  switch (label) {
    case 'positive':
      return gate === 'ask'
        ? {
            kind: 'await_deal_decision',
            label: 'A Manager decides whether to create the deal',
            detail: 'A "Create deal?" card went to the campaign’s managers.',
          }
        : { kind: 'book_meeting', label: 'Propose meeting times', detail: 'Offer two or three slots from your calendar.' };
    case 'objection':
      return { kind: 'handle_objection', label: 'Answer the objection personally', detail: 'The sequence has stopped; reply yourself.' };
    case 'neutral':
      return { kind: 'follow_up', label: 'Follow up personally', detail: 'The sequence has stopped; answer their question.' };
    case 'unsubscribe':
      return { kind: 'none', label: 'Nothing more: the address is suppressed', detail: 'All sequences for this contact were stopped.' };
    case 'ooo':
      if (classification.ooo?.leftCompany) {
        return referralName
          ? {
              kind: 'contact_referral',
              label: `They left the company: consider contacting ${referralName}`,
              detail: 'The address is suppressed and its sequences stopped.',
            }
          : {
              kind: 'find_new_contact',
              label: 'They left the company: find who took over',
              detail: 'The address is suppressed and its sequences stopped.',
            };
      }
      return referralName
        ? { kind: 'contact_referral', label: `Consider contacting ${referralName}`, detail: referral?.email ?? 'Named in the out-of-office reply.' }
        : {
            kind: 'wait',
            label: classification.ooo?.returnDate ? `Wait until ${classification.ooo.returnDate}` : 'Wait for their return',
            detail: 'The sequence is paused until the business day after they are back.',
          };
    case 'bounce':
      return classification.bounce?.kind === 'soft' && prospect?.status !== 'bounced'
        ? { kind: 'retry_later', label: 'Temporary failure: the email is sent again in a business day' }
        : { kind: 'find_new_address', label: 'The address is dead and suppressed: find another contact' };
  }
}

/** Who to write to instead, when a reply names someone (a deputy, a successor, the right person). */
function suggestedContactFor(classification: ReplyClassification): SuggestedContact | undefined {
  const referral = classification.ooo?.referral ?? classification.referral;
  if (!referral?.name && !referral?.email) return undefined;
  const reason = classification.ooo?.leftCompany
    ? 'Named as the contact now that they have left the company'
    : classification.ooo
      ? 'Named to contact while they are away'
      : 'Named in the reply as the right person to talk to';
  return { ...referral, reason };
}

interface Gate {
  outcome: 'create' | 'update' | 'ask' | 'none';
  reason: string;
  stage: DealStage;
  dealId?: string;
}

/** The deal policy's decision as gating acts on it: anything the policy blocks (no evidence, say) makes no deal. */
function gateOf(decision: PolicyDecision): Gate {
  const { outcome, stage, dealId } = decision.deal!;
  return {
    outcome: decision.allow ? outcome : 'none',
    reason: decision.reasons.map((reason) => reason.message).join(' '),
    stage,
    ...(dealId ? { dealId } : {}),
  };
}

/** Deal gating: creates or updates the deal, asks a Manager, or leaves it; then records the next action. */
const gateReply = df.app.activity('triageGateDeal', {
  handler: async (input: TriageInput & { instanceId: string }): Promise<Gated> => {
    const services = await getServices();
    const message = await loadMessage(services, input);
    const classification = message.triage?.classification;
    if (!classification) return { outcome: 'done' };
    // Each human correction gates again, under keys of its own.
    const round = message.triage?.corrections?.length ? `:${message.triage.corrections.length}` : '';
    const prospect = message.prospectId ? await findProspect(services, input.tenantId, message.prospectId) : undefined;
    const policy = await currentPolicy(services, input.tenantId);
    const contactEmail = prospect?.email ?? message.from;
    const companyDomain = prospect?.domain ?? emailDomain(message.from);
    const existingDeals = prospect ? await dealsFor(services, input.tenantId, contactEmail, companyDomain) : [];
    const gate: Gate = prospect
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

    let dealId: string | undefined;
    let pendingDealApprovalId: string | undefined;
    let asked: Gated = { outcome: 'done' };
    if (classification.label === 'positive' && prospect) {
      await services.audit.append(input.tenantId, {
        actor: { type: 'system', id: 'triage' },
        type: 'intent.positive_reply',
        correlationId: input.correlationId,
        idempotencyKey: `intent:${message.id}${round}`,
        payload: { messageId: message.id, prospectId: prospect.id, confidence: classification.confidence, gate: gate.outcome },
      });
    }
    if (gate.outcome === 'create' && prospect) {
      const deal = await createDealFromReply(
        services,
        dealFromReply(input, message, prospect, classification, { stage: gate.stage, actor: { type: 'system', id: 'deal-gating' } }),
      );
      dealId = deal.id;
    } else if (gate.outcome === 'update') {
      const deal = existingDeals.find((candidate) => candidate.id === gate.dealId)!;
      dealId = (await advanceDeal(services, deal, gate.stage, input.correlationId, gate.reason)).id;
    } else if (gate.outcome === 'ask' && prospect) {
      const approval = await createApproval(services, {
        key: `deal:${message.id}${round}`,
        ...aboutReply(input.tenantId, message, prospect, classification),
        kind: 'deal_create',
        decision: { gate: gate.outcome, reason: gate.reason, suggestedStage: gate.stage },
        instanceId: input.instanceId,
        correlationId: input.correlationId,
      });
      pendingDealApprovalId = approval.id;
      asked = { outcome: 'ask', approvalId: approval.id, expiresAt: approval.expiresAt };
    }
    const nextAction = nextActionFor(classification.label, gate.outcome, classification, prospect);
    const suggestedContact = suggestedContactFor(classification);
    await services.store.messages.update(message.pk, message.id, (current) => ({
      ...current,
      triage: {
        ...current.triage!,
        nextAction,
        ...(suggestedContact ? { suggestedContact } : {}),
        ...(classification.label === 'positive' ? { intentAt: services.clock.now().toISOString() } : {}),
        ...(dealId ? { dealId } : {}),
        ...(pendingDealApprovalId ? { pendingDealApprovalId } : {}),
      },
    }));
    await services.audit.append(input.tenantId, {
      actor: { type: 'system', id: 'deal-gating' },
      type: 'deal.gated',
      correlationId: input.correlationId,
      idempotencyKey: `deal.gated:${message.id}${round}`,
      payload: { messageId: message.id, outcome: gate.outcome, reason: gate.reason, dealId: dealId ?? null, nextAction: nextAction.kind },
    });
    return asked;
  },
});

const createApprovedDeal = df.app.activity('triageCreateApprovedDeal', {
  handler: async (input: TriageInput & { decision: DealDecision }) => {
    const services = await getServices();
    const message = await loadMessage(services, input);
    const prospect = message.prospectId ? await findProspect(services, input.tenantId, message.prospectId) : undefined;
    const classification = message.triage?.classification;
    if (!prospect || !classification) return;
    const { rules } = await currentPolicy(services, input.tenantId);
    const deal = await createDealFromReply(
      services,
      dealFromReply(input, message, prospect, classification, {
        stage: input.decision.stage ?? dealStageFor(rules, 'positive_reply'),
        amount: input.decision.amount,
        actor: { type: 'user', ...input.decision.by },
      }),
    );
    await services.store.messages.update(message.pk, message.id, (current) => ({
      ...current,
      triage: {
        ...current.triage!,
        dealId: deal.id,
        pendingDealApprovalId: undefined,
        nextAction: { kind: 'book_meeting', label: 'Propose meeting times' },
      },
    }));
  },
});

const expireDealPrompt = df.app.activity('triageExpireDealPrompt', {
  handler: async (input: TriageInput & { approvalId: string }) => {
    await expireApproval(await getServices(), input.tenantId, input.approvalId, input.correlationId);
  },
});
