import { z } from 'zod';
import { canonicalJson, sha256, verifyChain } from './chain';
import { auditEventSchema, type AuditEvent, type ChainVerification } from './event';

/** What travels with an exported audit log, so anyone can check it without the service. */
export const auditBundleManifestSchema = z.object({
  format: z.literal('asep-audit-bundle/1'),
  tenantId: z.string(),
  exportedAt: z.string(),
  exportedBy: z.string(),
  count: z.int().nonnegative(),
  head: z.string(),
  /** SHA-256 of events.jsonl exactly as stored in the bundle. */
  eventsSha256: z.string(),
});
export type AuditBundleManifest = z.infer<typeof auditBundleManifestSchema>;

export function eventsJsonl(events: readonly AuditEvent[]): string {
  return events.map((event) => canonicalJson(event)).join('\n') + (events.length ? '\n' : '');
}

export interface BundleVerification extends ChainVerification {
  manifestMatches: boolean;
  problems: string[];
}

/** Checks an exported bundle: the file hash, every line's schema, the chain, and the manifest's count and head. */
export function verifyAuditBundle(manifestJson: string, jsonl: string): BundleVerification {
  const problems: string[] = [];
  const manifest = auditBundleManifestSchema.safeParse(JSON.parse(manifestJson));
  if (!manifest.success) problems.push(`manifest.json is not a valid manifest: ${z.prettifyError(manifest.error)}`);
  if (manifest.success && sha256(jsonl) !== manifest.data.eventsSha256) problems.push('events.jsonl does not match the hash in the manifest');
  const events: AuditEvent[] = [];
  jsonl
    .split('\n')
    .filter((line) => line.trim() !== '')
    .forEach((line, index) => {
      const parsed = auditEventSchema.safeParse(JSON.parse(line));
      if (parsed.success) events.push(parsed.data);
      else problems.push(`line ${index + 1} is not an audit event`);
    });
  const chain = verifyChain(events);
  if (!chain.valid) problems.push(`the chain breaks at sequence number ${chain.firstBrokenSeq}: ${chain.problem}`);
  const manifestMatches = manifest.success && manifest.data.count === chain.count && manifest.data.head === chain.head;
  if (manifest.success && !manifestMatches)
    problems.push(
      `the manifest says ${manifest.data.count} events ending in ${manifest.data.head.slice(0, 12)}…, the file holds ${chain.count} ending in ${chain.head.slice(0, 12)}…`,
    );
  return { ...chain, valid: chain.valid && problems.length === 0, manifestMatches, problems };
}
