import { z } from 'zod';
import { registerApi } from '../http/api';
import { exportAuditBundle } from './export';

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

registerApi(
  'auditExport',
  { route: 'v1/audit/export', methods: ['GET'], permission: 'audit.read' },
  async ({ services, principal, correlationId, requestId }) => {
    const { zip } = await exportAuditBundle(services, principal, correlationId, requestId);
    return {
      body: zip,
      headers: { 'content-type': 'application/zip', 'content-disposition': `attachment; filename="asep-audit-${principal.tenantId}.zip"` },
    };
  },
);
