import { z } from 'zod';

/*
 * The audit log's records, browser-safe: the console reads and verifies-by-API what chain.ts (Node, for its
 * hashes) writes.
 */

export const auditActorSchema = z.object({ type: z.enum(['user', 'system', 'bot']), id: z.string(), name: z.string().optional() });
export type AuditActor = z.infer<typeof auditActorSchema>;

/** One link of a tenant's append-only audit chain. */
export const auditEventSchema = z.object({
  tenantId: z.string(),
  seq: z.int().positive(),
  actor: auditActorSchema,
  type: z.string(),
  correlationId: z.string(),
  idempotencyKey: z.string(),
  /** What happened, without secrets or message bodies; covered by `payloadHash`. */
  payload: z.record(z.string(), z.unknown()),
  payloadHash: z.string(),
  prevHash: z.string(),
  hash: z.string(),
  at: z.string(),
});
export type AuditEvent = z.infer<typeof auditEventSchema>;

export type AuditEntry = Pick<AuditEvent, 'actor' | 'type' | 'correlationId' | 'idempotencyKey' | 'payload'>;

/** `GET /api/v1/audit/verify`: whether the chain holds, and where it first breaks. */
export const chainVerificationSchema = z.object({
  valid: z.boolean(),
  count: z.int().nonnegative(),
  head: z.string(),
  firstBrokenSeq: z.int().optional(),
  problem: z.string().optional(),
});
export type ChainVerification = z.infer<typeof chainVerificationSchema>;
