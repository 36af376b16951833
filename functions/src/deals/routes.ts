import { z } from 'zod';
import { dealChangeSchema, dealStageSchema } from '@asep/shared/deals/deal';
import { campaignIdSchema, dealIdSchema } from '@asep/shared/ids/ids';
import { registerApi } from '../http/api';
import { equalityFilter, pageQuerySchema, pageResponse, queryPage } from '../http/paging';
import { changeDeal, toDeal } from './deals';

registerApi(
  'dealsList',
  {
    route: 'v1/deals',
    methods: ['GET'],
    permission: 'deals.read',
    query: pageQuerySchema.extend({ stage: dealStageSchema.optional(), campaignId: campaignIdSchema.optional() }),
  },
  async ({ services, principal, query }) =>
    pageResponse(
      await queryPage(services.store.deals, principal.tenantId, query, {
        ...equalityFilter({ stage: query.stage, campaignId: query.campaignId }),
        orderBy: 'c.createdAt DESC',
      }),
      toDeal,
    ),
);

registerApi(
  'dealsChange',
  { route: 'v1/deals/{id}', methods: ['PATCH'], permission: 'deals.write', params: z.object({ id: dealIdSchema }), body: dealChangeSchema },
  async ({ services, principal, params, body, requestId, correlationId }) => ({
    body: toDeal(await changeDeal(services, principal, params.id!, body, requestId, correlationId)),
  }),
);
