/**
 * `npm run bench`: performance and quality figures on the local stack, printed and written to
 * bench/results.json so runs can be compared. Budgets live here, not in timed unit tests.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pLimit from 'p-limit';
import { benchPolicyDecisions } from '@asep/shared/policy/bench';
import { measureFirstRenderJs } from '../outlook-addin/scripts/bundle-size';
import { measureBotRoundTrip } from './bot-round-trip';
import { benchClassifierQuality } from './classifier-quality';
import { consoleFirstRenderGzipKb } from './console-bundle';
import { hubspotRequestsPerLoop } from './hubspot-requests';
import { measureTaskpaneLoad } from './taskpane-load';
import { measureWebhookAck } from './webhook-ack';
import { measureProspectImport } from './prospect-import';
import { startLocalSuite, type LocalSuite } from '../local/src/start';
import { sequenceInstanceId, triageInstanceId } from '../functions/src/orchestrations/instance-ids';

type Results = Record<string, number>;
const results: Results = {};

function record(name: string, value: number, unit: string, target?: string): void {
  results[name] = Number(value.toFixed(3));
  console.log(`${name.padEnd(34)} ${value.toFixed(value >= 100 ? 0 : 2).padStart(10)} ${unit}${target ? `   (target ${target})` : ''}`);
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function api(suite: LocalSuite, method: string, path: string, token?: string, body?: unknown, contentType = 'application/json') {
  const response = await fetch(`${suite.baseUrl}/api/${path}`, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { 'content-type': contentType } : {}) },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
  return text ? JSON.parse(text) : undefined;
}

function waitForFinished(suite: LocalSuite, instanceIds: Set<string>): Promise<void> {
  return new Promise((resolve) => {
    const done = new Set<string>();
    const listener = (instanceId: string) => {
      if (instanceIds.has(instanceId)) done.add(instanceId);
      if (done.size === instanceIds.size) {
        suite.services.durableHost.events.off('finished', listener);
        resolve();
      }
    };
    suite.services.durableHost.events.on('finished', listener);
  });
}

const replyBodies = [
  'Yes, interested. Can we talk Thursday?',
  'Not interested, we already have a vendor.',
  'Please remove me from your list.',
  'Thanks, what does it cost?',
  'I am out of the office until Monday with limited access to email.',
];

async function benchGovernedLoop(): Promise<void> {
  const dataDir = await mkdtemp(join(tmpdir(), 'asep-bench-'));
  // Seeded: the bot round trip acts as the demo tenant's Manager, as the Agents Playground does.
  const suite = await startLocalSuite({ port: 0, dataDir, reset: true, seed: true, log: () => undefined });
  try {
    const tenantId = '11111111-2222-4333-8444-555555555555';
    const token = async (roles: string[]) =>
      (await api(suite, 'POST', 'dev/token', undefined, { tenantId, userId: `bench-${roles[0]}`, name: 'Bench', roles })).access_token as string;
    const admin = await token(['Admin', 'RevOps', 'Manager']);
    const policy = await api(suite, 'GET', 'v1/policies', admin);
    await api(suite, 'PUT', 'v1/policies', admin, {
      rules: {
        ...policy.rules,
        approvals: { ...policy.rules.approvals, firstTouch: false },
        caps: { ...policy.rules.caps, sendsPerMailboxPerMinute: 30, newRecipientsPerMailboxPerDay: 1000 },
      },
    });

    // 200 first touches from 10 mailboxes, so Exchange-safe per-mailbox caps are not what is measured.
    const mailboxes = 10;
    const perMailbox = 20;
    const csv = [
      'email,first_name,company',
      ...Array.from({ length: mailboxes * perMailbox }, (_, i) => `p${i}@bench${i % 40}.example,P${i},Bench ${i % 40}`),
    ].join('\n');
    await api(suite, 'POST', 'v1/prospects/import', admin, csv, 'text/csv');
    const list: { id: string; email: string }[] = await api(suite, 'GET', 'v1/prospects', admin);
    const campaigns: { id: string; prospectIds: string[] }[] = [];
    for (let m = 0; m < mailboxes; m += 1) {
      const campaign = await api(suite, 'POST', 'v1/campaigns', admin, {
        name: `Bench ${m}`,
        mailbox: `seller${m}@bench-vendor.example`,
        sequence: { steps: [{ type: 'email', subject: 'Hi {{firstName}}', body: 'Hello {{firstName}} at {{company}}.', approval: 'none' }] },
      });
      const prospectIds = list.slice(m * perMailbox, (m + 1) * perMailbox).map((p) => p.id);
      await api(suite, 'POST', `v1/campaigns/${campaign.id}/prospects`, admin, { prospectIds });
      campaigns.push({ id: campaign.id, prospectIds });
    }

    // Sending: everything from the campaign starts until every sequence has finished.
    const beforeSend = { cosmos: suite.cosmosRequests.tally('app'), actions: suite.services.durableHost.billedActions };
    const sendStart = performance.now();
    const sequences = new Set(campaigns.flatMap((campaign) => campaign.prospectIds.map((id) => sequenceInstanceId(tenantId, campaign.id, id))));
    const allSent = waitForFinished(suite, sequences);
    for (const campaign of campaigns) await api(suite, 'POST', `v1/campaigns/${campaign.id}/start`, admin, {});
    await allSent;
    const sendSeconds = (performance.now() - sendStart) / 1000;
    const sent = (await suite.services.sandbox.sentItems(tenantId)).length;
    record('emails_sent', sent, 'emails');
    record('send_per_s', sent / sendSeconds, 'emails/s');
    record('cosmos_requests_per_email', suite.cosmosRequests.since('app', beforeSend.cosmos).requests / sent, 'requests', '≤ 9');
    record('durable_actions_per_email', (suite.services.durableHost.billedActions - beforeSend.actions) / sent, 'actions', '≤ 5');

    // Triage: 1,000 replies in the threads of the sent touches, 32 in flight at a time.
    const touches = await suite.services.sandbox.sentItems(tenantId);
    const replies = 1000;
    const latencies: number[] = [];
    const finishedAt = new Map<string, (at: number) => void>();
    suite.services.durableHost.events.on('finished', (instanceId: string) => finishedAt.get(instanceId)?.(performance.now()));
    const beforeTriage = suite.cosmosRequests.tally('app');
    const triageStart = performance.now();
    const limit = pLimit(32);
    await Promise.all(
      Array.from({ length: replies }, (_, i) =>
        limit(async () => {
          const touch = touches[i % touches.length]!;
          const messageId = `<bench-${i}@replies.example>`;
          const done = new Promise<number>((resolve) => finishedAt.set(triageInstanceId(tenantId, messageId), resolve));
          const startedAt = performance.now();
          await api(suite, 'POST', 'dev/mailbox/inbound', undefined, {
            tenantId,
            from: touch.to,
            to: touch.mailbox,
            subject: `Re: ${touch.subject}`,
            body: replyBodies[i % replyBodies.length],
            inReplyTo: touch.internetMessageId,
            headers: { 'Message-ID': messageId },
          });
          latencies.push((await done) - startedAt);
        }),
      ),
    );
    const triageSeconds = (performance.now() - triageStart) / 1000;
    latencies.sort((a, b) => a - b);
    record('triage_p50_ms', percentile(latencies, 50), 'ms');
    record('triage_p95_ms', percentile(latencies, 95), 'ms', '≤ 200');
    record('triage_per_s', replies / triageSeconds, 'replies/s', '≥ 100');
    record('cosmos_requests_per_reply', suite.cosmosRequests.since('app', beforeTriage).requests / replies, 'requests', '≤ 7');

    const bot = await measureBotRoundTrip(suite.baseUrl, 200);
    record('bot_action_p50_ms', bot.p50, 'ms');
    record('bot_action_p95_ms', bot.p95, 'ms', '≤ 300');
    const ack = await measureWebhookAck(suite.baseUrl, 200);
    record('webhook_ack_p50_ms', ack.p50, 'ms');
    record('webhook_ack_p99_ms', ack.p99, 'ms', '≤ 100');
    const pane = await measureTaskpaneLoad(suite.baseUrl);
    record('taskpane_load_to_insight_ms', pane.medianMs, 'ms (4x CPU throttling, median)', '≤ 1000');
    const prospectImport = await measureProspectImport(suite.baseUrl, 10_000);
    record('prospect_import_10k_preview_ms', prospectImport.previewMs, 'ms', '≤ 1000');
    record('prospect_import_10k_import_ms', prospectImport.importMs, 'ms', '≤ 2000');
  } finally {
    await suite.close();
  }
}

async function benchFrontEnds(): Promise<void> {
  record('taskpane_first_render_gzip_kb', (await measureFirstRenderJs()).gzipKb, 'KB', '≤ 150');
  record('console_first_render_gzip_kb', await consoleFirstRenderGzipKb(), 'KB', '≤ 250');
}

function benchPolicy(): void {
  record('policy_decisions_per_s', benchPolicyDecisions(200_000), 'decisions/s', '≥ 100000');
}

async function main(): Promise<void> {
  console.log('ASEP benchmarks (local stack, this machine)\n');
  benchPolicy();
  benchClassifierQuality(record);
  await benchGovernedLoop();
  record('hubspot_requests_per_positive_reply', await hubspotRequestsPerLoop(), 'requests');
  await benchFrontEnds();
  await writeFile(join(__dirname, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
  console.log('\nWritten to bench/results.json');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
