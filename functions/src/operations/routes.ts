import { z } from 'zod';
import { readiness } from '../composition/readiness';
import { registerApi } from '../http/api';
import { badRequest } from '../http/problem';
import { offboardTenant } from './offboarding';

const startedAt = new Date();

/** Readiness and process facts for operators; `GET /api/healthz` stays the public liveness probe. */
registerApi('opsStatus', { route: 'v1/ops/status', methods: ['GET'], permission: 'ops.read' }, async ({ services }) => ({
  body: {
    ...readiness(),
    environment: services.environment,
    startedAt: startedAt.toISOString(),
    uptimeSeconds: Math.round((Date.now() - startedAt.getTime()) / 1000),
    node: process.version,
    memoryMb: Math.round(process.memoryUsage().rss / 1_048_576),
  },
}));

/**
 * Deletes every record of the caller's tenant. The Owner must name the tenant to confirm; the deletion
 * is recorded outside the deleted partitions (with the audit chain's final head) and cannot be undone.
 * Export the audit bundle first (`GET /api/v1/audit/export`) to keep the history.
 */
registerApi(
  'tenantOffboard',
  { route: 'v1/tenant/offboard', methods: ['POST'], permission: 'tenant.offboard', body: z.strictObject({ confirmTenantId: z.string() }) },
  async ({ services, principal, body, durable, correlationId, requestId }) => {
    if (body.confirmTenantId !== principal.tenantId)
      throw badRequest('confirmTenantId must be your tenant id: nothing was deleted.', [
        { field: 'confirmTenantId', message: 'does not match your tenant' },
      ]);
    return { body: await offboardTenant(services, durable, principal, correlationId, requestId) };
  },
);
