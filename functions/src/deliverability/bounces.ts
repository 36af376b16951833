import type { Services } from '../composition/services';

/** A soft bounce (full mailbox, greylisting, a server busy) is tried again this many business days later. */
export const softBounceRetryBusinessDays = 1;

/** An address that soft-bounces this often within this many days is treated as dead and suppressed. */
export const softBounceLimit = { bounces: 3, withinDays: 14 } as const;

/**
 * The soft bounces of the prospect's address received within the limit's window, `triaged` (the one being
 * triaged, stored with its label or not yet) among them.
 */
export async function recentSoftBounces(services: Services, tenantId: string, prospectId: string, triaged: string): Promise<number> {
  const since = new Date(services.clock.now().getTime() - softBounceLimit.withinDays * 86_400_000).toISOString();
  const bounces = await services.store.messages.query(
    tenantId,
    "c.direction = 'inbound' AND c.prospectId = @prospectId AND c.at >= @since AND c.triage.classification.label = 'bounce' AND c.triage.classification.bounce.kind = 'soft'",
    [
      { name: '@prospectId', value: prospectId },
      { name: '@since', value: since },
    ],
  );
  return bounces.filter((bounce) => bounce.id !== triaged).length + 1;
}
