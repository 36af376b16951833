import { z } from 'zod';
import { registerApi } from '../http/api';
import { badRequest } from '../http/problem';
import { continuationHeader } from '../http/paging';
import { exportAuditBundle } from './export';

/** The audit list's token: the last sequence number handed out, and the filter it belongs to. */
function auditToken(seq: number, type: string | undefined): string {
  return Buffer.from(JSON.stringify({ s: seq, t: type ?? '' })).toString('base64url');
}

function auditTokenSeq(token: string, type: string | undefined): number {
  try {
    const decoded = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { s: unknown; t: unknown };
    if (typeof decoded.s === 'number' && Number.isInteger(decoded.s) && decoded.s >= 0 && decoded.t === (type ?? '')) return decoded.s;
  } catch {
    // answered below
  }
  throw badRequest('The continuationToken does not continue this list; start again without it.', [
    { field: 'continuationToken', message: 'not a token this list handed out' },
  ]);
}

registerApi(
  'auditList',
  {
    route: 'v1/audit',
    methods: ['GET'],
    permission: 'audit.read',
    query: z.object({
      /** Events after this sequence number (the chain's own cursor). */
      after: z.coerce.number().int().min(0).default(0),
      limit: z.coerce.number().int().min(1).max(1000).default(100),
      /** The `x-continuation-token` of the page before, as every list takes it. */
      continuationToken: z.string().max(200).optional(),
      type: z.string().max(100).regex(/^[a-zA-Z.]+$/).optional(),
    }),
  },
  async ({ services, principal, query }) => {
    const after = query.continuationToken ? auditTokenSeq(query.continuationToken, query.type) : query.after;
    const events = await services.audit.list(principal.tenantId, after, query.limit, query.type);
    // A full page may have more after it; the next request says for sure.
    const last = events.length === query.limit ? events[events.length - 1] : undefined;
    const headers: Record<string, string> = last ? { [continuationHeader]: auditToken(last.seq, query.type), 'access-control-expose-headers': continuationHeader } : {};
    return { body: events, headers };
  },
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
