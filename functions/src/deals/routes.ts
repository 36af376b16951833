import { registerApi } from '../http/api';
import { pageQuerySchema, pageResponse, queryPage } from '../http/paging';
import { toDeal } from './deals';

registerApi(
  'dealsList',
  { route: 'v1/deals', methods: ['GET'], permission: 'deals.read', query: pageQuerySchema },
  async ({ services, principal, query }) =>
    pageResponse(await queryPage(services.store.deals, principal.tenantId, query, { orderBy: 'c.createdAt DESC' }), toDeal),
);
