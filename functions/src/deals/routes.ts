import { z } from 'zod';
import { dealChangeSchema } from '@asep/shared/deals/deal';
import { dealIdSchema } from '@asep/shared/ids/ids';
import { registerApi } from '../http/api';
import { pageQuerySchema, pageResponse, queryPage } from '../http/paging';
import { changeDeal, toDeal } from './deals';

registerApi(
  'dealsList',
  { route: 'v1/deals', methods: ['GET'], permission: 'deals.read', query: pageQuerySchema },
  async ({ services, principal, query }) =>
    pageResponse(await queryPage(services.store.deals, principal.tenantId, query, { orderBy: 'c.createdAt DESC' }), toDeal),
);

registerApi(
  'dealsChange',
  { route: 'v1/deals/{id}', methods: ['PATCH'], permission: 'deals.write', params: z.object({ id: dealIdSchema }), body: dealChangeSchema },
  async ({ services, principal, params, body, requestId, correlationId }) => ({
    body: toDeal(await changeDeal(services, principal, params.id!, body, requestId, correlationId)),
  }),
);
