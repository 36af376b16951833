import { registerApi } from '../http/api';
import { toDeal } from './deals';

registerApi('dealsList', { route: 'v1/deals', methods: ['GET'], permission: 'deals.read' }, async ({ services, principal }) => ({
  body: (await services.store.deals.query(principal.tenantId, 'true', [], 'ORDER BY c.createdAt DESC')).map(toDeal),
}));
