/**
 * Many tenants at once: each imports its prospects, enrols them in a campaign whose first touch needs approval,
 * and starts it; timed from the starts until every first touch waits for its Manager's approval. Reports the
 * total, how long the start route took to answer, when each tenant saw its first approval (no tenant may wait for
 * another's whole campaign), the process's peak RSS (the emulator runs on a thread of it) and the snapshot size.
 * Checked: every prospect has exactly one approval waiting.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalSuite } from '../local/src/start';
import { allProspects, api, tokenFor } from './bench-api';
import type { Report } from './report';

export interface ScaleSize {
  tenants: number;
  prospectsPerTenant: number;
  /** How long to wait for every approval (default 60 minutes); the check fails with what was ready by then. */
  timeoutMinutes?: number;
}

const enrolPage = 10_000;

export async function benchScale(report: Report, size: ScaleSize): Promise<void> {
  const dataDir = await mkdtemp(join(tmpdir(), 'asep-scale-'));
  const suite = await startLocalSuite({ port: 0, dataDir, reset: true, seed: false, log: () => undefined });
  const { baseUrl } = suite;
  // When each approval reached the Manager (the Teams card), per tenant and prospect.
  const approvals = new Map<string, Map<string, number>>();
  const notify = suite.services.notify;
  suite.services.notify = {
    ...notify,
    approvalCreated: async (approval) => {
      const seen = approvals.get(approval.tenantId) ?? new Map<string, number>();
      approvals.set(approval.tenantId, seen);
      seen.set(`${approval.prospectId}|${approval.id}`, performance.now());
      await notify.approvalCreated(approval);
    },
  };
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 250);
  try {
    const setupStart = performance.now();
    const tenants = await Promise.all(
      Array.from({ length: size.tenants }, async (_, t) => {
        const tenantId = randomUUID();
        const token = await tokenFor(baseUrl, tenantId, ['Admin', 'RevOps', 'Manager']);
        const policy = await api(baseUrl, 'GET', 'v1/policies', token);
        await api(baseUrl, 'PUT', 'v1/policies', token, {
          rules: { ...policy.rules, sendingWindow: { ...policy.rules.sendingWindow, enabled: false } },
        });
        const rows = Array.from({ length: size.prospectsPerTenant }, (_, i) => `lead${i}@t${t}-co${i % 500}.example,Lead${i},Company ${i % 500}`);
        await api(baseUrl, 'POST', 'v1/prospects/import', token, ['email,first_name,company', ...rows].join('\n'), 'text/csv');
        const prospectIds = (await allProspects(baseUrl, token)).map((prospect) => prospect.id);
        const campaign = await api(baseUrl, 'POST', 'v1/campaigns', token, {
          name: `Scale ${t}`,
          mailbox: `seller@t${t}.example`,
          sequence: { steps: [{ type: 'email', subject: 'Hi {{firstName}}', body: 'Hello {{firstName}} at {{company}}.', approval: 'every' }] },
        });
        for (let page = 0; page < prospectIds.length; page += enrolPage) {
          await api(baseUrl, 'POST', `v1/campaigns/${campaign.id}/prospects`, token, { prospectIds: prospectIds.slice(page, page + enrolPage) });
        }
        return { tenantId, token, campaignId: campaign.id as string, prospects: prospectIds.length };
      }),
    );
    report.record(
      'scale_setup_s',
      (performance.now() - setupStart) / 1000,
      `s (${size.tenants} tenants × ${size.prospectsPerTenant} prospects imported and enrolled)`,
    );

    const total = size.tenants * size.prospectsPerTenant;
    const started = performance.now();
    const answered = await Promise.all(
      tenants.map(async (tenant) => {
        const at = performance.now();
        await api(baseUrl, 'POST', `v1/campaigns/${tenant.campaignId}/start`, tenant.token, {});
        return performance.now() - at;
      }),
    );
    const deadline = Date.now() + (size.timeoutMinutes ?? 60) * 60_000;
    const ready = () => [...approvals.values()].reduce((sum, seen) => sum + seen.size, 0);
    while (ready() < total && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 200));
    const totalSeconds = (performance.now() - started) / 1000;

    const perTenant = tenants.map((tenant) => {
      const times = [...(approvals.get(tenant.tenantId)?.values() ?? [])].sort((a, b) => a - b);
      const prospects = new Set([...(approvals.get(tenant.tenantId)?.keys() ?? [])].map((key) => key.split('|')[0]));
      return {
        approvals: times.length,
        prospects: prospects.size,
        first: (times[0] ?? Infinity) - started,
        last: (times.at(-1) ?? Infinity) - started,
      };
    });
    const exact = perTenant.every((tenant) => tenant.approvals === size.prospectsPerTenant && tenant.prospects === size.prospectsPerTenant);
    report.check(
      'every enrolled prospect has exactly one first-touch approval waiting',
      exact,
      `${ready()} of ${total} approvals; per tenant ${perTenant.map((tenant) => tenant.approvals).join(', ')}`,
    );
    const worstFirst = Math.max(...perTenant.map((tenant) => tenant.first));
    const earliestLast = Math.min(...perTenant.map((tenant) => tenant.last));
    report.record('scale_start_to_all_approvals_s', totalSeconds, `s (${total} first touches)`);
    report.record('scale_approvals_per_s', ready() / totalSeconds, 'approvals/s');
    report.record('scale_start_route_ms_worst', Math.max(...answered), 'ms (Azure cuts HTTP off at 230 s)', '≤ 2000');
    report.record('scale_first_approval_ms_worst_tenant', worstFirst, 'ms');
    // Fair: the tenant served last saw its first approval long before any tenant's whole campaign was ready.
    report.record('scale_worst_first_over_earliest_finish', worstFirst / earliestLast, 'of the earliest tenant finish', '≤ 0.25');
  } finally {
    clearInterval(sampler);
    await suite.close();
    report.record('scale_peak_rss_mb', peakRss / 2 ** 20, 'MB (suite process, emulator thread included)');
    const snapshot = await stat(join(dataDir, 'cosmos.snapshot.jsonl')).catch(() => undefined);
    report.record('scale_snapshot_mb', (snapshot?.size ?? 0) / 2 ** 20, 'MB');
  }
}
