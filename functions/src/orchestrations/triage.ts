import * as df from 'durable-functions';
import type { OrchestrationContext, OrchestrationHandler } from 'durable-functions';
import { sha256 } from '@asep/shared/audit/chain';
import type { ReplyClassification } from '@asep/shared/classification/schema';
import { gateDeal } from '@asep/shared/deals/gating';
import type { DealStage } from '@asep/shared/deals/deal';
import { displayName, emailDomain } from '@asep/shared/prospects/prospect';
import { hashedPartition } from '@asep/shared/tenancy/partitioning';
import { getServices, type Services } from '../composition/services';
import { createApproval, expireApproval, approvalEventName } from '../approvals/approvals';
import { createDealFromReply, dealsFor, advanceDeal } from '../deals/deals';
import type { MessageRecord } from '../mail/message';
import { currentPolicy } from '../policies/policies';
import { findProspect, prospectId } from '../prospects/prospects';
import { suppress } from '../prospects/suppression';

/** Reply triage: one instance per inbound message. */
export interface TriageInput {
  tenantId: string;
  messageId: string;
  correlationId: string;
  /** A person corrected the label: skip classification and gate the deal again on the corrected label. */
  regate?: boolean;
}

interface Classified {
  outcome: 'classified' | 'ignored';
  reason?: string;
  label?: ReplyClassification['label'];
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
  const classified: Classified = input.regate ? { outcome: 'classified' } : yield classifyReply(input);
  if (classified.outcome === 'ignored') return classified.reason;
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
df.app.orchestration('replyTriage', triageOrchestrator);

async function loadMessage(services: Services, input: TriageInput): Promise<MessageRecord> {
  const message = await services.store.messages.read(hashedPartition(input.tenantId, input.messageId), input.messageId);
  if (!message) throw new Error(`Inbound message ${input.messageId} is missing`);
  return message;
}

/** The touch this reply answers, found by its In-Reply-To and References headers only. */
async function matchTouch(services: Services, message: MessageRecord): Promise<MessageRecord | undefined> {
  const references = [message.inReplyTo, ...(message.references ?? [])].filter((id): id is string => Boolean(id));
  if (references.length === 0) return undefined;
  const touches = await services.store.messages.query(message.tenantId, "c.direction = 'outbound' AND ARRAY_CONTAINS(@refs, c.internetMessageId)", [
    { name: '@refs', value: references },
  ]);
  return touches.sort((a, b) => b.at.localeCompare(a.at))[0];
}

/** Stops every running sequence of the prospect (all campaigns for unsubscribes, else the one replied to). */
async function stopSequences(services: Services, durable: df.DurableClient, tenantId: string, prospect: string, onlyInstance: string | undefined, reason: string) {
  const touches = await services.store.messages.query(tenantId, "c.direction = 'outbound' AND c.prospectId = @prospectId", [{ name: '@prospectId', value: prospect }]);
  const instances = new Set(touches.map((touch) => touch.instanceId).filter((id): id is string => Boolean(id)));
  if (onlyInstance) instances.add(onlyInstance);
  for (const instanceId of instances) {
    if (onlyInstance && instanceId !== onlyInstance) continue;
    const status = await durable.getStatus(instanceId).catch(() => undefined);
    if (status && ['Running', 'Pending'].includes(String(status.runtimeStatus))) await durable.terminate(instanceId, reason);
  }
}

/**
 * Classifies the reply, stores the result with its evidence, and applies what the label means for the
 * prospect: suppression for unsubscribes and hard bounces, and the end of the sequence for any real reply.
 */
const classifyReply = df.app.activity('triageClassify', {
  extraInputs: [df.input.durableClient()],
  handler: async (input: TriageInput, invocation): Promise<Classified> => {
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

    const durable = df.getClient(invocation);
    const source = `reply:${message.id}`;
    switch (classification.label) {
      case 'unsubscribe':
        await suppress(services, input.tenantId, prospect.email, 'unsubscribe', source, input.correlationId);
        await stopSequences(services, durable, input.tenantId, prospect.id, undefined, 'prospect unsubscribed');
        break;
      case 'bounce':
        if (classification.bounce?.kind !== 'soft') {
          await suppress(services, input.tenantId, prospect.email, 'bounce', source, input.correlationId);
          await stopSequences(services, durable, input.tenantId, prospect.id, undefined, 'hard bounce');
        }
        break;
      case 'ooo':
        break;
      default:
        await services.store.prospects.update(prospect.pk, prospect.id, (current) =>
          current.status === 'replied' ? undefined : { ...current, status: 'replied', updatedAt: services.clock.now().toISOString() },
        );
        await stopSequences(services, durable, input.tenantId, prospect.id, touch?.instanceId, `prospect replied (${classification.label})`);
    }
    return { outcome: 'classified', label: classification.label };
  },
});

function nextActionFor(label: ReplyClassification['label'], gate: string, classification: ReplyClassification) {
  switch (label) {
    case 'positive':
      return gate === 'ask'
        ? { kind: 'await_deal_decision', label: 'A Manager decides whether to create the deal', detail: 'A "Create deal?" card went to the campaign’s managers.' }
        : { kind: 'book_meeting', label: 'Propose meeting times', detail: 'Offer two or three slots from your calendar.' };
    case 'objection':
      return { kind: 'handle_objection', label: 'Answer the objection personally', detail: 'The sequence has stopped; reply yourself.' };
    case 'neutral':
      return { kind: 'follow_up', label: 'Follow up personally', detail: 'The sequence has stopped; answer their question.' };
    case 'unsubscribe':
      return { kind: 'none', label: 'Nothing more: the address is suppressed', detail: 'All sequences for this contact were stopped.' };
    case 'ooo':
      return classification.ooo?.referral?.email
        ? { kind: 'contact_referral', label: `Consider contacting ${classification.ooo.referral.name ?? classification.ooo.referral.email}`, detail: classification.ooo.referral.email }
        : { kind: 'wait', label: classification.ooo?.returnDate ? `Wait until ${classification.ooo.returnDate}` : 'Wait for their return' };
    case 'bounce':
      return classification.bounce?.kind === 'soft'
        ? { kind: 'retry_later', label: 'Temporary failure: it will be retried later' }
        : { kind: 'find_new_address', label: 'The address is dead and suppressed: find another contact' };
  }
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
    const gate = prospect
      ? gateDeal({ label: classification.label, confidence: classification.confidence, contactEmail, companyDomain, existingDeals, now: services.clock.now() }, policy.rules.deals)
      : ({ outcome: 'none', reason: 'The sender is not a known prospect.' } as const);

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
      const deal = await createDealFromReply(services, {
        tenantId: input.tenantId,
        prospect,
        sourceMessageId: message.id,
        campaignId: message.campaignId,
        confidence: classification.confidence,
        stage: 'POSITIVE_REPLY',
        excerpt: classification.evidence.excerpt,
        correlationId: input.correlationId,
        actor: { type: 'system', id: 'deal-gating' },
      });
      dealId = deal.id;
    } else if (gate.outcome === 'update') {
      const deal = existingDeals.find((candidate) => candidate.id === gate.dealId)!;
      dealId = (await advanceDeal(services, deal, 'POSITIVE_REPLY', input.correlationId, gate.reason)).id;
    } else if (gate.outcome === 'ask' && prospect) {
      const approval = await createApproval(services, {
        key: `deal:${message.id}${round}`,
        tenantId: input.tenantId,
        kind: 'deal_create',
        campaignId: message.campaignId,
        prospectId: prospect.id,
        prospectName: displayName(prospect),
        company: prospect.company,
        to: prospect.email,
        subject: message.subject,
        evidence: {
          facts: classification.evidence.facts.map((fact) => ({ fact, source: 'classifier' })),
          excerpt: classification.evidence.excerpt,
          confidence: classification.confidence,
        },
        decision: { gate: gate.outcome, reason: gate.reason, suggestedStage: 'POSITIVE_REPLY' },
        instanceId: input.instanceId,
        correlationId: input.correlationId,
      });
      pendingDealApprovalId = approval.id;
      asked = { outcome: 'ask', approvalId: approval.id, expiresAt: approval.expiresAt };
    }
    const nextAction = nextActionFor(classification.label, gate.outcome, classification);
    await services.store.messages.update(message.pk, message.id, (current) => ({
      ...current,
      triage: {
        ...current.triage!,
        nextAction,
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
    const deal = await createDealFromReply(services, {
      tenantId: input.tenantId,
      prospect,
      sourceMessageId: message.id,
      campaignId: message.campaignId,
      confidence: classification.confidence,
      stage: input.decision.stage ?? 'POSITIVE_REPLY',
      amount: input.decision.amount,
      excerpt: classification.evidence.excerpt,
      correlationId: input.correlationId,
      actor: { type: 'user', ...input.decision.by },
    });
    await services.store.messages.update(message.pk, message.id, (current) => ({
      ...current,
      triage: { ...current.triage!, dealId: deal.id, pendingDealApprovalId: undefined, nextAction: { kind: 'book_meeting', label: 'Propose meeting times' } },
    }));
  },
});

const expireDealPrompt = df.app.activity('triageExpireDealPrompt', {
  handler: async (input: TriageInput & { approvalId: string }) => {
    await expireApproval(await getServices(), input.tenantId, input.approvalId, input.correlationId);
  },
});
