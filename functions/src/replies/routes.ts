import { z } from 'zod';
import { replyLabelSchema } from '@asep/shared/classification/schema';
import type { SqlParameter } from '@azure/cosmos';
import { campaignIdSchema, internetMessageIdSchema } from '@asep/shared/ids/ids';
import { replyStatusSchema, type ListedReply } from '@asep/shared/insights/listed-reply';
import type { Services } from '../composition/services';
import { registerApi } from '../http/api';
import { pageQuerySchema, pageResponse, queryPage } from '../http/paging';
import type { MessageRecord } from '../mail/message';
import { findReceived } from '../mail/message-index';
import { badRequest, notFound } from '../http/problem';
import { regateInstanceId } from '../orchestrations/instance-ids';
import { startOrchestration } from '../orchestrations/contracts/contract';
import { triageOrchestration, type TriageInput } from '../orchestrations/contracts/triage';
import { findProspect } from '../prospects/prospects';

async function findReply(services: Services, tenantId: string, internetMessageId: string) {
  const message = await findReceived(services, tenantId, internetMessageId);
  if (!message?.triage?.classification) throw notFound(`A triaged reply with internet message id ${internetMessageId}`);
  return message;
}

/**
 * A person corrects a reply's label. The correction is kept beside the classifier's own answer (for the
 * tenant's precision report), audited, and deal gating runs again on the corrected label.
 */
registerApi(
  'replyCorrectLabel',
  {
    route: 'v1/replies/{internetMessageId}/label',
    methods: ['POST'],
    permission: 'replies.correct',
    params: z.object({ internetMessageId: internetMessageIdSchema }),
    body: z.strictObject({ label: replyLabelSchema, note: z.string().max(1000).optional() }),
  },
  async ({ services, principal, body, params, durable, correlationId }) => {
    const internetMessageId = params.internetMessageId!;
    const message = await findReply(services, principal.tenantId, internetMessageId);
    const current = message.triage!.classification!;
    if (current.label === body.label) throw badRequest(`The reply is already labelled ${body.label}.`);
    const corrections = (message.triage!.corrections ?? []).length + 1;
    const updated = await services.store.messages.update(message.pk, message.id, (record) => ({
      ...record,
      triage: {
        ...record.triage!,
        originalLabel: record.triage!.originalLabel ?? current.label,
        classification: {
          ...current,
          label: body.label,
          confidence: 1,
          evidence: {
            ...current.evidence,
            trace: [
              ...current.evidence.trace,
              { step: 'human correction', detail: `${principal.name} changed ${current.label} to ${body.label}${body.note ? `: ${body.note}` : ''}` },
            ],
          },
        },
        corrections: [
          ...(record.triage!.corrections ?? []),
          { from: current.label, to: body.label, by: principal.userId, at: services.clock.now().toISOString() },
        ],
      },
    }));
    await services.audit.append(principal.tenantId, {
      actor: { type: 'user', id: principal.userId, name: principal.name },
      type: 'reply.corrected',
      correlationId,
      idempotencyKey: `reply.corrected:${message.id}:${corrections}`,
      payload: { messageId: message.id, from: current.label, to: body.label },
    });
    if (body.label === 'positive' && message.prospectId) {
      const prospect = await findProspect(services, principal.tenantId, message.prospectId);
      if (prospect && prospect.status !== 'replied') {
        await services.store.prospects.update(prospect.pk, prospect.id, (p) => ({
          ...p,
          status: 'replied',
          updatedAt: services.clock.now().toISOString(),
        }));
      }
    }
    const input: TriageInput = { tenantId: principal.tenantId, messageId: message.id, correlationId, regate: true };
    await startOrchestration(durable, triageOrchestration, regateInstanceId(principal.tenantId, message.id, corrections), input);
    return { body: { internetMessageId, label: body.label, originalLabel: updated!.triage!.originalLabel } };
  },
);

registerApi(
  'crmLogReply',
  { route: 'v1/crm/log', methods: ['POST'], permission: 'replies.correct', body: z.strictObject({ internetMessageId: internetMessageIdSchema }) },
  async ({ services, principal, body, correlationId }) => {
    const message = await findReply(services, principal.tenantId, body.internetMessageId);
    const ref = await services.crm.logEngagement(principal.tenantId, {
      engagementId: `reply:${message.id}`,
      type: 'email',
      contactEmail: message.from,
      dealId: message.triage?.dealId,
      subject: message.subject,
      body: message.body.slice(0, 65_000),
      at: message.at,
    });
    await services.audit.append(principal.tenantId, {
      actor: { type: 'user', id: principal.userId, name: principal.name },
      type: 'crm.logged',
      correlationId,
      idempotencyKey: `crm.logged:${message.id}`,
      payload: { messageId: message.id, crm: ref.system, crmId: ref.id },
    });
    return { body: { logged: true, crm: ref } };
  },
);

/** A reply as the list shows it: who wrote, when, and what triage made of it (the body stays with the reply). */
function listedReply(message: MessageRecord): ListedReply {
  const classification = message.triage?.classification;
  return {
    internetMessageId: message.internetMessageId,
    from: message.from,
    subject: message.subject,
    at: message.at,
    ...(message.campaignId ? { campaignId: message.campaignId } : {}),
    ...(message.prospectId ? { prospectId: message.prospectId } : {}),
    status: message.triage?.status ?? 'pending',
    ...(classification ? { label: classification.label, confidence: classification.confidence } : {}),
    ...(message.triage?.nextAction ? { nextAction: message.triage.nextAction } : {}),
    ...(message.triage?.dealId ? { dealId: message.triage.dealId } : {}),
  };
}

/** The tenant's replies, newest first, a page at a time; by campaign, triage status or label. */
registerApi(
  'repliesList',
  {
    route: 'v1/replies',
    methods: ['GET'],
    permission: 'insights.read',
    query: pageQuerySchema.extend({
      campaignId: campaignIdSchema.optional(),
      status: replyStatusSchema.optional(),
      label: replyLabelSchema.optional(),
    }),
  },
  async ({ services, principal, query }) => {
    const conditions = ["c.direction = 'inbound'"];
    const parameters: SqlParameter[] = [];
    if (query.campaignId) {
      conditions.push('c.campaignId = @campaignId');
      parameters.push({ name: '@campaignId', value: query.campaignId });
    }
    if (query.status) {
      conditions.push('c.triage.status = @status');
      parameters.push({ name: '@status', value: query.status });
    }
    if (query.label) {
      conditions.push('c.triage.classification.label = @label');
      parameters.push({ name: '@label', value: query.label });
    }
    const page = await queryPage(services.store.messages, principal.tenantId, query, {
      where: conditions.join(' AND '),
      parameters,
      orderBy: 'c.at DESC',
    });
    return pageResponse(page, listedReply);
  },
);
