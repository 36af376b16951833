import type { AuditEvent } from '@asep/shared/audit/event';
import { auditPageLimit, type ConsoleApi } from '../api/client';

/**
 * Every event of the tenant's chain, page by page in sequence order (each page continuing the token of the one
 * before, until a page comes without one), reporting how many have arrived.
 */
export async function allAuditEvents(api: Pick<ConsoleApi, 'auditPage'>, onProgress: (loaded: number) => void): Promise<AuditEvent[]> {
  const events: AuditEvent[] = [];
  let continuationToken: string | undefined;
  do {
    const page = await api.auditPage({}, auditPageLimit, continuationToken);
    events.push(...page.items);
    onProgress(events.length);
    continuationToken = page.continuationToken;
  } while (continuationToken);
  return events;
}

/** JSON Lines: one event per line, exactly as the API returned it, so the export can be re-verified offline. */
export function toJsonLines(events: readonly AuditEvent[]): string {
  return events.map((event) => `${JSON.stringify(event)}\n`).join('');
}

export function exportFileName(tenantId: string | undefined, at: Date): string {
  return `asep-audit-${tenantId ?? 'tenant'}-${at.toISOString().slice(0, 10)}.jsonl`;
}

/** Hands the text to the browser as a file download. */
export function downloadText(text: string, fileName: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  // Revoked on the next tick: the click has started the download by then.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}
