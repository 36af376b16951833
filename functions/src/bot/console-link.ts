import type { Services } from '../composition/services';

/** The console tab's page for an approval, or the console itself. */
export function consoleLink(services: Services, approvalId?: string): string {
  return `${services.publicUrl}/console/${approvalId ? `#/approvals/${encodeURIComponent(approvalId)}` : ''}`;
}
