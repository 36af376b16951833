import { z } from 'zod';
import { changeKey } from '@asep/shared/audit/change-key';
import { campaignIdSchema } from '@asep/shared/ids/ids';
import { prospectFieldsSchema, prospectStatusSchema, type ProspectStatus } from '@asep/shared/prospects/prospect';
import type { Services } from '../composition/services';
import { registerApi } from '../http/api';
import { pageQuerySchema, pageResponse, queryPage, type Page, type PageQuery } from '../http/paging';
import { saveProspect, toProspect } from './prospects';
import type { ProspectRecord } from './records';
import { suppress } from './suppression';
import './import/routes';

registerApi(
  'prospectsCreate',
  { route: 'v1/prospects', methods: ['POST'], permission: 'prospects.import', body: prospectFieldsSchema.strict() },
  async ({ services, principal, body, correlationId, requestId }) => {
    const { created, record } = await saveProspect(services, principal.tenantId, body);
    const outcome = { imported: created ? 1 : 0, updated: created ? 0 : 1 };
    await services.audit.append(principal.tenantId, {
      actor: { type: 'user', id: principal.userId, name: principal.name },
      type: 'prospects.imported',
      correlationId,
      idempotencyKey: changeKey('prospects.imported', record.id, outcome, requestId),
      payload: { ...outcome, skipped: 0 },
    });
    return { status: created ? 201 : 200, body: toProspect(record) };
  },
);

registerApi(
  'prospectsList',
  {
    route: 'v1/prospects',
    methods: ['GET'],
    permission: 'prospects.read',
    query: pageQuerySchema.extend({ campaignId: campaignIdSchema.optional(), status: prospectStatusSchema.optional() }),
  },
  async ({ services, principal, query }) => {
    if (query.campaignId) return pageResponse(await campaignProspectsPage(services, principal.tenantId, query), toProspect);
    const page = await queryPage(services.store.prospects, principal.tenantId, query, {
      ...(query.status ? { where: 'c.status = @status', parameters: [{ name: '@status', value: query.status }] } : {}),
      orderBy: 'c.email',
    });
    return pageResponse(page, toProspect);
  },
);

/**
 * A campaign's prospects, in the order they were enrolled: a page of its enrolments, their prospects read in bulk.
 * Filtered by status, a page may hold fewer than `limit` prospects; its continuation token still leads on.
 */
async function campaignProspectsPage(
  services: Services,
  tenantId: string,
  query: PageQuery & { campaignId?: string; status?: ProspectStatus },
): Promise<Page<ProspectRecord>> {
  const enrolled = await queryPage(services.store.enrolments, tenantId, query, {
    where: 'c.campaignId = @campaignId',
    parameters: [{ name: '@campaignId', value: query.campaignId! }],
    orderBy: 'c.ordinal',
  });
  const prospects = await services.store.forTenant(tenantId).prospects.readEach(enrolled.items.map((enrolment) => enrolment.prospectId));
  return {
    items: prospects.filter((prospect): prospect is ProspectRecord => prospect !== undefined && (!query.status || prospect.status === query.status)),
    ...(enrolled.continuationToken ? { continuationToken: enrolled.continuationToken } : {}),
  };
}

registerApi(
  'suppressionsCreate',
  {
    route: 'v1/suppressions',
    methods: ['POST'],
    permission: 'replies.correct',
    body: z.strictObject({ email: z.string().trim().toLowerCase().pipe(z.email()), reason: z.string().max(500).optional() }),
  },
  async ({ services, principal, body, correlationId }) => {
    await suppress(services, principal.tenantId, body.email, 'manual', `user:${principal.userId}`, correlationId, {
      consent: { method: 'manual', at: services.clock.now().toISOString() },
    });
    return { status: 201, body: { suppressed: body.email } };
  },
);
