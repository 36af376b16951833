import { z } from 'zod';
import { changeKey } from '@asep/shared/audit/change-key';
import { campaignIdSchema } from '@asep/shared/ids/ids';
import { parseProspectCsv } from '@asep/shared/prospects/import-csv';
import { prospectFieldsSchema, prospectStatusSchema } from '@asep/shared/prospects/prospect';
import { registerApi } from '../http/api';
import { findProspect, prospectId, saveProspects, toProspect } from './prospects';
import { suppress } from './suppression';

registerApi(
  'prospectsImport',
  { route: 'v1/prospects/import', methods: ['POST'], permission: 'prospects.import', textBody: 'text/csv', maxBodyBytes: 10_000_000 },
  async ({ services, principal, body, correlationId, requestId }) => {
    const { prospects, errors } = parseProspectCsv(body as unknown as string);
    const { imported, updated } = await saveProspects(services, principal.tenantId, prospects);
    await services.audit.append(principal.tenantId, {
      actor: { type: 'user', id: principal.userId, name: principal.name },
      type: 'prospects.imported',
      correlationId,
      idempotencyKey: changeKey('prospects.imported', principal.tenantId, { imported, updated }, requestId),
      payload: { imported, updated, skipped: errors.length },
    });
    return { body: { imported, updated, skipped: errors.length, errors } };
  },
);

registerApi(
  'prospectsCreate',
  { route: 'v1/prospects', methods: ['POST'], permission: 'prospects.import', body: prospectFieldsSchema.strict() },
  async ({ services, principal, body, correlationId, requestId }) => {
    const { imported, updated } = await saveProspects(services, principal.tenantId, [body]);
    const prospect = await findProspect(services, principal.tenantId, prospectId(principal.tenantId, body.email));
    await services.audit.append(principal.tenantId, {
      actor: { type: 'user', id: principal.userId, name: principal.name },
      type: 'prospects.imported',
      correlationId,
      idempotencyKey: changeKey('prospects.imported', prospect!.id, { imported, updated }, requestId),
      payload: { imported, updated, skipped: 0 },
    });
    return { status: imported ? 201 : 200, body: toProspect(prospect!) };
  },
);

registerApi(
  'prospectsList',
  {
    route: 'v1/prospects',
    methods: ['GET'],
    permission: 'prospects.read',
    query: z.object({ campaignId: campaignIdSchema.optional(), status: prospectStatusSchema.optional() }),
  },
  async ({ services, principal, query }) => {
    let records = await services.store.prospects.query(
      principal.tenantId,
      query.status ? 'c.status = @status' : 'true',
      query.status ? [{ name: '@status', value: query.status }] : [],
      'ORDER BY c.email',
    );
    if (query.campaignId) {
      const campaign = await services.store.campaigns.read(principal.tenantId, query.campaignId);
      const enrolled = new Set(campaign?.tenantId === principal.tenantId ? campaign.enrolledProspectIds : []);
      records = records.filter((record) => enrolled.has(record.id));
    }
    return { body: records.map(toProspect) };
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
