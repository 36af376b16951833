import JSZip from 'jszip';
import { eventsJsonl, type AuditBundleManifest } from '@asep/shared/audit/bundle';
import { sha256 } from '@asep/shared/audit/chain';
import { changeKey } from '@asep/shared/audit/change-key';
import type { Services } from '../composition/services';
import type { Principal } from '../identity/principal';

/** Builds the tenant's audit bundle: events.jsonl and manifest.json in a zip, and audits the export itself. */
export async function exportAuditBundle(
  services: Services,
  principal: Principal,
  correlationId: string,
  requestId: string,
): Promise<{ zip: Buffer; manifest: AuditBundleManifest }> {
  const events = await services.audit.all(principal.tenantId);
  const verification = await services.audit.verify(principal.tenantId);
  const jsonl = eventsJsonl(events);
  const manifest: AuditBundleManifest = {
    format: 'asep-audit-bundle/1',
    tenantId: principal.tenantId,
    exportedAt: services.clock.now().toISOString(),
    exportedBy: principal.userId,
    count: verification.count,
    head: verification.head,
    eventsSha256: sha256(jsonl),
  };
  const zip = new JSZip();
  zip.file('events.jsonl', jsonl);
  zip.file('manifest.json', `${JSON.stringify(manifest, null, 2)}\n`);
  zip.file('README.txt', 'Verify offline with: npm run audit:verify -- <this file>\n');
  await services.audit.append(principal.tenantId, {
    actor: { type: 'user', id: principal.userId, name: principal.name },
    type: 'audit.exported',
    correlationId,
    idempotencyKey: changeKey('audit.exported', principal.tenantId, manifest.head, requestId),
    payload: { count: manifest.count, head: manifest.head },
  });
  return { zip: await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' }), manifest };
}
