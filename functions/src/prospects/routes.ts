import type { SqlParameter } from '@azure/cosmos';
import { z } from 'zod';
import { changeKey } from '@asep/shared/audit/change-key';
import { campaignIdSchema } from '@asep/shared/ids/ids';
import { prospectFieldsSchema, prospectStatusSchema } from '@asep/shared/prospects/prospect';
import { registerApi } from '../http/api';
import { pageQuerySchema, pageResponse, queryPage } from '../http/paging';
import { saveProspect, toProspect } from './prospects';
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
    const conditions: string[] = [];
    const parameters: SqlParameter[] = [];
    if (query.status) {
      conditions.push('c.status = @status');
      parameters.push({ name: '@status', value: query.status });
    }
    if (query.campaignId) {
      const campaign = await services.store.campaigns.read(principal.tenantId, query.campaignId);
      conditions.push('ARRAY_CONTAINS(@enrolled, c.id)');
      parameters.push({ name: '@enrolled', value: campaign?.tenantId === principal.tenantId ? campaign.enrolledProspectIds : [] });
    }
    const page = await queryPage(services.store.prospects, principal.tenantId, query, {
      where: conditions.join(' AND ') || 'true',
      parameters,
      orderBy: 'c.email',
    });
    return pageResponse(page, toProspect);
  },
);

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
      method: 'manual',
      at: services.clock.now().toISOString(),
    });
    return { status: 201, body: { suppressed: body.email } };
  },
);
