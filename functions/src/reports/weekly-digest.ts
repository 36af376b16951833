import type { Services } from '../composition/services';
import { ConflictError } from '../store/documents';
import { allTenantIds } from '../tenants/directory';
import { loadRoiReport } from './roi';

const dayMs = 86_400_000;
/** The digest goes out on Mondays at 08:00 UTC, the same schedule as the Azure timer (`0 0 8 * * 1`). */
export const weeklyDigestSchedule = '0 0 8 * * 1';
const postHourUtc = 8;

/**
 * The last week whose digest is due at `now`: the seven days (Monday to Sunday, UTC) before the most recent
 * Monday 08:00 UTC that has passed. The digest carries the ROI report for exactly that period.
 */
export function dueWeek(now: Date): { from: string; to: string } {
  const midnight = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  let monday = midnight - ((now.getUTCDay() + 6) % 7) * dayMs;
  if (now.getTime() < monday + postHourUtc * 3_600_000) monday -= 7 * dayMs;
  return { from: new Date(monday - 7 * dayMs).toISOString(), to: new Date(monday).toISOString() };
}

/**
 * Posts each tenant's digest for the week that is due, if it has not gone out yet: the managers' numbers (the ROI
 * report of that week) to everyone who may read reports and has talked to the bot. A tenant that did not exist
 * during the week gets none. Safe to run as often as wanted: a week's digest is recorded once, and only the run
 * that recorded it posts it. Answers the tenants it posted for.
 */
export async function postWeeklyDigests(services: Services): Promise<string[]> {
  const period = dueWeek(services.clock.now());
  const posted: string[] = [];
  for (const tenantId of await allTenantIds(services)) {
    const store = services.store.forTenant(tenantId);
    const tenant = await store.tenants.read('tenant');
    if (!tenant || tenant.createdAt >= period.to) continue;
    const id = `digest-weekly-${period.from.slice(0, 10)}`;
    if (await store.digests.read(id)) continue;
    const report = await loadRoiReport(services, tenantId, period);
    try {
      await store.digests.create({ id, week: period.from.slice(0, 10), postedAt: services.clock.now().toISOString() });
    } catch (error) {
      if (error instanceof ConflictError) continue;
      throw error;
    }
    await services.notify.weeklyDigest(tenantId, report);
    posted.push(tenantId);
  }
  return posted;
}
