import { z } from 'zod';
import { registerApi } from '../http/api';

registerApi(
  'auditList',
  {
    route: 'v1/audit',
    methods: ['GET'],
    permission: 'audit.read',
    query: z.object({ after: z.coerce.number().int().min(0).default(0), limit: z.coerce.number().int().min(1).max(1000).default(100) }),
  },
  async ({ services, principal, query }) => ({ body: await services.audit.list(principal.tenantId, query.after, query.limit) }),
);

registerApi('auditVerify', { route: 'v1/audit/verify', methods: ['GET'], permission: 'audit.read' }, async ({ services, principal }) => {
  const { valid, count, head, firstBrokenSeq } = await services.audit.verify(principal.tenantId);
  return { body: { valid, count, head, ...(firstBrokenSeq !== undefined ? { firstBrokenSeq } : {}) } };
});
